import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod';
import { CatalogueItemVersionSchema, FrameworkSchema, OfferVersionSchema } from '#src/core/model/catalogue.ts';
import type { CatalogueItem, Framework, Offer } from '#src/core/model/catalogue.ts';
import { CriterionSchema } from '#src/core/model/criterion.ts';
import type { Category, Criterion, CriterionRef } from '#src/core/model/criterion.ts';
import { NotFoundError } from '#src/core/model/errors.ts';
import type { CriteriaRepository, CriterionDraft, FrameworkDraft } from '#src/app/ports/criteria-repository.ts';
import type { Page, PageRequest } from '#src/app/ports/page.ts';
import { AlreadyExistsError, VersionConflictError } from '#src/app/errors.ts';
import {
  batchGetItems,
  isConditionFailure,
  keyString,
  queryAll,
  type Item,
  type TableContext,
} from './operations.ts';
import { canExist, categoryPageLimit, frameworkCriteriaPage, nextVersion, pinFramework, refKey } from '../stores/criteria.ts';
import { DynamoDbEntryVersions } from './dynamodb-entry-versions.ts';
import { decodeCursor, encodeCursor } from '../stores/paging.ts';
import {
  GSI1,
  gsi1CursorSchema,
  keys,
  LATEST,
  readData,
  VERSION_PREFIX,
  versionSk,
  type Entity,
  type Key,
} from './table.ts';

/** A versioned entity: criteria and frameworks share the version-item-then-pointer protocol. */
interface Versioned<T extends { id: string; version: number }> {
  resource: 'criterion' | 'framework';
  pk: (id: string) => string;
  entity: Entity;
  latestEntity: Entity;
  schema: z.ZodType<T>;
  /** GSI1 keys of the LATEST item. */
  index: (value: T) => { gsi1pk: string; gsi1sk: string };
}

const CRITERION: Versioned<Criterion> = {
  resource: 'criterion',
  pk: keys.criterionPk,
  entity: 'criterion',
  latestEntity: 'criterion-latest',
  schema: CriterionSchema,
  index: (c) => ({ gsi1pk: keys.categoryPartition(c.category), gsi1sk: c.id }),
};

const FRAMEWORK: Versioned<Framework> = {
  resource: 'framework',
  pk: keys.frameworkPk,
  entity: 'framework',
  latestEntity: 'framework-latest',
  schema: FrameworkSchema,
  index: (f) => ({ gsi1pk: keys.frameworksPartition, gsi1sk: f.id }),
};

/**
 * Criteria, frameworks, item and offer versions (dynamodb-entry-versions.ts) in the single table (layout in table.ts).
 *
 * Writing a version takes two conditional puts and no transaction:
 * 1. the immutable version item, with attribute_not_exists, after checking that the previous
 *    version exists: this is the commit point, and it admits one writer per version number;
 * 2. the LATEST copy, conditioned on holding an older version, so it only moves forward.
 * A writer that loses step 1 moves LATEST up to the newest version before reporting the
 * conflict, which also repairs a pointer left behind by a writer that died between the steps.
 */
export class DynamoDbCriteriaRepository implements CriteriaRepository {
  readonly items: DynamoDbEntryVersions<CatalogueItem>;
  readonly offers: DynamoDbEntryVersions<Offer>;

  constructor(private readonly context: TableContext) {
    this.items = new DynamoDbEntryVersions(context, 'item', CatalogueItemVersionSchema);
    this.offers = new DynamoDbEntryVersions(context, 'offer', OfferVersionSchema);
  }

  async getLatest(id: string): Promise<Criterion> {
    if (!canExist.criterion(id)) throw new NotFoundError('criterion', id);
    const item = await this.getItem(keys.criterionLatest(id));
    if (!item) throw new NotFoundError('criterion', id);
    return this.readVersioned(CRITERION, item, id);
  }

  async getVersion(id: string, version: number): Promise<Criterion> {
    if (!canExist.ref({ id, version })) {
      throw new NotFoundError('criterion', `${id}@${version}`);
    }
    const item = await this.getItem(keys.criterionVersion(id, version));
    if (!item) throw new NotFoundError('criterion', `${id}@${version}`);
    return this.readVersioned(CRITERION, item, id, version);
  }

