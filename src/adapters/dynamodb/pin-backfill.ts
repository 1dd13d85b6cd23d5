import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { StoredDraftSchema } from '#src/core/model/draft.ts';
import { TenderRecordSchema } from '#src/app/tender-record.ts';
import { draftPinAttributes } from './dynamodb-draft-repository.ts';
import { tenderPinAttributes } from './dynamodb-tender-repository.ts';
import { isConditionFailure, type Item, type TableContext } from './operations.ts';
import { readData } from './table.ts';

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
