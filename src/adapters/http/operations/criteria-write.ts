import { updateItem, updateOffer } from '#src/app/catalogue-entries-admin.ts';
import { publishFrameworkVersion, updateCriterion, type Editor } from '#src/app/criteria-admin.ts';
import type { AuditLog } from '#src/app/ports/audit-log.ts';
import type { CriteriaRepository } from '#src/app/ports/criteria-repository.ts';
import type { Clock } from '#src/app/ports/system.ts';
import type { Operations } from '#src/adapters/http/lambda.ts';
import { callerOf, etagOf, expectedVersion, jsonBody, type ApiRequest } from '#src/adapters/http/request.ts';

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
