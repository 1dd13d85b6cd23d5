import { writeFile } from 'node:fs/promises';
import { DeleteTableCommand, DescribeTableCommand, ResourceNotFoundException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { StoredDraftSchema } from '#src/core/model/draft.ts';
import { tenderSummary, TenderRecordSchema } from '#src/app/tender-record.ts';
import { draftPinAttributes } from './dynamodb-draft-repository.ts';
import { tenderPinAttributes } from './dynamodb-tender-repository.ts';
import { batchPutItems, isConditionFailure, type Item, type TableContext } from './operations.ts';
import { ensureTable, readData, TABLE_INDEXES } from './table.ts';

export interface IndexBackfill {
  /** Tender items given their GSI3 attributes and their `summary` (GSI2_SUMMARIES) by this run. */
  tenders: number;
  /** Draft items given their GSI3 attributes by this run. */
  drafts: number;
}

/**
 * Gives the items stored before an index existed (table.ts) the attributes that every write now
 * adds: a tender's pin (GSI3) and `summary` (GSI2_SUMMARIES), a draft's pin. Without them, the
 * impact of a framework change (POST /frameworks/{id}/impact) does not list them, and listing a
 * caller's tenders reads their summaries from the table. Idempotent: it reads only the items that
 * lack an attribute, and each write is conditional on the item being unchanged since it was read
 * (a draft's version; for a tender, no `summary` yet, which every tender write now adds, and the
 * same rendering status) and still without the attribute, so a concurrent save wins and a second
 * run writes nothing. A draft whose request names no framework version stays unindexed, as it
 * would be saved today. One Scan of the table: run once per stage (scripts/backfill-indexes.ts),
 * and by the local stack at start-up.
 */
export async function backfillIndexAttributes(context: TableContext): Promise<IndexBackfill> {
  const done: IndexBackfill = { tenders: 0, drafts: 0 };
  let start: Item | undefined;
  do {
    const output = await context.db.send(
      new ScanCommand({
        TableName: context.tableName,
        FilterExpression: '(#entity = :tender AND (attribute_not_exists(gsi3pk) OR attribute_not_exists(summary))) OR (#entity = :draft AND attribute_not_exists(gsi3pk))',
        ExpressionAttributeNames: { '#entity': 'entity' },
        ExpressionAttributeValues: { ':tender': 'tender', ':draft': 'draft' },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of output.Items ?? []) {
      if (item.entity === 'tender') {
        const record = readData(item, 'tender', TenderRecordSchema);
        const status = record.rendering?.status;
        const indexed = { ...item, ...tenderPinAttributes(record), summary: tenderSummary(record) };
        const written = await putIfUnchanged(context, indexed, 'summary', status === undefined
          ? { condition: 'attribute_not_exists(#data.#rendering)', names: { '#data': 'data', '#rendering': 'rendering' }, values: {} }
          : { condition: '#data.#rendering.#status = :status', names: { '#data': 'data', '#rendering': 'rendering', '#status': 'status' }, values: { ':status': status } });
        if (written) done.tenders += 1;
      } else {
        const draft = readData(item, 'draft', StoredDraftSchema);
        const pin = draftPinAttributes(draft);
        if (!('gsi3pk' in pin)) continue;
        const written = await putIfUnchanged(context, { ...item, ...pin }, 'gsi3pk', { condition: '#v = :v', names: { '#v': 'version' }, values: { ':v': draft.version } });
        if (written) done.drafts += 1;
      }
    }
    start = output.LastEvaluatedKey;
  } while (start);
  return done;
}

/** Puts `item` where it exists, still lacks `absent` (an attribute every write of its kind now adds) and meets `unchanged`. */
async function putIfUnchanged(
  context: TableContext,
  item: Item,
  absent: 'gsi3pk' | 'summary',
  unchanged: { condition: string; names: Record<string, string>; values: Record<string, unknown> },
): Promise<boolean> {
  try {
    await context.db.send(
      new PutCommand({
        TableName: context.tableName,
        Item: item,
        ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(${absent}) AND ${unchanged.condition}`,
        ExpressionAttributeNames: unchanged.names,
        ...(Object.keys(unchanged.values).length > 0 ? { ExpressionAttributeValues: unchanged.values } : {}),
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** The indexes of table.ts's layout (ensureTable) that the table lacks: a table created before them. */
export async function missingIndexes(client: DynamoDBClient, tableName: string): Promise<string[]> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  return TABLE_INDEXES.filter((index) => !present.has(index));
}

/**
 * For the local stack's embedded dynalite only, which cannot add an index to a table: rebuilds a
 * table created before some of its indexes with all of them. Every item is read, written to
 * `backupFile` first (so that a crash in between loses nothing: the items are in that file), the
 * table is deleted and created again by ensureTable, and the items are put back as they were;
 * backfillIndexAttributes then indexes them. A deployed table gets a new index from the
 * infrastructure code (an online index creation) instead.
 */
export async function recreateWithIndexes(client: DynamoDBClient, context: TableContext, backupFile: string): Promise<number> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const output = await context.db.send(new ScanCommand({ TableName: context.tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(output.Items ?? []));
    start = output.LastEvaluatedKey;
  } while (start);
  await writeFile(backupFile, JSON.stringify(items), { mode: 0o600 });
  await client.send(new DeleteTableCommand({ TableName: context.tableName }));
  for (let delay = 20; ; delay = Math.min(delay * 2, 1_000)) {
    try {
      await client.send(new DescribeTableCommand({ TableName: context.tableName }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) break;
      throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  await ensureTable(client, context.tableName);
  await batchPutItems(context, items);
  return items.length;
}
