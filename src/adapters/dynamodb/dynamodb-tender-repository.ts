import type * as z from 'zod';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '#src/core/model/errors.ts';
import { tenderSummary, TenderRecordSchema, TenderSummarySchema, type TenderRecord, type TenderSummary } from '#src/app/tender-record.ts';
import type { Page, PageRequest } from '#src/app/ports/page.ts';
import type { FrameworkPin, IdempotencyClaim, PutTenderResult, TenderRepository } from '#src/app/ports/tender-repository.ts';
import { AlreadyExistsError, IdempotencyKeyReusedError } from '#src/app/errors.ts';
import { batchGetItems, isConditionFailure, keyString, type Item, type TableContext } from './operations.ts';
import { decodeCursor, encodeCursor, pageLimit } from '../stores/paging.ts';
import { canHold, checkDcePiecesRecord, checkFinishedRendering, checkTenderRecord, claimExpiry } from '../stores/tenders.ts';
import { GSI1, GSI2, GSI2_SUMMARIES, GSI3, gsi2CursorSchema, keys, readData, TTL_ATTRIBUTE } from './table.ts';
import { pinLimit } from '../stores/pins.ts';

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
    const record = checkTenderRecord(input);
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
            // DynamoDB's TTL (and collectGarbage locally) forgets the key after its lifetime.
            [TTL_ATTRIBUTE]: claimExpiry(record.createdAt),
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
    const existing = await this.completeClaim(record);
    // The key had expired and been forgotten, but the identical request maps to the same tender id,
    // recorded then: answer that tender, as a replay.
    if (existing && existing.createdAt !== record.createdAt) return { record: existing, created: false };
    return { record, created: true };
  }

  async completeRendering(input: TenderRecord): Promise<boolean> {
    const record = checkFinishedRendering(input);
    try {
      await this.context.db.send(
        new PutCommand({
          TableName: this.context.tableName,
          Item: tenderItem(record),
          // The tender exists, under the same owner and date, and its rendering is still pending.
          ConditionExpression: '#data.#rendering.#status = :pending AND #data.createdAt = :createdAt AND #data.#owner = :owner',
          ExpressionAttributeNames: { '#data': 'data', '#rendering': 'rendering', '#status': 'status', '#owner': 'owner' },
          ExpressionAttributeValues: { ':pending': 'pending', ':createdAt': record.createdAt, ':owner': record.owner },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async recordDcePieces(input: TenderRecord): Promise<boolean> {
    const record = checkDcePiecesRecord(input);
    try {
      await this.context.db.send(
        new PutCommand({
          TableName: this.context.tableName,
          Item: tenderItem(record),
          // The same tender, its documents ready (rendered inline, or apart and finished), not marked yet.
          ConditionExpression:
            '#data.createdAt = :createdAt AND #data.#owner = :owner AND attribute_not_exists(#data.dcePieces) AND (attribute_not_exists(#data.#rendering) OR #data.#rendering.#status = :ready)',
          ExpressionAttributeNames: { '#data': 'data', '#rendering': 'rendering', '#status': 'status', '#owner': 'owner' },
          ExpressionAttributeValues: { ':ready': 'ready', ':createdAt': record.createdAt, ':owner': record.owner },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async get(id: string): Promise<TenderRecord> {
    if (!canHold.tender(id)) throw new NotFoundError('tender', id);
    const output = await this.context.db.send(
      new GetCommand({ TableName: this.context.tableName, Key: keys.tender(id), ConsistentRead: true }),
    );
    if (!output.Item) throw new NotFoundError('tender', id);
    return readTender(output.Item, id);
  }

  async listByOwner(owner: string, page: PageRequest = {}): Promise<Page<TenderRecord>> {
    const listed = await this.queryOwner(owner, page, GSI2);
    return { ...listed, items: ownedBy(owner, listed.items.map((item) => readTender(item, tenderIdOf(item)))) };
  }

  /**
   * The Query of listByOwner on GSI2_SUMMARIES, which holds each tender's `summary` and not its
   * record: the requests (most of a record's bytes) are neither read nor billed. A tender stored
   * before the summary existed is in the index by its keys alone; its summary is read from the
   * table (one BatchGetItem for the page) until backfillIndexAttributes gives it the attribute.
   */
  async listSummariesByOwner(owner: string, page: PageRequest = {}): Promise<Page<TenderSummary>> {
    const listed = await this.queryOwner(owner, page, GSI2_SUMMARIES);
    const older = listed.items.filter((item) => item.summary === undefined).map((item) => keys.tender(tenderIdOf(item)));
    const fromTable = older.length === 0 ? new Map<string, Item>() : await batchGetItems(this.context, older, SUMMARY_PROJECTION);
    const items: TenderSummary[] = [];
    for (const item of listed.items) {
      if (item.summary !== undefined) {
        items.push(readSummary({ ...item, data: item.summary }, tenderIdOf(item)));
        continue;
      }
      // Gone from the table since the index was read (an index lags its table): not listed, as it will not be a moment later.
      const stored = fromTable.get(keyString({ pk: String(item.pk), sk: String(item.sk) }));
      if (stored) items.push(readSummary(stored, tenderIdOf(stored)));
    }
    return { ...listed, items: ownedBy(owner, items) };
  }

  /** One page of the caller's partition of GSI2 or GSI2_SUMMARIES (the same keys), newest first, as stored. */
  private async queryOwner(owner: string, page: PageRequest, indexName: typeof GSI2 | typeof GSI2_SUMMARIES): Promise<Page<Item>> {
    const limit = pageLimit(page.limit);
    if (!canHold.owner(owner)) return { items: [] };
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
        IndexName: indexName,
        KeyConditionExpression: 'gsi2pk = :p',
        ExpressionAttributeValues: { ':p': partition },
        ScanIndexForward: false,
        Limit: limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const items = output.Items ?? [];
    return output.LastEvaluatedKey ? { items, cursor: encodeCursor(output.LastEvaluatedKey) } : { items };
  }

  /**
   * A Query of GSI3's partition PIN#<framework>@<version>, tender keys only (the drafts of the
   * same partition sort under DRAFT#), newest first, until one more than `limit` is read.
   */
  async listPinning(framework: FrameworkPin, limit: number): Promise<{ items: TenderRecord[]; truncated: boolean }> {
    const max = pinLimit(limit);
    const items: TenderRecord[] = [];
    let start: Item | undefined;
    do {
      const output = await this.context.db.send(
        new QueryCommand({
          TableName: this.context.tableName,
          IndexName: GSI3,
          KeyConditionExpression: 'gsi3pk = :p AND begins_with(gsi3sk, :tenders)',
          ExpressionAttributeValues: { ':p': keys.pinPartition(framework), ':tenders': PIN_TENDER_PREFIX },
          ScanIndexForward: false,
          Limit: max + 1 - items.length,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of output.Items ?? []) items.push(readTender(item, tenderIdOf(item)));
      start = output.LastEvaluatedKey;
    } while (start && items.length <= max);
    return { items: items.slice(0, max), truncated: items.length > max };
  }

  async findByIdempotencyKey(owner: string, key: string): Promise<TenderRecord | undefined> {
    if (!canHold.claim(owner, key)) return undefined;
    const claimed = await this.readClaim(owner, key);
    if (!claimed) return undefined;
    await this.completeClaim(claimed);
    return claimed;
  }

  async findExisting(ids: readonly string[]): Promise<Set<string>> {
    const valid = [...new Set(ids)].filter(canHold.tender);
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

  /**
   * Makes sure the tender of a claim is recorded: the second step of `put`, or its completion after
   * a crash. Answers the tender already recorded under that id, if there was one.
   */
  private async completeClaim(record: TenderRecord): Promise<TenderRecord | undefined> {
    const existing = await this.context.db.send(
      new GetCommand({
        TableName: this.context.tableName,
        Key: keys.tender(record.id),
        ConsistentRead: true,
        ProjectionExpression: 'pk, #data.createdAt',
        ExpressionAttributeNames: { '#data': 'data' },
      }),
    );
    if (existing.Item) {
      const createdAt = (existing.Item.data as { createdAt?: unknown } | undefined)?.createdAt;
      return createdAt === record.createdAt ? record : this.get(record.id);
    }
    // A concurrent completion of the same claim may win this put; either way the item holds this record.
    await this.putTenderItem(record);
    return undefined;
  }

  /**
   * A Query of the sparse GSI1 partition RENDERINGS#PENDING (table.ts), sort key below the cutoff:
   * only tenders still pending are in it, so the gc reads what it may act on and nothing else.
   */
  async *listPendingRenderings(createdBefore: Date): AsyncIterable<TenderRecord> {
    let start: Item | undefined;
    do {
      const output = await this.context.db.send(
        new QueryCommand({
          TableName: this.context.tableName,
          IndexName: GSI1,
          KeyConditionExpression: 'gsi1pk = :p AND gsi1sk < :before',
          ExpressionAttributeValues: { ':p': keys.pendingRenderingsPartition, ':before': createdBefore.toISOString() },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of output.Items ?? []) {
        const record = readTender(item, tenderIdOf(item));
        // The index is eventually consistent: an item rewritten a moment ago may still be listed as it was.
        if (record.rendering?.status === 'pending') yield record;
      }
      start = output.LastEvaluatedKey;
    } while (start);
  }

  async *listClaims(): AsyncIterable<IdempotencyClaim> {
    let start: Item | undefined;
    do {
      const output = await this.context.db.send(
        new ScanCommand({
          TableName: this.context.tableName,
          FilterExpression: '#entity = :claim',
          ProjectionExpression: 'pk, sk, tenderId, #ttl, #data.#owner, #data.idempotencyKey, #data.createdAt',
          ExpressionAttributeNames: { '#entity': 'entity', '#ttl': TTL_ATTRIBUTE, '#data': 'data', '#owner': 'owner' },
          ExpressionAttributeValues: { ':claim': 'idempotency' },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of output.Items ?? []) {
        const data = item.data as { owner?: unknown; idempotencyKey?: unknown; createdAt?: unknown } | undefined;
        const owner = data?.owner;
        const key = data?.idempotencyKey;
        const createdAt = data?.createdAt;
        if (typeof owner !== 'string' || typeof key !== 'string' || typeof item.tenderId !== 'string' || typeof createdAt !== 'string') {
          throw new Error(`corrupt idempotency claim ${String(item.pk)}`);
        }
        // Claims written before the TTL attribute existed expire a lifetime after their tender's date.
        const ttl = typeof item[TTL_ATTRIBUTE] === 'number' ? (item[TTL_ATTRIBUTE] as number) : claimExpiry(createdAt);
        yield { owner, key, tenderId: item.tenderId, expiresAt: new Date(ttl * 1000) };
      }
      start = output.LastEvaluatedKey;
    } while (start);
  }

  async deleteClaim(owner: string, key: string): Promise<void> {
    await this.context.db.send(new DeleteCommand({ TableName: this.context.tableName, Key: keys.idempotency(owner, key) }));
  }

  /** Puts the tender item unless it exists; false when it did. */
  private async putTenderItem(record: TenderRecord): Promise<boolean> {
    try {
      await this.context.db.send(
        new PutCommand({
          TableName: this.context.tableName,
          Item: tenderItem(record),
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

/** GSI3 sort keys of tenders (table.ts); the drafts pinning the same version sort under DRAFT#. */
const PIN_TENDER_PREFIX = 'TENDER#';

/** The GSI3 attributes of a tender: the framework version its record was resolved against. */
export function tenderPinAttributes(record: Pick<TenderRecord, 'framework' | 'createdAt' | 'id'>): { gsi3pk: string; gsi3sk: string } {
  return { gsi3pk: keys.pinPartition(record.framework), gsi3sk: `${PIN_TENDER_PREFIX}${record.createdAt}#${record.id}` };
}

function tenderItem(record: TenderRecord): Item {
  const sortKey = `${record.createdAt}#${record.id}`;
  // A pending rendering is listed in GSI1 for the gc; the item that records its end has no GSI1 attributes.
  const pending = record.rendering?.status === 'pending' ? { gsi1pk: keys.pendingRenderingsPartition, gsi1sk: sortKey } : {};
  return {
    ...keys.tender(record.id),
    entity: 'tender',
    gsi2pk: keys.ownerPartition(record.owner),
    gsi2sk: sortKey,
    ...pending,
    ...tenderPinAttributes(record),
    // What GSI2_SUMMARIES projects: written with the record, in the same item, so never apart from it.
    summary: tenderSummary(record),
    data: record,
  };
}

function tenderIdOf(item: Item): string {
  return String(item.pk).slice('TENDER#'.length);
}

function ownedBy<T extends { id: string; owner: string }>(owner: string, listed: T[]): T[] {
  for (const tender of listed) {
    if (tender.owner !== owner) throw new Error(`tender ${tender.id} is indexed under another owner`);
  }
  return listed;
}

/**
 * The attributes of a tender item a summary reads (TenderSummarySchema), and the keys readTender
 * checks: what a listing reads of a tender stored before its item carried `summary`.
 */
const SUMMARY_PROJECTION = {
  projection: [
    'pk, sk, gsi2pk, gsi2sk, gsi3pk, #entity',
    ...['#id', '#owner', '#createdAt', '#requestHash', '#request.#title', '#request.#framework', '#framework', '#documents', '#contentHash', '#rendering'].map((path) => `#data.${path}`),
  ].join(', '),
  names: Object.fromEntries(
    ['entity', 'data', 'id', 'owner', 'createdAt', 'requestHash', 'request', 'title', 'framework', 'documents', 'contentHash', 'rendering'].map((name) => [`#${name}`, name]),
  ),
};

function readTender(item: Item, id: string): TenderRecord {
  return readChecked(item, id, TenderRecordSchema);
}

function readSummary(item: Item, id: string): TenderSummary {
  return readChecked(item, id, TenderSummarySchema);
}

function readChecked<T extends Pick<TenderRecord, 'id' | 'owner' | 'createdAt' | 'framework'>>(item: Item, id: string, schema: z.ZodType<T>): T {
  return readData(item, 'tender', schema, (r) =>
    r.id === id &&
    item.pk === keys.tender(r.id).pk &&
    item.gsi2pk === keys.ownerPartition(r.owner) &&
    item.gsi2sk === `${r.createdAt}#${r.id}` &&
    // Tenders recorded before GSI3 have no pin until backfillIndexAttributes adds it.
    (item.gsi3pk === undefined || item.gsi3pk === tenderPinAttributes(r).gsi3pk)
      ? undefined
      : 'record does not match its keys',
  );
}
