import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '#src/core/model/errors.ts';
import { draftSummary, DraftStatusSchema, DraftSummarySchema, StoredDraftSchema, type DraftStatus, type DraftSummary, type StoredDraft } from '#src/core/model/draft.ts';
import { AlreadyExistsError, VersionConflictError } from '#src/app/errors.ts';
import type { DraftRepository } from '#src/app/ports/draft-repository.ts';
import type { FrameworkPin } from '#src/app/ports/tender-repository.ts';
import { draftPin } from '../stores/pins.ts';
import { checkStoredDraft, draftOrder } from '../stores/drafts.ts';
import { isConditionFailure, queryAll, type Item, type TableContext } from './operations.ts';
import { CorruptItemError, GSI3, keys, readData } from './table.ts';

/**
 * Buyers' drafts in the Cahier table: one item per draft under `DRAFT#<owner>` / `<id>`, so a
 * buyer's drafts are one partition and a key never reaches another owner's. The item carries the
 * draft in `data`, its `version` (every write is conditional on it) and its `summary` (name,
 * title, status, dates), which the listing reads alone (ProjectionExpression) without the requests.
 */
export class DynamoDbDraftRepository implements DraftRepository {
  constructor(private readonly context: TableContext) {}

  async create(input: StoredDraft): Promise<void> {
    const draft = checkStoredDraft(input);
    if (draft.version !== 1) throw new VersionConflictError('draft', draft.id, 0, undefined);
    try {
      await this.context.db.send(new PutCommand({ TableName: this.context.tableName, Item: item(draft), ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (error) {
      if (isConditionFailure(error)) throw new AlreadyExistsError('draft', draft.id);
      throw error;
    }
  }

  async get(owner: string, id: string): Promise<StoredDraft> {
    const found = await this.read(owner, id);
    if (!found) throw new NotFoundError('draft', id);
    return found;
  }

  async list(owner: string): Promise<DraftSummary[]> {
    const items = await queryAll(this.context, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.draftPk(owner) },
      ProjectionExpression: 'pk, sk, entity, summary',
      ConsistentRead: true,
    });
    return items
      .map((i) => readData({ ...i, data: i.summary }, 'draft', DraftSummarySchema, (s) => (s.id === i.sk ? undefined : 'summary does not match its key')))
      .sort(draftOrder);
  }

  async replace(input: StoredDraft, expectedVersion: number): Promise<void> {
    const draft = checkStoredDraft(input);
    if (draft.version !== expectedVersion + 1) throw new VersionConflictError('draft', draft.id, expectedVersion, undefined);
    try {
      await this.context.db.send(
        new PutCommand({
          TableName: this.context.tableName,
          Item: item(draft),
          ConditionExpression: '#v = :expected',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw await this.failure(draft.owner, draft.id, expectedVersion);
      throw error;
    }
  }

  /** Counts of GSI3's partition PIN#<framework>@<version>, per status (Select COUNT: no draft is read). */
  async countPinning(framework: FrameworkPin): Promise<Record<DraftStatus, number>> {
    const counts: Record<DraftStatus, number> = { incomplete: 0, ready: 0 };
    for (const status of DraftStatusSchema.options) {
      let start: Item | undefined;
      do {
        const output = await this.context.db.send(
          new QueryCommand({
            TableName: this.context.tableName,
            IndexName: GSI3,
            KeyConditionExpression: 'gsi3pk = :p AND begins_with(gsi3sk, :status)',
            ExpressionAttributeValues: { ':p': keys.pinPartition(framework), ':status': `${PIN_DRAFT_PREFIX}${status}#` },
            Select: 'COUNT',
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        counts[status] += output.Count ?? 0;
        start = output.LastEvaluatedKey;
      } while (start);
    }
    return counts;
  }

  async delete(owner: string, id: string, expectedVersion: number): Promise<void> {
    try {
      await this.context.db.send(
        new DeleteCommand({
          TableName: this.context.tableName,
          Key: keys.draft(owner, id),
          ConditionExpression: '#v = :expected',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw await this.failure(owner, id, expectedVersion);
      throw error;
    }
  }

  /** Why a conditional write failed: the draft is gone, or another version is stored. */
  private async failure(owner: string, id: string, expectedVersion: number): Promise<Error> {
    const current = await this.read(owner, id);
    return current ? new VersionConflictError('draft', id, expectedVersion, current.version) : new NotFoundError('draft', id);
  }

  private async read(owner: string, id: string): Promise<StoredDraft | undefined> {
    const key = keys.draft(owner, id);
    const output = await this.context.db.send(new GetCommand({ TableName: this.context.tableName, Key: key, ConsistentRead: true }));
    if (!output.Item) return undefined;
    const draft = readData(output.Item, 'draft', StoredDraftSchema, (d) => (d.owner === owner && d.id === id ? undefined : 'draft does not match its key'));
    if (output.Item.version !== draft.version) throw new CorruptItemError(key, ['version attribute differs from the draft’s']);
    return draft;
  }
}

/** GSI3 sort keys of drafts (table.ts): by status, so that each status is counted apart. */
const PIN_DRAFT_PREFIX = 'DRAFT#';

/** The GSI3 attributes of a draft whose request names a framework version; none otherwise (sparse). */
export function draftPinAttributes(draft: StoredDraft): { gsi3pk: string; gsi3sk: string } | Record<string, never> {
  const pin = draftPin(draft);
  return pin ? { gsi3pk: keys.pinPartition(pin), gsi3sk: `${PIN_DRAFT_PREFIX}${draft.status}#${encodeURIComponent(draft.owner)}#${draft.id}` } : {};
}

function item(draft: StoredDraft): Record<string, unknown> {
  return { ...keys.draft(draft.owner, draft.id), entity: 'draft', version: draft.version, summary: draftSummary(draft), ...draftPinAttributes(draft), data: draft };
}
