import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '#src/core/model/errors.ts';
import { StoredCatalogueSchema, type StoredCatalogue } from '#src/core/model/stored-catalogue.ts';
import { AlreadyExistsError } from '#src/app/errors.ts';
import type { CatalogueRecords } from '#src/app/ports/catalogue-records.ts';
import type { Page, PageRequest } from '#src/app/ports/page.ts';
import { decodeCursor, encodeCursor, pageLimit } from '../stores/paging.ts';
import { isConditionFailure, type TableContext } from './operations.ts';
import { GSI1, GSI2, gsi1CursorSchema, gsi2CursorSchema, keys, readData } from './table.ts';

/**
 * Stored catalogues in the Cahier table: one item per catalogue under `CATREPORT#<id>` / `META`,
 * indexed by date in GSI1 (every catalogue: an editor's listing) and in GSI2 under its owner (a
 * catalogue manager's). Written once (attribute_not_exists), deleted by id; never updated.
 */
export class DynamoDbCatalogueRecords implements CatalogueRecords {
  constructor(private readonly context: TableContext) {}

  async put(input: StoredCatalogue): Promise<void> {
    const record = StoredCatalogueSchema.parse(input);
    const sort = `${record.createdAt}#${record.id}`;
    try {
      await this.context.db.send(
        new PutCommand({
          TableName: this.context.tableName,
          Item: {
            ...keys.storedCatalogue(record.id),
            entity: 'stored-catalogue',
            gsi1pk: keys.storedCataloguesPartition,
            gsi1sk: sort,
            gsi2pk: keys.storedCataloguesOwnerPartition(record.owner),
            gsi2sk: sort,
            data: record,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new AlreadyExistsError('catalogue', record.id);
      throw error;
    }
  }

  async get(id: string): Promise<StoredCatalogue> {
    const output = await this.context.db.send(new GetCommand({ TableName: this.context.tableName, Key: keys.storedCatalogue(id), ConsistentRead: true }));
    if (!output.Item) throw new NotFoundError('catalogue', id);
    return read(output.Item, id);
  }

  async list(owner: string | undefined, page: PageRequest = {}): Promise<Page<StoredCatalogue>> {
    const limit = pageLimit(page.limit);
    const index = owner === undefined ? { name: GSI1, attribute: 'gsi1pk', partition: keys.storedCataloguesPartition } : { name: GSI2, attribute: 'gsi2pk', partition: keys.storedCataloguesOwnerPartition(owner) };
    const ours = (k: { pk: string; sk: string }) => k.sk === 'META' && k.pk.startsWith('CATREPORT#');
    const cursorSchema = owner === undefined ? gsi1CursorSchema(index.partition).refine(ours) : gsi2CursorSchema(index.partition).refine(ours);
    const start = page.cursor === undefined ? undefined : decodeCursor<Record<string, string>>(page.cursor, cursorSchema);
    const input = {
      TableName: this.context.tableName,
      IndexName: index.name,
      KeyConditionExpression: `${index.attribute} = :p`,
      ExpressionAttributeValues: { ':p': index.partition },
      // Newest first: the index's sort key starts with the creation date.
      ScanIndexForward: false,
      Limit: limit,
    };
    const output = await this.context.db.send(new QueryCommand(start ? { ...input, ExclusiveStartKey: start } : input));
    const items = (output.Items ?? []).map((item) => {
      const record = read(item, String(item.pk).slice('CATREPORT#'.length));
      if (owner !== undefined && record.owner !== owner) throw new Error(`catalogue ${record.id} is indexed under another owner`);
      return record;
    });
    return output.LastEvaluatedKey ? { items, cursor: encodeCursor(output.LastEvaluatedKey) } : { items };
  }

  async delete(id: string): Promise<void> {
    await this.context.db.send(new DeleteCommand({ TableName: this.context.tableName, Key: keys.storedCatalogue(id) }));
  }
}

function read(item: Record<string, unknown>, id: string): StoredCatalogue {
  return readData(item, 'stored-catalogue', StoredCatalogueSchema, (r) => (r.id === id ? undefined : 'record does not match its key'));
}
