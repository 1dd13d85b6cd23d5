import * as z from 'zod';
import { SlugSchema } from '#src/core/model/catalogue.ts';
import { NotFoundError, ValidationError } from '#src/core/model/errors.ts';
import { STORED_REPORT_FORMATS, StoredCatalogueCountsSchema, StoredCatalogueNameSchema, StoredCatalogueSchema, type StoredCatalogue, type StoredReportFormat } from '#src/core/model/stored-catalogue.ts';
import type { CatalogueReader } from '#src/app/ports/catalogue-reader.ts';
import type { CriteriaRepository } from '#src/app/ports/criteria-repository.ts';
import { catalogueReportLink, deleteStoredCatalogue, getStoredCatalogue, listStoredCatalogues, storeCatalogue, storedCatalogueReport, type CatalogueViewer, type RenderCatalogueReports, type StoredCatalogueDeps } from '#src/app/stored-catalogues.ts';
import type { Operations } from '#src/adapters/http/lambda.ts';
import { acceptsJson, callerOf, parseQuery, type ApiRequest } from '#src/adapters/http/request.ts';
import { PageQuerySchema } from '#src/adapters/http/schemas.ts';
import { XLSX_MEDIA_TYPE } from '#src/adapters/files/product-workbook.ts';
import { productFile } from './catalogues.ts';

export interface StoredCatalogueOperationDeps extends StoredCatalogueDeps {
  criteria: CriteriaRepository;
  catalogue: CatalogueReader;
  /** The reports' renderers: the JSON, CSV, XLSX and PDF writers of `cahier conformity`. */
  renderReports: RenderCatalogueReports;
  /** The product sheet of one item as a workbook (modele-<item>.xlsx). */
  renderTemplate: (itemId: string, snapshot: Awaited<ReturnType<CatalogueReader['snapshot']>>) => Promise<Uint8Array>;
}

export const StoreCatalogueQuerySchema = z.strictObject({
  framework: SlugSchema,
  version: z.coerce.number().int().positive().optional().describe('The framework version; the latest when absent'),
  name: StoredCatalogueNameSchema,
});

export const TemplateQuerySchema = z.strictObject({
  version: z.coerce.number().int().positive().optional().describe('The framework version; the latest when absent'),
});

/** A stored catalogue as the API shows it: the record, without the storage keys, and where to read its reports. */
export const StoredCatalogueViewSchema = z.object({
  id: z.string(),
  owner: z.string(),
  name: z.string(),
  framework: StoredCatalogueSchema.shape.framework,
  file: z.object({ sha256: z.string(), bytes: z.number().int(), format: z.enum(['csv', 'json', 'xlsx']) }),
  totals: StoredCatalogueCountsSchema,
  reports: z.array(z.object({ format: z.enum(STORED_REPORT_FORMATS), bytes: z.number().int(), sha256: z.string(), href: z.string() })),
  createdAt: z.string(),
});
export const StoredCatalogueListSchema = z.object({ items: z.array(StoredCatalogueViewSchema), cursor: z.string().optional() });

const location = (id: string) => `/catalogues/${encodeURIComponent(id)}`;

function view(record: StoredCatalogue): z.infer<typeof StoredCatalogueViewSchema> {
  const { key: _key, ...file } = record.file;
  return {
    id: record.id,
    owner: record.owner,
    name: record.name,
    framework: record.framework,
    file,
    totals: record.totals,
    reports: record.reports.map(({ key: _k, ...r }) => ({ ...r, href: `${location(record.id)}/report/${r.format}` })),
    createdAt: record.createdAt,
  };
}

/** Editors read every catalogue (the ministry reads every report); a catalogue manager their own. */
function viewerOf(request: ApiRequest): CatalogueViewer {
  const caller = callerOf(request);
  return { owner: caller.subject, readsAll: caller.roles.has('editor') };
}

async function latestVersion(criteria: CriteriaRepository, framework: string): Promise<number> {
  try {
    return (await criteria.getLatestFramework(framework)).version;
  } catch (error) {
    if (error instanceof NotFoundError) throw new ValidationError([{ path: 'framework', message: `unknown framework ${framework}` }]);
    throw error;
  }
}

/**
 * The stored catalogues (the `catalogues` function): upload and check a product file and keep it
 * with its reports, list, read, link to a report, delete; and the product sheet template of an
 * item. A catalogue manager reaches only their own catalogues (another's is a 404, as a tender),
 * an editor every one.
 */
export function storedCatalogueOperations(c: StoredCatalogueOperationDeps): Operations {
  return {
    async createCatalogue(request) {
      const query = parseQuery(request, StoreCatalogueQuerySchema);
      const file = productFile(request);
      const version = query.version ?? (await latestVersion(c.criteria, query.framework));
      const bytes = new Uint8Array(request.body!.buffer, request.body!.byteOffset, request.body!.byteLength);
      const record = await storeCatalogue({ owner: callerOf(request).subject, name: query.name, framework: { id: query.framework, version }, file, bytes }, c, c.renderReports);
      return { status: 201, headers: { location: location(record.id) }, body: view(record) };
    },

    async listCatalogues(request) {
      const page = await listStoredCatalogues(viewerOf(request), parseQuery(request, PageQuerySchema), c);
      return { status: 200, body: { items: page.items.map(view), ...(page.cursor ? { cursor: page.cursor } : {}) } };
    },

    async getCatalogue(request) {
      return { status: 200, body: view(await getStoredCatalogue(request.params.id ?? '', viewerOf(request), c)) };
    },

    async getCatalogueReport(request) {
      const format = request.params.format ?? '';
      if (!(STORED_REPORT_FORMATS as readonly string[]).includes(format)) throw new NotFoundError('report', `${request.params.id ?? ''}/${format}`);
      const link = await catalogueReportLink(request.params.id ?? '', format as StoredReportFormat, viewerOf(request), c);
      const headers: Record<string, string> = { vary: 'Accept' };
      if (acceptsJson(request.headers.accept)) return { status: 200, headers, body: link };
      return { status: 302, headers: { ...headers, location: link.url } };
    },

    async getCatalogueReportJson(request) {
      const bytes = await storedCatalogueReport(request.params.id ?? '', viewerOf(request), c);
      return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, raw: new TextDecoder().decode(bytes) };
    },

    async deleteCatalogue(request) {
      await deleteStoredCatalogue(request.params.id ?? '', viewerOf(request), c);
      return { status: 204 };
    },

    async getProductTemplate(request) {
      const framework = request.params.id ?? '';
      const query = parseQuery(request, TemplateQuerySchema);
      let snapshot;
      try {
        snapshot = await c.catalogue.snapshot(framework, query.version ?? (await c.criteria.getLatestFramework(framework)).version);
      } catch (error) {
        // An unknown framework or version in the path is a resource that does not exist.
        if (error instanceof NotFoundError) throw new NotFoundError('framework', `${framework}@${query.version ?? 'latest'}`);
        throw error;
      }
      const article = request.params.article ?? '';
      if (!snapshot.items.has(article)) throw new NotFoundError('item', article);
      return {
        status: 200,
        headers: { 'content-type': XLSX_MEDIA_TYPE, 'content-disposition': `attachment; filename="modele-${article}.xlsx"` },
        raw: await c.renderTemplate(article, snapshot),
      };
    },
  };
}
