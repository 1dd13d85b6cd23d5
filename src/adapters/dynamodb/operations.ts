import {
  BatchGetCommand,
  BatchWriteCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Key } from './table.ts';

/** Where a repository's items live. */
export interface TableContext {
  db: DynamoDBDocumentClient;
  tableName: string;
  /**
   * Delay before the given retry (1-based) of keys a batch call left unprocessed. Full jitter on
   * an exponential base by default; tests pass `() => 0`.
   */
  retryDelayMs?: (attempt: number) => number;
  /** Batch calls per chunk before giving up on unprocessed keys; 8 by default. */
  maxBatchAttempts?: number;
}

export type Item = Record<string, unknown>;

/** BatchGetItem takes at most 100 keys per call. */
export const BATCH_GET_LIMIT = 100;
/** BatchWriteItem takes at most 25 requests per call. */
export const BATCH_WRITE_LIMIT = 25;

export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

export function keyString(key: Key): string {
  return `${key.pk}\u0000${key.sk}`;
}

function defaultDelay(attempt: number): number {
  return Math.random() * Math.min(2_000, 25 * 2 ** attempt);
}

async function pause(context: TableContext, attempt: number): Promise<void> {
  const ms = (context.retryDelayMs ?? defaultDelay)(attempt);
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}

export function chunk<T>(values: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < values.length; i += size) chunks.push(values.slice(i, i + size));
  return chunks;
}

/**
 * Reads the given keys (no duplicates) in ceil(n / 100) BatchGetItem calls, issued together,
 * each retried for the keys the service left unprocessed. Returns the items found, by key
 * (a `projection` must therefore keep `pk` and `sk`).
 */
export async function batchGetItems(
  context: TableContext,
  keys: readonly Key[],
  options: { consistent?: boolean; projection?: string; names?: Record<string, string> } = {},
): Promise<Map<string, Item>> {
  const found = new Map<string, Item>();
  const maxAttempts = context.maxBatchAttempts ?? 8;
  await Promise.all(
    chunk(keys, BATCH_GET_LIMIT).map(async (part) => {
      let pending: Key[] = part;
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > maxAttempts) {
          throw new Error(`BatchGetItem left ${pending.length} keys unprocessed after ${maxAttempts} attempts`);
        }
        if (attempt > 1) await pause(context, attempt - 1);
        const output = await context.db.send(
          new BatchGetCommand({
            RequestItems: {
              [context.tableName]: {
                Keys: pending,
                ConsistentRead: options.consistent ?? false,
                ...(options.projection ? { ProjectionExpression: options.projection } : {}),
                ...(options.names ? { ExpressionAttributeNames: options.names } : {}),
              },
            },
          }),
        );
        for (const item of output.Responses?.[context.tableName] ?? []) {
          found.set(keyString({ pk: String(item.pk), sk: String(item.sk) }), item);
        }
        pending = (output.UnprocessedKeys?.[context.tableName]?.Keys ?? []) as Key[];
      }
    }),
  );
  return found;
}

/** Puts items (unconditionally) in BatchWriteItem calls of 25, retrying unprocessed requests. */
export async function batchPutItems(context: TableContext, items: readonly Item[]): Promise<void> {
  const maxAttempts = context.maxBatchAttempts ?? 8;
  for (const part of chunk(items, BATCH_WRITE_LIMIT)) {
    let pending = part.map((item) => ({ PutRequest: { Item: item } }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > maxAttempts) {
        throw new Error(`BatchWriteItem left ${pending.length} requests unprocessed after ${maxAttempts} attempts`);
      }
      if (attempt > 1) await pause(context, attempt - 1);
      const output = await context.db.send(new BatchWriteCommand({ RequestItems: { [context.tableName]: pending } }));
      pending = (output.UnprocessedItems?.[context.tableName] ?? []) as typeof pending;
    }
  }
}

/** Every item a query matches, following LastEvaluatedKey. */
export async function queryAll(context: TableContext, input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const output = await context.db.send(
      new QueryCommand({ ...input, TableName: context.tableName, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...(output.Items ?? []));
    start = output.LastEvaluatedKey;
  } while (start);
  return items;
}
