import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AuditEntrySchema, type AuditEntry, type AuditTarget } from '#src/core/audit/audit-entry.ts';
import { issuesFromZod, ValidationError } from '#src/core/model/errors.ts';
import { AlreadyExistsError } from '#src/app/errors.ts';
import type { AuditLog } from '#src/app/ports/audit-log.ts';
import { auditKey, recentSortKey } from '#src/adapters/stores/audit.ts';
import { pageLimit } from '#src/adapters/stores/paging.ts';
import { isConditionFailure, queryAll, type TableContext } from './operations.ts';
import { GSI1, keys, readData, versionSk } from './table.ts';

/**
 * The audit trail in the Cahier table: one item per target version under AUDIT#<kind>#<id>,
 * written once (attribute_not_exists), never updated or deleted (the writing function's role
 * grants PutItem only); GSI1's AUDIT partition lists the latest edits across the editors' targets.
 * Bid entries carry no GSI1 key (the index is sparse): they stay out of the editors' listing,
 * which any reader may query, and are read by their own partition only.
 */
export class DynamoDbAuditLog implements AuditLog {
  constructor(private readonly context: TableContext) {}

  async append(entry: AuditEntry): Promise<void> {
    const parsed = AuditEntrySchema.safeParse(entry);
    if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error));
    const data = parsed.data;
    try {
      await this.context.db.send(
        new PutCommand({
          TableName: this.context.tableName,
          Item: {
            pk: keys.auditPk(data.target.kind, data.target.id),
            sk: versionSk(data.target.version),
            ...(data.target.kind === 'bid' ? {} : { gsi1pk: keys.auditPartition, gsi1sk: recentSortKey(data) }),
            entity: 'audit',
            data,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new AlreadyExistsError('audit entry', auditKey(data.target));
      throw error;
    }
  }

  async history(kind: AuditTarget['kind'], id: string): Promise<AuditEntry[]> {
    const items = await queryAll(this.context, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.auditPk(kind, id) },
      ConsistentRead: true,
    });
    return items.map((item) => this.read(item));
  }

  async recent(limit: number): Promise<AuditEntry[]> {
    const output = await this.context.db.send(
      new QueryCommand({
        TableName: this.context.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': keys.auditPartition },
        ScanIndexForward: false,
        Limit: pageLimit(limit),
      }),
    );
    return (output.Items ?? []).map((item) => this.read(item));
  }

  private read(item: Record<string, unknown>): AuditEntry {
    return readData(item, 'audit', AuditEntrySchema, (entry) =>
      item.pk === keys.auditPk(entry.target.kind, entry.target.id) && item.sk === versionSk(entry.target.version) ? undefined : 'entry does not match its key',
    );
  }
}
