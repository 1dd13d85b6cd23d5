import * as z from 'zod';
import { NotFoundError } from '#src/core/model/errors.ts';
import { frameworkChangelog, pendingPublication } from '#src/app/framework-changelog.ts';
import { CriteriaQuerySchema, listCriteria } from '#src/app/list-criteria.ts';
import type { Operations } from '#src/adapters/http/lambda.ts';
import { etagOf, parseQuery, type ApiRequest } from '#src/adapters/http/request.ts';
import { OffersQuerySchema, VersionQuerySchema } from '#src/adapters/http/query-schemas.ts';
import { entryPins } from '#src/core/model/catalogue-snapshot.ts';
import type { AuditLog } from '#src/app/ports/audit-log.ts';
import type { CatalogueEntryVersions, CriteriaRepository } from '#src/app/ports/criteria-repository.ts';
import { auditOperations } from './audit.ts';

/** GET routes of the catalogue: frameworks, criteria, offers, the audit trail. Read-only. */
export function catalogueReadOperations(c: { criteria: CriteriaRepository; audit: AuditLog }): Operations {
  const id = (request: ApiRequest) => request.params.id ?? '';
  return {
    ...auditOperations(c),
    async listFrameworks() {
      return { status: 200, body: { items: await c.criteria.listFrameworks() } };
    },

    async getFramework(request) {
      const { version } = parseQuery(request, VersionQuerySchema);
      const framework = version === undefined ? await c.criteria.getLatestFramework(id(request)) : await c.criteria.getFramework(id(request), version);
      return { status: 200, headers: { etag: etagOf(framework.version) }, body: framework };
    },

    async previewFrameworkPublication(request) {
      return { status: 200, headers: { 'cache-control': 'no-store' }, body: await pendingPublication(id(request), c) };
    },

    async getFrameworkChangelog(request) {
      const parsed = z.coerce.number().int().positive().max(1_000_000).safeParse(request.params.version);
      if (!parsed.success) throw new NotFoundError('framework', `${id(request)}@${request.params.version ?? ''}`);
      const { framework, markdown } = await frameworkChangelog(id(request), parsed.data, c);
      return {
        status: 200,
        headers: { 'content-type': 'text/markdown; charset=utf-8', 'content-disposition': `attachment; filename="${framework.id}-v${framework.version}-changelog.md"` },
        raw: markdown,
      };
    },

    async listCriteria(request) {
      const page = await listCriteria(parseQuery(request, CriteriaQuerySchema), c);
      return { status: 200, body: page };
    },

    async getCriterion(request) {
      const { version } = parseQuery(request, VersionQuerySchema);
      const criterion = version === undefined ? await c.criteria.getLatest(id(request)) : await c.criteria.getVersion(id(request), version);
      return { status: 200, headers: { etag: etagOf(criterion.version) }, body: criterion };
    },

    async listCriterionVersions(request) {
      const items = await c.criteria.listVersions(id(request));
      if (items.length === 0) throw new NotFoundError('criterion', id(request));
      return { status: 200, body: { items } };
    },

    async listOffers(request) {
      const query = parseQuery(request, OffersQuerySchema);
      if (query.framework === undefined) return { status: 200, body: { items: await c.criteria.offers.listLatest() } };
      const [framework, offers] = await Promise.all([
        query.version === undefined ? c.criteria.getLatestFramework(query.framework) : c.criteria.getFramework(query.framework, query.version),
        c.criteria.offers.listAll(),
      ]);
      const byRef = new Map(offers.map((o) => [`${o.id}@${o.version}`, o]));
      return { status: 200, body: { items: entryPins(framework.offers, offers).flatMap((ref) => byRef.get(`${ref.id}@${ref.version}`) ?? []) } };
    },

    listItemVersions: (request) => entryVersions('item', c.criteria.items, id(request)),
    listOfferVersions: (request) => entryVersions('offer', c.criteria.offers, id(request)),
  };
}

/** Every version of an item or offer, oldest first, with the ETag of the latest (what an If-Match of the next write sends). */
async function entryVersions(kind: string, store: CatalogueEntryVersions<{ id: string }>, entryId: string) {
  const items = await store.listVersions(entryId);
  if (items.length === 0) throw new NotFoundError(kind, entryId);
  return { status: 200, headers: { etag: etagOf(items.at(-1)!.version) }, body: { items } };
}
