import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { issuesFromZod, NotFoundError, ValidationError } from '#src/core/model/errors.ts';
import { IdempotencyKeySchema, OwnerSchema, TenderIdSchema, TenderRecordSchema, type TenderRecord } from '#src/app/tender-record.ts';
import type { Page, PageRequest } from '#src/app/ports/page.ts';
import type { PutTenderResult, TenderRepository } from '#src/app/ports/tender-repository.ts';
import { AlreadyExistsError, IdempotencyKeyReusedError } from '#src/app/errors.ts';
import { batchGetItems, isConditionFailure, keyString, type Item, type TableContext } from './operations.ts';
import { decodeCursor, encodeCursor, GSI2, gsi2CursorSchema, keys, pageLimit, readData } from './table.ts';

/**
 * DynamoDB items stay under 400 KB; the tender item and the claim each hold the record, request
 * included. Bodies near this size should be refused at the HTTP layer (413) before generation.
 */
const MAX_RECORD_BYTES = 300_000;

/**
 * Tender records in the single table (layout in table.ts), with idempotency claims.
 *
 * With an idempotency key, `put` writes two items, each with attribute_not_exists:
 * 1. the claim `IDEMPOTENCY#<owner>#<key>`, carrying the whole record: the commit point, which
 *    admits one request per (owner, key);
 * 2. the tender item.
 * The documents are already stored when `put` is called, so the record never points to
 * missing objects. A crash after 1 leaves a claim without its tender: the retry (or
 * `findByIdempotencyKey`) finds the claim and writes the tender from it. A crash before 1, or a
 * request that loses the claim to a concurrent retry, leaves only objects in the store: orphans
 * that no record names, listed by `findOrphanDocuments`.
 */
export class DynamoDbTenderRepository implements TenderRepository {
  constructor(private readonly context: TableContext) {}

  async put(input: TenderRecord): Promise<PutTenderResult> {
    const parsed = TenderRecordSchema.safeParse(input);
    if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error));
    const record = parsed.data;
    if (Buffer.byteLength(JSON.stringify(record)) > MAX_RECORD_BYTES) {
      throw new ValidationError([{ path: 'request', message: `the tender record exceeds ${MAX_RECORD_BYTES} bytes` }]);
    }
    if (record.idempotencyKey === undefined) {
      if (!(await this.putTenderItem(record))) throw new AlreadyExistsError('tender', record.id);
      return { record, created: true };
    }

    try {
      await this.context.db.send(
        new PutCommand({
          TableName: this.context.tableName,
          Item: {
            ...keys.idempotency(record.owner, record.idempotencyKey),
            entity: 'idempotency',
            tenderId: record.id,
            requestHash: record.requestHash,
            data: record,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const first = await this.readClaim(record.owner, record.idempotencyKey);
      if (!first) throw new Error(`idempotency claim of ${record.owner} / ${record.idempotencyKey} vanished`);
      if (first.requestHash !== record.requestHash) throw new IdempotencyKeyReusedError(record.idempotencyKey, first.id);
      await this.completeClaim(first);
      return { record: first, created: false };
    }
    await this.completeClaim(record);
    return { record, created: true };
  }

  async get(id: string): Promise<TenderRecord> {
    if (!TenderIdSchema.safeParse(id).success) throw new NotFoundError('tender', id);
    const output = await this.context.db.send(
      new GetCommand({ TableName: this.context.tableName, Key: keys.tender(id), ConsistentRead: true }),
    );
    if (!output.Item) throw new NotFoundError('tender', id);
    return readTender(output.Item, id);
  }

  async listByOwner(owner: string, page: PageRequest = {}): Promise<Page<TenderRecord>> {
    const limit = pageLimit(page.limit);
    if (!OwnerSchema.safeParse(owner).success) return { items: [] };
    const partition = keys.ownerPartition(owner);
    const start =
      page.cursor === undefined
        ? undefined
        : decodeCursor(
            page.cursor,
            gsi2CursorSchema(partition).refine(
              (k) => k.sk === 'META' && k.pk.startsWith('TENDER#') && k.gsi2sk.endsWith(`#${k.pk.slice('TENDER#'.length)}`),
            ),
          );
    const output = await this.context.db.send(
      new QueryCommand({
        TableName: this.context.tableName,
        IndexName: GSI2,
        KeyConditionExpression: 'gsi2pk = :p',
        ExpressionAttributeValues: { ':p': partition },
        ScanIndexForward: false,
        Limit: limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const items = (output.Items ?? []).map((item) => {
      const record = readTender(item, String(item.pk).slice('TENDER#'.length));
      if (record.owner !== owner) throw new Error(`tender ${record.id} is indexed under another owner`);
      return record;
    });
    return output.LastEvaluatedKey ? { items, cursor: encodeCursor(output.LastEvaluatedKey) } : { items };
  }

  async findByIdempotencyKey(owner: string, key: string): Promise<TenderRecord | undefined> {
    if (!OwnerSchema.safeParse(owner).success || !IdempotencyKeySchema.safeParse(key).success) return undefined;
    const claimed = await this.readClaim(owner, key);
    if (!claimed) return undefined;
    await this.completeClaim(claimed);
    return claimed;
  }

  async findExisting(ids: readonly string[]): Promise<Set<string>> {
    const valid = [...new Set(ids)].filter((id) => TenderIdSchema.safeParse(id).success);
    const found = await batchGetItems(this.context, valid.map(keys.tender), { projection: 'pk, sk' });
    return new Set(valid.filter((id) => found.has(keyString(keys.tender(id)))));
  }

  private async readClaim(owner: string, key: string): Promise<TenderRecord | undefined> {
    const output = await this.context.db.send(
      new GetCommand({ TableName: this.context.tableName, Key: keys.idempotency(owner, key), ConsistentRead: true }),
    );
    if (!output.Item) return undefined;
    const item = output.Item;
    return readData(item, 'idempotency', TenderRecordSchema, (r) =>
      r.owner === owner && r.idempotencyKey === key && item.tenderId === r.id && item.requestHash === r.requestHash
        ? undefined
        : 'claim does not match its key',
    );
  }

  /** Makes sure the tender of a claim is recorded: the second step of `put`, or its completion after a crash. */
  private async completeClaim(record: TenderRecord): Promise<void> {
    const existing = await this.context.db.send(
      new GetCommand({ TableName: this.context.tableName, Key: keys.tender(record.id), ConsistentRead: true, ProjectionExpression: 'pk' }),
    );
    if (existing.Item) return;
    // A concurrent completion of the same claim may win this put; either way the item holds this record.
    await this.putTenderItem(record);
  }

  /** Puts the tender item unless it exists; false when it did. */
  private async putTenderItem(record: TenderRecord): Promise<boolean> {
    try {
      await this.context.db.send(
        new PutCommand({
          TableName: this.context.tableName,
          Item: {
            ...keys.tender(record.id),
            entity: 'tender',
            gsi2pk: keys.ownerPartition(record.owner),
            gsi2sk: `${record.createdAt}#${record.id}`,
            data: record,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

function readTender(item: Item, id: string): TenderRecord {
  return readData(item, 'tender', TenderRecordSchema, (r) =>
    r.id === id &&
    item.pk === keys.tender(r.id).pk &&
    item.gsi2pk === keys.ownerPartition(r.owner) &&
    item.gsi2sk === `${r.createdAt}#${r.id}`
      ? undefined
      : 'record does not match its keys',
  );
}
