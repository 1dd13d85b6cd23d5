import * as z from 'zod';
import { publishFrameworkVersion, updateCriterion } from '#src/app/criteria-admin.ts';
import { importCriteria } from '#src/app/criteria-import.ts';
import { ChangeReasonSchema } from '#src/core/audit/audit-entry.ts';
import { BidFileError } from '#src/core/offers/errors.ts';
import { CRITERIA_XLSX_MEDIA_TYPE, readCriteriaWorkbook } from '#src/adapters/files/criteria-workbook.ts';
import { httpErrors } from '#src/adapters/http/errors.ts';
import type { AuditLog } from '#src/app/ports/audit-log.ts';
import type { CriteriaRepository } from '#src/app/ports/criteria-repository.ts';
import type { Clock } from '#src/app/ports/system.ts';
import type { Operations } from '#src/adapters/http/lambda.ts';
import { callerOf, etagOf, expectedVersion, jsonBody, MAX_BODY_BYTES, parseQuery } from '#src/adapters/http/request.ts';

export const CriteriaImportQuerySchema = z.strictObject({
  reason: ChangeReasonSchema.describe('Why the criteria change, required; recorded in each criterion’s audit entry'),
});

/** The editors' writes: criterion versions (optimistic lock through If-Match) and framework publication, each with its audit entry. */
export function criteriaWriteOperations(c: { criteria: CriteriaRepository; clock: Clock; audit: AuditLog }): Operations {
  return {
    async updateCriterion(request) {
      const id = request.params.id ?? '';
      const expected = expectedVersion(request);
      const criterion = await updateCriterion(id, jsonBody(request), expected, c, { actor: callerOf(request).subject });
      const headers: Record<string, string> = { etag: etagOf(criterion.version) };
      if (expected === 0) headers.location = `/criteria/${encodeURIComponent(criterion.id)}`;
      return { status: expected === 0 ? 201 : 200, headers, body: criterion };
    },

    async importFrameworkCriteria(request) {
      // The reason first: a request without one is refused before the file is read.
      const { reason } = parseQuery(request, CriteriaImportQuerySchema);
      const type = (request.headers['content-type'] ?? '').trim().toLowerCase();
      if (!type.startsWith(CRITERIA_XLSX_MEDIA_TYPE)) {
        throw new BidFileError('unsupported', [{ path: 'body', message: `send the workbook as exported, with Content-Type ${CRITERIA_XLSX_MEDIA_TYPE}` }], 'criteria');
      }
      if (request.body === undefined || request.body.byteLength === 0) throw httpErrors.badRequest('an .xlsx body is required');
      const bytes = new Uint8Array(request.body.buffer, request.body.byteOffset, request.body.byteLength);
      const file = readCriteriaWorkbook(bytes, 'criteres.xlsx', MAX_BODY_BYTES);
      const result = await importCriteria(request.params.id ?? '', file, reason, c, { actor: callerOf(request).subject });
      return { status: 200, body: result };
    },

    async publishFrameworkVersion(request) {
      const framework = await publishFrameworkVersion(request.params.id ?? '', jsonBody(request), c, { actor: callerOf(request).subject });
      return {
        status: 201,
        headers: { etag: etagOf(framework.version), location: `/frameworks/${framework.id}?version=${framework.version}` },
        body: framework,
      };
    },
  };
}
