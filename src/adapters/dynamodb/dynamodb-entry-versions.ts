import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod';
import type { CatalogueEntryKind } from '#src/core/model/catalogue.ts';
import { NotFoundError } from '#src/core/model/errors.ts';
import type { CatalogueEntryVersions } from '#src/app/ports/criteria-repository.ts';
import { VersionConflictError } from '#src/app/errors.ts';
import { canExist, nextVersionOf } from '../stores/criteria.ts';
import { isConditionFailure, queryAll, type Item, type TableContext } from './operations.ts';
import { keys, readData, VERSION_PREFIX } from './table.ts';

/**
 * The versions of catalogue items (or of offers) in the single table: every version of every
 * entry in one partition (`ITEMS`, `OFFERS`), sort key `<id>#V#<10 digits>`, so that one query
 * reads all of them for a snapshot (the catalogue holds tens of entries, a few versions each).
 * No LATEST copy: the newest version is the last of the entry's sort-key range.
 *
 * Writing a version is one conditional put (attribute_not_exists), after checking that the
 * previous version exists: versions stay contiguous, and of two editors who read the same
 * version only one writes the next (the criteria's protocol, without the pointer to move).
 */
export class DynamoDbEntryVersions<T extends { id: string }> implements CatalogueEntryVersions<T> {
  private readonly pk: string;

  constructor(
    private readonly context: TableContext,
    private readonly kind: CatalogueEntryKind,
    private readonly schema: z.ZodType<T & { version: number }>,
  ) {
    this.pk = keys.entryVersionsPk(kind);
  }

  async getLatest(id: string): Promise<T & { version: number }> {
    const newest = canExist.entry(id) ? await this.newest(id) : undefined;
    if (!newest) throw new NotFoundError(this.kind, id);
    return newest;
  }

  async listVersions(id: string): Promise<Array<T & { version: number }>> {
    if (!canExist.entry(id)) return [];
    const items = await queryAll(this.context, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.pk, ':prefix': prefixOf(id) },
      ConsistentRead: true,
    });
    if (items.length > 0) return items.map((item) => this.read(item));
    // Not versioned yet in a table seeded before versioning: its old copy is version 1.
    const copy = await this.legacyCopy(id);
    return copy ? [copy] : [];
  }

  async listAll(): Promise<Array<T & { version: number }>> {
    // Consistent: a framework published a moment ago may pin a version written just before it.
    const items = await queryAll(this.context, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': this.pk },
      ConsistentRead: true,
    });
    // A table seeded before items and offers were versioned has none yet: its copies stand for version 1.
    return items.length > 0 ? items.map((item) => this.read(item)) : this.legacyCopies();
  }

  async listLatest(): Promise<Array<T & { version: number }>> {
    const latest = new Map<string, T & { version: number }>();
    for (const entry of await this.listAll()) latest.set(entry.id, entry);
    return [...latest.values()];
  }

  async putNewVersion(draft: T & { version?: number }, expectedVersion: number): Promise<T & { version: number }> {
    const entry = nextVersionOf(this.schema, draft, expectedVersion);
    if (expectedVersion > 0) await this.versionLegacyCopies(entry.id);
    if (expectedVersion > 0 && !(await this.exists(entry.id, expectedVersion))) {
      throw new VersionConflictError(this.kind, entry.id, expectedVersion, (await this.newest(entry.id))?.version ?? 0);
    }
    try {
      await this.context.db.send(
        new PutCommand({
          TableName: this.context.tableName,
          Item: { pk: this.pk, sk: keys.entryVersion(this.kind, entry.id, entry.version).sk, entity: this.kind, version: entry.version, data: entry },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      throw new VersionConflictError(this.kind, entry.id, expectedVersion, (await this.newest(entry.id))?.version ?? 0);
    }
    return entry;
  }

  private async newest(id: string): Promise<(T & { version: number }) | undefined> {
    const output = await this.context.db.send(
      new QueryCommand({
        TableName: this.context.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': this.pk, ':prefix': prefixOf(id) },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = output.Items?.[0];
    return item ? this.read(item) : this.legacyCopy(id);
  }

  private async exists(id: string, version: number): Promise<boolean> {
    const output = await this.context.db.send(
      new GetCommand({ TableName: this.context.tableName, Key: keys.entryVersion(this.kind, id, version), ConsistentRead: true, ProjectionExpression: 'pk' }),
    );
    return output.Item !== undefined || (version === 1 && (await this.legacyCopy(id)) !== undefined);
  }

  /**
   * The unversioned copies a table seeded before items and offers were versioned holds
   * (CATALOGUE#ITEM, CATALOGUE#OFFER), read as version 1 while the versions partition is empty: a
   * deployed table keeps generating before its seed is run again. The seed (or an editor's first
   * write, versionLegacyCopies) writes version 1 of every entry, after which the copies are never read.
   */
  private async legacyCopies(): Promise<Array<T & { version: number }>> {
    const items = await queryAll(this.context, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': LEGACY_PK[this.kind] },
      ConsistentRead: true,
    });
    return items.map((item) => this.readLegacy(item));
  }

  /**
   * Before an editor's first version of an entry that exists only as an unversioned copy, every
   * copy becomes version 1 in the versions partition (conditional puts; one already there is
   * left), so that the partition, once not empty, holds every entry. A crash half-way is completed
   * by the next attempt (or by the seed), which runs this again.
   */
  private async versionLegacyCopies(id: string): Promise<void> {
    const own = await this.context.db.send(
      new GetCommand({ TableName: this.context.tableName, Key: keys.entryVersion(this.kind, id, 1), ConsistentRead: true, ProjectionExpression: 'pk' }),
    );
    if (own.Item !== undefined || (await this.legacyCopy(id)) === undefined) return;
    for (const copy of await this.legacyCopies()) {
      try {
        await this.context.db.send(
          new PutCommand({
            TableName: this.context.tableName,
            Item: { pk: this.pk, sk: keys.entryVersion(this.kind, copy.id, 1).sk, entity: this.kind, version: 1, data: copy },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
  }

  private async legacyCopy(id: string): Promise<(T & { version: number }) | undefined> {
    const output = await this.context.db.send(new GetCommand({ TableName: this.context.tableName, Key: { pk: LEGACY_PK[this.kind], sk: id }, ConsistentRead: true }));
    return output.Item ? this.readLegacy(output.Item) : undefined;
  }

  private readLegacy(item: Item): T & { version: number } {
    const data = item.data as Record<string, unknown> | undefined;
    return readData({ ...item, data: data && { ...data, version: 1 } }, this.kind, this.schema, (value) => (value.id === item.sk ? undefined : 'id does not match sk'));
  }

  /** A stored version, checked against its keys: the id and version in the sort key are the data's. */
  private read(item: Item): T & { version: number } {
    return readData(item, this.kind, this.schema, (value) =>
      item.pk === this.pk && item.sk === keys.entryVersion(this.kind, value.id, value.version).sk && item.version === value.version ? undefined : `${this.kind} id or version does not match the key`,
    );
  }
}

/** Where the unversioned copies of a table seeded before versioning live (the sort key is the id). */
const LEGACY_PK: Record<CatalogueEntryKind, string> = { item: 'CATALOGUE#ITEM', offer: 'CATALOGUE#OFFER' };

function prefixOf(id: string): string {
  return `${id}#${VERSION_PREFIX}`;
}
