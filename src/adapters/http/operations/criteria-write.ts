import * as z from 'zod';
import { updateItem, updateOffer } from '#src/app/catalogue-entries-admin.ts';
import { publishFrameworkVersion, updateCriterion, type Editor } from '#src/app/criteria-admin.ts';
import { importCriteria } from '#src/app/criteria-import.ts';
import { ChangeReasonSchema } from '#src/core/audit/audit-entry.ts';
import { BidFileError } from '#src/core/offers/errors.ts';
import { CRITERIA_XLSX_MEDIA_TYPE, readCriteriaWorkbook } from '#src/adapters/files/criteria-workbook.ts';
import { httpErrors } from '#src/adapters/http/errors.ts';
import type { AuditLog } from '#src/app/ports/audit-log.ts';
import type { CriteriaRepository } from '#src/app/ports/criteria-repository.ts';
import type { Clock } from '#src/app/ports/system.ts';
import type { Operations } from '#src/adapters/http/lambda.ts';
import { callerOf, etagOf, expectedVersion, jsonBody, MAX_BODY_BYTES, parseQuery, type ApiRequest } from '#src/adapters/http/request.ts';

export const CriteriaImportQuerySchema = z.strictObject({
  reason: ChangeReasonSchema.describe('Why the criteria change, required; recorded in each criterion’s audit entry'),
});

type Deps = { criteria: CriteriaRepository; clock: Clock; audit: AuditLog };

/** The editors' writes: criterion, item and offer versions (optimistic lock through If-Match) and framework publication, each with its audit entry. */
export function criteriaWriteOperations(c: Deps): Operations {
  /** A version write: If-Match (or If-None-Match: * to create), 201 with Location when created, the new ETag. */
  const writeVersion = async (
    request: ApiRequest,
    write: (id: string, body: unknown, expected: number, deps: Deps, editor: Editor) => Promise<{ id: string; version: number }>,
    location: (id: string) => string,
  ) => {
    const expected = expectedVersion(request);
    const written = await write(request.params.id ?? '', jsonBody(request), expected, c, { actor: callerOf(request).subject });
    const headers: Record<string, string> = { etag: etagOf(written.version) };
    if (expected === 0) headers.location = location(encodeURIComponent(written.id));
    return { status: expected === 0 ? 201 : 200, headers, body: written };
  };
  return {
    updateCriterion: (request) => writeVersion(request, updateCriterion, (id) => `/criteria/${id}`),
    updateItem: (request) => writeVersion(request, updateItem, (id) => `/items/${id}/versions`),
    updateOffer: (request) => writeVersion(request, updateOffer, (id) => `/offers/${id}/versions`),

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
