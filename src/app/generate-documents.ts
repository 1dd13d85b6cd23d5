import { createHash } from 'node:crypto';
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import { DOCUMENT_MODELS, type DocumentName } from '#src/core/documents/document-models.ts';
import type { TemplateRenderer } from '#src/core/documents/templates.ts';
import { NotFoundError, RulesBlockedError, ValidationError, issuesFromZod } from '#src/core/model/errors.ts';
import type { GenerationReport } from '#src/core/model/report.ts';
import { criteriaUsed, resolveTender, type ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { isV2, NewTenderRequestSchema, type AnyTenderRequest } from '#src/core/model/tender-request-v2.ts';
import { advanceRateIssues } from '#src/core/rules/advance-rates.ts';
import { conformitySummary } from '#src/core/rules/conformity.ts';
import { evaluateRules, type RulesOutcome } from '#src/core/rules/evaluate.ts';
import type { CatalogueReader } from './ports/catalogue-reader.ts';
import type { Audience, OutputRegistry, Publication, RenderInput } from './ports/outputs.ts';

export interface EvaluatedTender {
  tender: ResolvedTender;
  rules: RulesOutcome;
}

/**
 * zod compiles a fast path for each object schema (`new Function`) on its first parse: ≈ 10 ms of
 * a fresh process's first request (a cold `cahier generate`, a Lambda's first POST), and no faster
 * than zod's plain parse on these schemas once warm (BENCHMARKS.md « Issue #19, 2026-12-08 (morning) »).
 */
const JITLESS = { jitless: true } as const;

/**
 * A buyer's request as received (JSON from the API or a file), checked against the schema and the
 * text check of new requests (NewTenderRequestSchema) and the advance rates' legal minimums: the
 * one place a request is parsed.
 * ValidationError with field paths when it does not fit. Stored records are read with their own
 * schema, so tenders accepted before a check existed still regenerate.
 */
export function parseTenderRequest(input: unknown): AnyTenderRequest {
  const parsed = NewTenderRequestSchema.safeParse(input, JITLESS);
  if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error));
  const lawful = isV2(parsed.data) ? advanceRateIssues(parsed.data) : [];
  if (lawful.length > 0) throw new ValidationError(lawful);
  return parsed.data;
}

/**
 * Binds a request to the pinned catalogue and runs the rules. ValidationError (with field paths)
 * for a framework version or anything else the catalogue does not hold; never writes.
 */
export async function evaluateTender(request: AnyTenderRequest, catalogue: CatalogueReader): Promise<EvaluatedTender> {
  const tender = await resolveRequest(request, catalogue);
  return { tender, rules: evaluateRules(tender) };
}

/** Binds a request to the pinned catalogue, without the rules (what reading a tender's offers needs). */
export async function resolveRequest(request: AnyTenderRequest, catalogue: CatalogueReader): Promise<ResolvedTender> {
  let snapshot;
  try {
    snapshot = await catalogue.snapshot(request.framework.id, request.framework.version);
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new ValidationError([{ path: 'framework', message: `unknown framework ${request.framework.id} version ${request.framework.version}` }]);
    }
    throw error;
  }
  return resolveTender(request, snapshot);
}

export interface GenerateDocumentsDeps {
  catalogue: CatalogueReader;
  templates: TemplateRenderer;
  outputs: OutputRegistry;
}

export interface GeneratedDocument {
  name: string;
  mediaType: string;
  audience: Audience;
  content: Uint8Array;
  /** SHA-256 of `content` (hex), computed once: the report lists it and the store records it. */
  sha256: string;
}

export interface GeneratedDocuments {
  documents: GeneratedDocument[];
  report: GenerationReport;
}

/**
 * From a request to its documents: resolve, evaluate the rules, and render every output the
 * formats select, all from the same evaluated tender. Rule errors stop generation with
 * RulesBlockedError. `formats` must already be checked (requireFormats). Pure apart from its
 * ports: the same request and criterion versions give the same bytes; documents come in the
 * registry's order whatever the order of `formats`.
 */
export async function generateDocuments(
  request: AnyTenderRequest,
  deps: GenerateDocumentsDeps,
  formats: readonly string[],
  publication?: Publication,
): Promise<GeneratedDocuments> {
  const { tender, rules } = await evaluateTender(request, deps.catalogue);
  if (rules.blocking) throw new RulesBlockedError(rules.findings);
  const models = new Map<DocumentName, DocumentModel>();
  const outputs = deps.outputs.outputsFor(formats);
  const input: RenderInput = {
    tender,
    rules,
    outputs: outputs.map(({ format, fileName, mediaType, audience, title }) => ({ format, fileName, mediaType, audience, title })),
    ...(publication ? { publication } : {}),
    document(name: DocumentName): DocumentModel {
      let model = models.get(name);
      if (!model) {
        model = DOCUMENT_MODELS[name](tender, rules, deps.templates);
        models.set(name, model);
      }
      return model;
    },
  };
  const documents: GeneratedDocument[] = [];
  for (const output of outputs) {
    const content = await output.render(input);
    documents.push({ name: output.fileName, mediaType: output.mediaType, audience: output.audience, content, sha256: sha256(content) });
  }
  return { documents, report: buildReport(tender, rules, documents) };
}

export function sha256(content: Uint8Array | string): string {
  return createHash('sha256').update(content).digest('hex');
}

function buildReport(tender: ResolvedTender, rules: RulesOutcome, documents: GeneratedDocument[]): GenerationReport {
  const { request, framework } = tender;
  const described = documents
    .map((d) => ({ name: d.name, mediaType: d.mediaType, bytes: d.content.byteLength, sha256: d.sha256 }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    title: request.title,
    buyer: { name: request.buyer.name, type: request.buyer.type },
    consultationDate: request.consultationDate,
    framework: { id: framework.id, version: framework.version, reference: framework.reference },
    conformity: conformitySummary(rules.conformity),
    funding: rules.funding,
    rules: rules.versions,
    findings: rules.findings,
    criteria: criteriaUsed(tender).map((c) => ({ id: c.id, version: c.version })),
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
