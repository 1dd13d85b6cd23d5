import type { AuditEntry, AuditTarget } from '#src/core/audit/audit-entry.ts';
import { compareBytes } from './paging.ts';

/** One key per target version: what makes the trail append-only in every store. */
export function auditKey(target: AuditTarget): string {
  return `${target.kind}#${target.id}#${String(target.version).padStart(10, '0')}`;
}

/** The sort key of the recent-edits listing: time, then the target, so that equal times still order the same everywhere. */
export function recentSortKey(entry: AuditEntry): string {
  return `${entry.at}#${auditKey(entry.target)}`;
}

/** Newest first, as the DynamoDB index reads backwards. */
export function recentOrder(a: AuditEntry, b: AuditEntry): number {
  return compareBytes(recentSortKey(b), recentSortKey(a));
}
