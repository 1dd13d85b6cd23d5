import * as z from 'zod';
import { EDITOR_AUDIT_KINDS } from '#src/core/audit/audit-entry.ts';
import { SlugSchema } from '#src/core/model/catalogue.ts';
import { CriterionIdSchema } from '#src/core/model/criterion.ts';
import type { AuditLog } from '#src/app/ports/audit-log.ts';
import type { Operations } from '#src/adapters/http/lambda.ts';
import { parseQuery } from '#src/adapters/http/request.ts';

export const AuditQuerySchema = z
  .strictObject({
    kind: z.enum(EDITOR_AUDIT_KINDS).optional(),
    id: z.union([CriterionIdSchema, SlugSchema]).optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  })
  .refine((q) => (q.kind === undefined) === (q.id === undefined), { message: 'give kind and id together', path: ['id'] });

/** The audit trail of the editors' changes, for any reader: one target's history, or the latest edits. */
export function auditOperations(c: { audit: AuditLog }): Operations {
  return {
    async listAudit(request) {
      const query = parseQuery(request, AuditQuerySchema);
      const items = query.kind !== undefined ? await c.audit.history(query.kind, query.id!) : await c.audit.recent(query.limit ?? 25);
      return { status: 200, body: { items } };
    },
  };
}
