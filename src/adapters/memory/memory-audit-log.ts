import { AuditEntrySchema, type AuditEntry, type AuditTarget } from '#src/core/audit/audit-entry.ts';
import { issuesFromZod, ValidationError } from '#src/core/model/errors.ts';
import { AlreadyExistsError } from '#src/app/errors.ts';
import type { AuditLog } from '#src/app/ports/audit-log.ts';
import { auditKey, recentOrder } from '#src/adapters/stores/audit.ts';
import { pageLimit } from '#src/adapters/stores/paging.ts';

/** The audit trail in memory, with the DynamoDB adapter's semantics (test/contracts/audit-log.contract.ts). */
export class MemoryAuditLog implements AuditLog {
  private readonly entries = new Map<string, AuditEntry>();

  async append(entry: AuditEntry): Promise<void> {
    const parsed = AuditEntrySchema.safeParse(entry);
    if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error));
    const key = auditKey(parsed.data.target);
    if (this.entries.has(key)) throw new AlreadyExistsError('audit entry', key);
    this.entries.set(key, structuredClone(parsed.data));
  }

  async history(kind: AuditTarget['kind'], id: string): Promise<AuditEntry[]> {
    return [...this.entries.values()]
      .filter((e) => e.target.kind === kind && e.target.id === id)
      .sort((a, b) => a.target.version - b.target.version)
      .map((e) => structuredClone(e));
  }

  async recent(limit: number): Promise<AuditEntry[]> {
    return [...this.entries.values()]
      .filter((e) => e.target.kind !== 'bid')
      .sort(recentOrder).slice(0, pageLimit(limit)).map((e) => structuredClone(e));
  }
}
