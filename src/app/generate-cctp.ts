import { createHash } from 'node:crypto';
import { NotFoundError, RulesBlockedError, ValidationError, issuesFromZod } from '#src/core/model/errors.ts';
import type { GenerationReport } from '#src/core/model/report.ts';
import { resolveTender, type ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { DEFAULT_FORMATS, OUTPUT_FORMATS, isOutputFormat, type OutputFormat } from '#src/core/model/output-formats.ts';
import { TenderRequestSchema } from '#src/core/model/tender-request.ts';
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import { buildCctpDocument } from '#src/core/documents/cctp-document.ts';
import type { TemplateEngine } from '#src/adapters/handlebars/template-engine.ts';
import { eligibilitySummary } from '#src/core/rules/eligibility.ts';
import { evaluateRules, type RulesOutcome } from '#src/core/rules/evaluate.ts';
import type { CatalogueReader, DocumentRenderer } from '#src/app/ports/catalogue.ts';

export { DEFAULT_FORMATS, OUTPUT_FORMATS, isOutputFormat, type OutputFormat } from '#src/core/model/output-formats.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface EvaluatedTender {
  tender: ResolvedTender;
  rules: RulesOutcome;
}

/**
 * Validates a raw request, binds it to the pinned catalogue and runs the rules.
 * Throws ValidationError (with field paths) for anything malformed or unknown; never writes.
 */
export async function evaluateTender(input: unknown, catalogue: CatalogueReader): Promise<EvaluatedTender> {
  const parsed = TenderRequestSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error));
  const request = parsed.data;
  let snapshot;
  try {
    snapshot = await catalogue.snapshot(request.framework.id, request.framework.version);
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new ValidationError([{ path: 'framework', message: `unknown framework ${request.framework.id} version ${request.framework.version}` }]);
    }
    throw error;
  }
  const tender = resolveTender(request, snapshot);
  return { tender, rules: evaluateRules(tender) };
}

export interface GenerateCctpDeps {
  catalogue: CatalogueReader;
  templates: TemplateEngine;
  renderPdf: DocumentRenderer;
}

export interface GeneratedDocument {
  name: string;
  mediaType: string;
  content: Uint8Array;
}

export interface GeneratedCctp {
  documents: GeneratedDocument[];
  report: GenerationReport;
  model: DocumentModel;
}

/**
 * From a buyer's request to a publishable CCTP and its companion documents: validate, resolve,
 * evaluate the rules, and render each requested format from the same resolved tender.
 * Rule errors stop generation with RulesBlockedError; warnings travel in the report and the annex.
 * Pure apart from its ports: the same request and criterion versions give the same bytes.
 * Documents come in a fixed order (cctp.pdf first) whatever the order of `formats`; the Office
 * and OCDS writers are loaded only when asked for.
 */
export async function generateCctp(input: unknown, deps: GenerateCctpDeps, formats: readonly OutputFormat[] = DEFAULT_FORMATS): Promise<GeneratedCctp> {
  const unknownFormats = formats.filter((f) => !isOutputFormat(f));
  if (formats.length === 0 || unknownFormats.length > 0) {
    throw new ValidationError([
      { path: 'formats', message: `expected one or more of ${OUTPUT_FORMATS.join(', ')}${unknownFormats.length > 0 ? `; unknown: ${unknownFormats.join(', ')}` : ''}` },
    ]);
  }
  const wanted = new Set(formats);
  const { tender, rules } = await evaluateTender(input, deps.catalogue);
  if (rules.blocking) throw new RulesBlockedError(rules.findings);
  const model = buildCctpDocument(tender, rules, deps.templates);
  const documents: GeneratedDocument[] = [];
  if (wanted.has('pdf')) documents.push({ name: 'cctp.pdf', mediaType: 'application/pdf', content: await deps.renderPdf(model) });
  if (wanted.has('rc')) {
    const { buildRcExtractDocument } = await import('#src/core/documents/rc-extract.ts');
    const rc = buildRcExtractDocument(tender, rules, deps.templates);
    documents.push({ name: 'rc-extrait.pdf', mediaType: 'application/pdf', content: await deps.renderPdf(rc) });
  }
  if (wanted.has('docx')) {
    const { renderDocx } = await import('#src/adapters/render/docx/render-docx.ts');
    documents.push({
      name: 'cctp.docx',
      mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      content: await renderDocx(model),
    });
  }
  if (wanted.has('xlsx')) {
    const [{ renderComplianceMatrix }, { renderPriceSchedule }] = await Promise.all([
      import('#src/adapters/render/xlsx/compliance-matrix.ts'),
      import('#src/adapters/render/xlsx/price-schedule.ts'),
    ]);
    documents.push({ name: 'cadre-de-reponse.xlsx', mediaType: XLSX, content: await renderComplianceMatrix(tender) });
    documents.push({ name: 'bordereau-des-prix.xlsx', mediaType: XLSX, content: await renderPriceSchedule(tender) });
  }
  if (wanted.has('json')) {
    const { renderOcdsJson } = await import('#src/adapters/render/ocds/ocds.ts');
    documents.push({ name: 'tender.ocds.json', mediaType: 'application/json', content: renderOcdsJson(tender) });
  }
  return { documents, report: buildReport(tender, rules, documents), model };
}

export function sha256(content: Uint8Array | string): string {
  return createHash('sha256').update(content).digest('hex');
}

function buildReport(tender: ResolvedTender, rules: RulesOutcome, documents: GeneratedDocument[]): GenerationReport {
  const { request, framework } = tender;
  const described = documents
    .map((d) => ({ name: d.name, mediaType: d.mediaType, bytes: d.content.byteLength, sha256: sha256(d.content) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const criteria = new Map<string, number>();
  for (const lot of tender.lots) {
    for (const c of [...lot.requirements.flatMap((r) => (r.criterion ? [r.criterion] : [])), ...lot.excluded.map((e) => e.criterion)]) {
      criteria.set(c.id, c.version);
    }
  }
  return {
    title: request.title,
    buyer: { name: request.buyer.name, type: request.buyer.type },
    consultationDate: request.consultationDate,
    framework: { id: framework.id, version: framework.version, reference: framework.reference },
    eligibility: eligibilitySummary(rules.eligibility),
    findings: rules.findings,
    criteria: [...criteria].map(([id, version]) => ({ id, version })).sort((a, b) => a.id.localeCompare(b.id)),
    lots: tender.lots.map((l) => ({
      number: l.number,
      title: l.title,
      lines: l.lines.map((line) => ({ itemId: line.item.id, quantity: line.quantity })),
      requirements: l.requirements.length,
    })),
    documents: described,
    contentHash: sha256(described.map((d) => `${d.name}:${d.sha256}\n`).join('')),
  };
}