  async listVersions(id: string): Promise<Criterion[]> {
    if (!canExist.criterion(id)) return [];
    const items = await queryAll(this.context, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
      ExpressionAttributeValues: { ':pk': keys.criterionPk(id), ':v': VERSION_PREFIX },
      ConsistentRead: true,
    });
    return items.map((item) => this.readVersioned(CRITERION, item, id, versionOfSk(item)));
  }

  async batchGetVersions(refs: readonly CriterionRef[]): Promise<Criterion[]> {
    const found = await this.findVersions(refs);
    return refs.map((ref) => {
      const criterion = found.get(refKey(ref));
      if (!criterion) throw new NotFoundError('criterion', refKey(ref));
      return criterion;
    });
  }

  async putNewVersion(draft: CriterionDraft, expectedVersion: number): Promise<Criterion> {
    const criterion = nextVersion(draft, expectedVersion);

    // Versions are never deleted, so once the previous version exists it exists for good;
    // together with attribute_not_exists on the next one, this makes the expected version the
    // latest one at the moment of the write, and keeps versions contiguous.
    if (expectedVersion > 0 && !(await this.exists(keys.criterionVersion(criterion.id, expectedVersion)))) {
      throw new VersionConflictError('criterion', criterion.id, expectedVersion, await this.repairLatest(CRITERION, criterion.id));
    }
    try {
      await this.putVersionItem(CRITERION, criterion);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      throw new VersionConflictError('criterion', criterion.id, expectedVersion, await this.repairLatest(CRITERION, criterion.id));
    }
    await this.advanceLatest(CRITERION, criterion);
    return criterion;
  }

  async listByCategory(category: Category, page: PageRequest = {}): Promise<Page<Criterion>> {
    const limit = categoryPageLimit(category, page);
    const partition = keys.categoryPartition(category);
    const start =
      page.cursor === undefined
        ? undefined
        : decodeCursor(
            page.cursor,
            gsi1CursorSchema(partition).refine((k) => k.sk === LATEST && k.pk === keys.criterionPk(k.gsi1sk)),
          );
    const output = await this.context.db.send(
      new QueryCommand({
        TableName: this.context.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': partition },
        Limit: limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const items = (output.Items ?? []).map((item) =>
      readData(item, CRITERION.latestEntity, CriterionSchema, (c) =>
        c.category === category && item.gsi1sk === c.id && item.pk === keys.criterionPk(c.id) && item.version === c.version
          ? undefined
          : 'data does not match its keys',
      ),
    );
    return output.LastEvaluatedKey ? { items, cursor: encodeCursor(output.LastEvaluatedKey) } : { items };
  }

  async listByFramework(frameworkId: string, version: number, page: PageRequest = {}): Promise<Page<Criterion>> {
    return frameworkCriteriaPage(this, frameworkId, version, page);
  }

  async getFramework(id: string, version: number): Promise<Framework> {
    if (!canExist.version(version) || !canExist.framework(id)) {
      throw new NotFoundError('framework', `${id}@${version}`);
    }
    const item = await this.getItem(keys.frameworkVersion(id, version));
    if (!item) throw new NotFoundError('framework', `${id}@${version}`);
    return this.readVersioned(FRAMEWORK, item, id, version);
  }

  async getLatestFramework(id: string): Promise<Framework> {
    if (!canExist.framework(id)) throw new NotFoundError('framework', id);
    const item = await this.getItem(keys.frameworkLatest(id));
    if (!item) throw new NotFoundError('framework', id);
    return this.readVersioned(FRAMEWORK, item, id);
  }

  async listFrameworks(): Promise<Framework[]> {
    const items = await queryAll(this.context, {
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.frameworksPartition },
    });
    return items.map((item) => this.readVersioned(FRAMEWORK, item, String(item.gsi1sk)));
  }

  async publishFramework(draft: FrameworkDraft): Promise<Framework> {
    const framework = await pinFramework(draft, {
      latestVersions: async (ids) => {
        const latest = await batchGetItems(this.context, ids.map(keys.criterionLatest), { consistent: true });
        return new Map([...latest.values()].map((item) => {
          const criterion = this.readVersioned(CRITERION, item, idOfPk(item, 'CRITERION#'));
          return [criterion.id, criterion.version];
        }));
      },
      existingRefs: async (refs) => new Set((await this.findVersions(refs)).keys()),
      frameworkExists: (id, version) => this.exists(keys.frameworkVersion(id, version)),
      entryVersions: (kind) => (kind === 'item' ? this.items : this.offers).listAll(),
    });

    try {
      await this.putVersionItem(FRAMEWORK, framework);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      await this.repairLatest(FRAMEWORK, framework.id);
      throw new AlreadyExistsError('framework', `${framework.id}@${framework.version}`);
    }
    await this.advanceLatest(FRAMEWORK, framework);
    return framework;
  }

  /**
   * Moves the LATEST item of a criterion up to its newest version, if it lags behind (a writer
   * died between its two puts). Returns the newest version, 0 when there is none.
   */
  async repairLatestCriterion(id: string): Promise<number> {
    return this.repairLatest(CRITERION, id);
  }

  /** The criterion versions found among `refs`, by "id@version"; one batch read per 100, plus a consistent re-read of misses. */
  private async findVersions(refs: readonly CriterionRef[]): Promise<Map<string, Criterion>> {
    const wanted = new Map<string, Key>();
    for (const ref of refs) {
      if (!canExist.ref(ref)) continue;
      wanted.set(refKey(ref), keys.criterionVersion(ref.id, ref.version));
    }
    // Versions are immutable, so an eventually consistent read is right unless the version was
    // written a moment ago: only the keys it misses are read again, consistently.
    const items = await batchGetItems(this.context, [...wanted.values()]);
    const missing = [...wanted.values()].filter((key) => !items.has(keyString(key)));
    if (missing.length > 0) {
      for (const [key, item] of await batchGetItems(this.context, missing, { consistent: true })) items.set(key, item);
    }
    const found = new Map<string, Criterion>();
    for (const item of items.values()) {
      const criterion = this.readVersioned(CRITERION, item, idOfPk(item, 'CRITERION#'), versionOfSk(item));
      found.set(refKey(criterion), criterion);
    }
    return found;
  }

  private async getItem(key: Key): Promise<Item | undefined> {
    const output = await this.context.db.send(new GetCommand({ TableName: this.context.tableName, Key: key, ConsistentRead: true }));
    return output.Item;
  }

  private async exists(key: Key): Promise<boolean> {
    const output = await this.context.db.send(
      new GetCommand({ TableName: this.context.tableName, Key: key, ConsistentRead: true, ProjectionExpression: 'pk' }),
    );
    return output.Item !== undefined;
  }

  private async putVersionItem<T extends { id: string; version: number }>(kind: Versioned<T>, value: T): Promise<void> {
    await this.context.db.send(
      new PutCommand({
        TableName: this.context.tableName,
        Item: { pk: kind.pk(value.id), sk: versionSk(value.version), entity: kind.entity, version: value.version, data: value },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** Replaces the LATEST item with `value` unless it already holds that version or a newer one. */
  private async advanceLatest<T extends { id: string; version: number }>(kind: Versioned<T>, value: T): Promise<void> {
    try {
      await this.context.db.send(
        new PutCommand({
          TableName: this.context.tableName,
          Item: { pk: kind.pk(value.id), sk: LATEST, entity: kind.latestEntity, version: value.version, ...kind.index(value), data: value },
          ConditionExpression: 'attribute_not_exists(pk) OR #version < :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': value.version },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  private async repairLatest<T extends { id: string; version: number }>(kind: Versioned<T>, id: string): Promise<number> {
    const output = await this.context.db.send(
      new QueryCommand({
        TableName: this.context.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
        ExpressionAttributeValues: { ':pk': kind.pk(id), ':v': VERSION_PREFIX },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const newest = output.Items?.[0];
    if (!newest) return 0;
    const value = this.readVersioned(kind, newest, id, versionOfSk(newest));
    await this.advanceLatest(kind, value);
    return value.version;
  }

  private readVersioned<T extends { id: string; version: number }>(kind: Versioned<T>, item: Item, id: string, version?: number): T {
    const latest = item.sk === LATEST;
    return readData(item, latest ? kind.latestEntity : kind.entity, kind.schema, (value) => {
      if (value.id !== id || item.pk !== kind.pk(value.id)) return `${kind.resource} id does not match the key`;
      if (item.version !== value.version || (version !== undefined && value.version !== version)) {
        return `${kind.resource} version does not match the key`;
      }
      if (latest) {
        const index = kind.index(value);
        if (item.gsi1pk !== index.gsi1pk || item.gsi1sk !== index.gsi1sk) return 'index keys do not match the data';
      }
      return undefined;
    });
  }
}

function versionOfSk(item: Item): number {
  const sk = String(item.sk);
  return sk.startsWith(VERSION_PREFIX) ? Number(sk.slice(VERSION_PREFIX.length)) : Number.NaN;
}

function idOfPk(item: Item, prefix: string): string {
  const pk = String(item.pk);
  return pk.startsWith(prefix) ? pk.slice(prefix.length) : '';
}
