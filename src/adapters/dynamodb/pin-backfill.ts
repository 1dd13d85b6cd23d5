import { writeFile } from 'node:fs/promises';
import { DeleteTableCommand, DescribeTableCommand, ResourceNotFoundException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { StoredDraftSchema } from '#src/core/model/draft.ts';
import { TenderRecordSchema } from '#src/app/tender-record.ts';
import { draftPinAttributes } from './dynamodb-draft-repository.ts';
import { tenderPinAttributes } from './dynamodb-tender-repository.ts';
import { batchPutItems, isConditionFailure, type Item, type TableContext } from './operations.ts';
import { ensureTable, GSI3, readData } from './table.ts';

export interface PinBackfill {
  /** Items given their GSI3 attributes by this run. */
  tenders: number;
  drafts: number;
}

/**
 * Gives the tenders and drafts stored before GSI3 existed (table.ts) the pin attributes that every
 * write now adds, so that GSI3 finds them. Idempotent: it reads only items without `gsi3pk`, and
 * each write is conditional on the item being unchanged since it was read (a draft's version, a
 * tender's rendering status) and still without the attribute, so a concurrent save wins and a
 * second run writes nothing. A draft whose request names no framework version stays unindexed, as
 * it would be saved today. One Scan of the table: run once per stage (scripts/backfill-pins.ts),
 * and by the local stack at start-up.
 */
export async function backfillPins(context: TableContext): Promise<PinBackfill> {
  const done: PinBackfill = { tenders: 0, drafts: 0 };
  let start: Item | undefined;
  do {
    const output = await context.db.send(
      new ScanCommand({
        TableName: context.tableName,
        FilterExpression: '(#entity = :tender OR #entity = :draft) AND attribute_not_exists(gsi3pk)',
        ExpressionAttributeNames: { '#entity': 'entity' },
        ExpressionAttributeValues: { ':tender': 'tender', ':draft': 'draft' },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of output.Items ?? []) {
      if (item.entity === 'tender') {
        const record = readData(item, 'tender', TenderRecordSchema);
        const status = record.rendering?.status;
        const written = await putIfUnchanged(context, { ...item, ...tenderPinAttributes(record) }, status === undefined
          ? { condition: 'attribute_not_exists(#data.#rendering)', names: { '#data': 'data', '#rendering': 'rendering' }, values: {} }
          : { condition: '#data.#rendering.#status = :status', names: { '#data': 'data', '#rendering': 'rendering', '#status': 'status' }, values: { ':status': status } });
        if (written) done.tenders += 1;
      } else {
        const draft = readData(item, 'draft', StoredDraftSchema);
        const pin = draftPinAttributes(draft);
        if (!('gsi3pk' in pin)) continue;
        const written = await putIfUnchanged(context, { ...item, ...pin }, { condition: '#v = :v', names: { '#v': 'version' }, values: { ':v': draft.version } });
        if (written) done.drafts += 1;
      }
    }
    start = output.LastEvaluatedKey;
  } while (start);
  return done;
}

async function putIfUnchanged(
  context: TableContext,
  item: Item,
  unchanged: { condition: string; names: Record<string, string>; values: Record<string, unknown> },
): Promise<boolean> {
  try {
    await context.db.send(
      new PutCommand({
        TableName: context.tableName,
        Item: item,
        ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(gsi3pk) AND ${unchanged.condition}`,
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

/** Whether the table has GSI3 (a table created before it existed has not). */
export async function hasPinIndex(client: DynamoDBClient, tableName: string): Promise<boolean> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  return (Table?.GlobalSecondaryIndexes ?? []).some((index) => index.IndexName === GSI3);
}

/**
 * For the local stack's embedded dynalite only, which cannot add an index to a table: rebuilds a
 * table created before GSI3 with it. Every item is read, written to `backupFile` first (so that a
 * crash in between loses nothing: the items are in that file), the table is deleted and created
 * again by ensureTable, and the items are put back as they were; backfillPins then indexes them.
 * A deployed table gets GSI3 from the infrastructure code (an online index creation) instead.
 */
export async function recreateWithPinIndex(client: DynamoDBClient, context: TableContext, backupFile: string): Promise<number> {
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
