import type { AuditEntry, AuditTarget } from '#src/core/audit/audit-entry.ts';

/**
 * The append-only audit trail of the ministry's edits and of the buyers' bid withdrawals (DynamoDB,
 * or in memory for the fast tests).
 * There is no update and no delete: an entry, once appended, is the record of that version.
 */
export interface AuditLog {
  /** Appends an entry. AlreadyExistsError when the target version already has one; ValidationError when it does not fit AuditEntrySchema. */
  append(entry: AuditEntry): Promise<void>;

  /** Every entry of one criterion, framework or bid, oldest version first. */
  history(kind: AuditTarget['kind'], id: string): Promise<AuditEntry[]>;

  /** The latest entries of the editors' targets (criteria, frameworks; never bids), newest first, at most `limit` (1 to 100). */
  recent(limit: number): Promise<AuditEntry[]>;
}
