import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { CatalogueItemSchema, FrameworkSchema, OfferSchema } from '#src/core/model/catalogue.ts';
import type { CatalogueItem, Framework, Offer } from '#src/core/model/catalogue.ts';
import { CategorySchema, CriterionIdSchema, CriterionSchema } from '#src/core/model/criterion.ts';
import type { Category, Criterion, CriterionRef } from '#src/core/model/criterion.ts';
import { issuesFromZod, NotFoundError, ValidationError, type Issue } from '#src/core/model/errors.ts';
import type { CriteriaRepository, CriterionDraft, FrameworkDraft } from '#src/app/ports/criteria-repository.ts';
import type { Page, PageRequest } from '#src/app/ports/page.ts';
import { AlreadyExistsError, VersionConflictError } from '#src/app/errors.ts';
import {
  batchGetItems,
  batchPutItems,
  isConditionFailure,
  keyString,
  queryAll,
  type Item,
  type TableContext,
} from './operations.ts';
import {
  decodeCursor,
  encodeCursor,
  GSI1,
  gsi1CursorSchema,
  keys,
  LATEST,
  pageLimit,
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

const VersionSchema = z.number().int().positive().max(9_999_999_999);

/**
 * Criteria, frameworks, items and offers in the single table (layout in table.ts).
 *
 * Writing a version takes two conditional puts and no transaction:
 * 1. the immutable version item, with attribute_not_exists, after checking that the previous
 *    version exists: this is the commit point, and it admits one writer per version number;
 * 2. the LATEST copy, conditioned on holding an older version, so it only moves forward.
 * A writer that loses step 1 moves LATEST up to the newest version before reporting the
 * conflict, which also repairs a pointer left behind by a writer that died between the steps.
 */
export class DynamoDbCriteriaRepository implements CriteriaRepository {
  constructor(private readonly context: TableContext) {}

  async getLatest(id: string): Promise<Criterion> {
    if (!CriterionIdSchema.safeParse(id).success) throw new NotFoundError('criterion', id);
    const item = await this.getItem(keys.criterionLatest(id));
    if (!item) throw new NotFoundError('criterion', id);
    return this.readVersioned(CRITERION, item, id);
  }

  async getVersion(id: string, version: number): Promise<Criterion> {
    if (!CriterionIdSchema.safeParse(id).success || !VersionSchema.safeParse(version).success) {
      throw new NotFoundError('criterion', `${id}@${version}`);
    }
    const item = await this.getItem(keys.criterionVersion(id, version));
    if (!item) throw new NotFoundError('criterion', `${id}@${version}`);
    return this.readVersioned(CRITERION, item, id, version);
  }

  async listVersions(id: string): Promise<Criterion[]> {
    if (!CriterionIdSchema.safeParse(id).success) return [];
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
    if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
      throw new ValidationError([{ path: 'expectedVersion', message: 'expected a non-negative integer' }]);
    }
    const version = expectedVersion + 1;
    if (draft.version !== undefined && draft.version !== version) {
      throw new ValidationError([{ path: 'version', message: `expected ${version}, the version after ${expectedVersion}` }]);
    }
    const parsed = CriterionSchema.safeParse({ ...draft, version });
    if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error));
    const criterion = parsed.data;

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
    if (!CategorySchema.safeParse(category).success) {
      throw new ValidationError([{ path: 'category', message: `unknown category "${category}"` }]);
    }
    const limit = pageLimit(page.limit);
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
    const limit = pageLimit(page.limit);
    const framework = await this.getFramework(frameworkId, version);
    const refs = framework.criteria;
    let offset = 0;
    if (page.cursor !== undefined) {
      const cursor = decodeCursor(
        page.cursor,
        z.strictObject({ f: z.literal(`${frameworkId}@${version}`), o: z.number().int().min(1).max(refs.length - 1) }),
      );
      offset = cursor.o;
    }
    const items = await this.batchGetVersions(refs.slice(offset, offset + limit));
    const next = offset + limit;
    return next < refs.length ? { items, cursor: encodeCursor({ f: `${frameworkId}@${version}`, o: next }) } : { items };
  }

  async getFramework(id: string, version: number): Promise<Framework> {
    if (!VersionSchema.safeParse(version).success || !/^[a-z0-9][a-z0-9-]*$/.test(id)) {
      throw new NotFoundError('framework', `${id}@${version}`);
    }
    const item = await this.getItem(keys.frameworkVersion(id, version));
    if (!item) throw new NotFoundError('framework', `${id}@${version}`);
    return this.readVersioned(FRAMEWORK, item, id, version);
  }

  async getLatestFramework(id: string): Promise<Framework> {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) throw new NotFoundError('framework', id);
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
    const issues: Issue[] = [];
    if (draft.status !== 'published') issues.push({ path: 'status', message: 'a published framework has status "published"' });

    // Pin the latest version of the criteria named without one.
    const unpinned = [...new Set(draft.criteria.filter((c) => c.version === undefined).map((c) => c.id))].filter(
      (id) => CriterionIdSchema.safeParse(id).success,
    );
    const latest = await batchGetItems(this.context, unpinned.map(keys.criterionLatest), { consistent: true });
    const unknown = new Set<number>();
    const pinned = draft.criteria.map((ref, i) => {
      if (ref.version !== undefined) return { id: ref.id, version: ref.version };
      const item = latest.get(keyString(keys.criterionLatest(ref.id)));
      if (!item) {
        issues.push({ path: `criteria.${i}.id`, message: `unknown criterion "${ref.id}"` });
        unknown.add(i);
        return { id: ref.id, version: 1 };
      }
      return { id: ref.id, version: this.readVersioned(CRITERION, item, ref.id).version };
    });

    const parsed = FrameworkSchema.safeParse({ ...draft, criteria: pinned });
    if (!parsed.success) throw new ValidationError([...issues, ...issuesFromZod(parsed.error)]);
    const framework = parsed.data;

    const found = await this.findVersions(framework.criteria);
    framework.criteria.forEach((ref, i) => {
      if (!unknown.has(i) && !found.has(refKey(ref))) {
        issues.push({ path: `criteria.${i}.version`, message: `criterion "${ref.id}" has no version ${ref.version}` });
      }
    });
    if (framework.version > 1 && !(await this.exists(keys.frameworkVersion(framework.id, framework.version - 1)))) {
      issues.push({ path: 'version', message: `version ${framework.version - 1} of framework "${framework.id}" is not published` });
    }
    if (issues.length > 0) throw new ValidationError(issues);

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

  async putItems(items: readonly CatalogueItem[]): Promise<void> {
    const valid = validateAll(items, CatalogueItemSchema, 'items');
    await batchPutItems(
      this.context,
      valid.map((item) => ({ pk: keys.itemsPk, sk: item.id, entity: 'item', data: item })),
    );
  }

  async putOffers(offers: readonly Offer[]): Promise<void> {
    const valid = validateAll(offers, OfferSchema, 'offers');
    await batchPutItems(
      this.context,
      valid.map((offer) => ({ pk: keys.offersPk, sk: offer.id, entity: 'offer', data: offer })),
    );
  }

  async listItems(): Promise<CatalogueItem[]> {
    const items = await queryAll(this.context, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.itemsPk },
    });
    return items.map((item) => readData(item, 'item', CatalogueItemSchema, (i) => (i.id === item.sk ? undefined : 'id does not match sk')));
  }

  async listOffers(): Promise<Offer[]> {
    const items = await queryAll(this.context, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.offersPk },
    });
    return items.map((item) => readData(item, 'offer', OfferSchema, (o) => (o.id === item.sk ? undefined : 'id does not match sk')));
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
      if (!CriterionIdSchema.safeParse(ref.id).success || !VersionSchema.safeParse(ref.version).success) continue;
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

function refKey(ref: CriterionRef): string {
  return `${ref.id}@${ref.version}`;
}

function versionOfSk(item: Item): number {
  const sk = String(item.sk);
  return sk.startsWith(VERSION_PREFIX) ? Number(sk.slice(VERSION_PREFIX.length)) : Number.NaN;
}

function idOfPk(item: Item, prefix: string): string {
  const pk = String(item.pk);
  return pk.startsWith(prefix) ? pk.slice(prefix.length) : '';
}

function validateAll<T>(values: readonly unknown[], schema: z.ZodType<T>, path: string): T[] {
  const issues: Issue[] = [];
  const valid: T[] = [];
  const ids = new Set<string>();
  values.forEach((value, i) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      issues.push(...issuesFromZod(parsed.error, `${path}.${i}`));
      return;
    }
    const id = (parsed.data as { id: string }).id;
    if (ids.has(id)) issues.push({ path: `${path}.${i}.id`, message: `duplicate id "${id}"` });
    ids.add(id);
    valid.push(parsed.data);
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return valid;
}
