import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '#src/core/model/errors.ts';
import { draftSummary, DraftSummarySchema, StoredDraftSchema, type DraftSummary, type StoredDraft } from '#src/core/model/draft.ts';
import { AlreadyExistsError, VersionConflictError } from '#src/app/errors.ts';
import type { DraftRepository } from '#src/app/ports/draft-repository.ts';
import { checkStoredDraft, draftOrder } from '../stores/drafts.ts';
import { isConditionFailure, queryAll, type TableContext } from './operations.ts';
import { CorruptItemError, keys, readData } from './table.ts';

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

function item(draft: StoredDraft): Record<string, unknown> {
  return { ...keys.draft(draft.owner, draft.id), entity: 'draft', version: draft.version, summary: draftSummary(draft), data: draft };
}
