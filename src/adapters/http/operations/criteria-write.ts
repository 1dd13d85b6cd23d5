import { publishFrameworkVersion, updateCriterion } from '#src/app/criteria-admin.ts';
import type { AuditLog } from '#src/app/ports/audit-log.ts';
import type { CriteriaRepository } from '#src/app/ports/criteria-repository.ts';
import type { Clock } from '#src/app/ports/system.ts';
import type { Operations } from '#src/adapters/http/lambda.ts';
import { callerOf, etagOf, expectedVersion, jsonBody } from '#src/adapters/http/request.ts';

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
