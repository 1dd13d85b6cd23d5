import { createHash } from 'node:crypto';
import { NotFoundError, ValidationError } from '#src/core/model/errors.ts';
import { GenerationReportSchema, type GenerationReport, type TenderRecheck } from '#src/core/model/report.ts';
import { canonicalJson } from '#src/core/model/canonical-json.ts';
import type { Finding } from '#src/core/model/findings.ts';
import { evaluateTender, generateDocuments, parseTenderRequest, sha256, type GenerateDocumentsDeps, type GeneratedDocument, type GeneratedDocuments } from './generate-documents.ts';
import { requireFormats } from './outputs.ts';
import { IdempotencyKeySchema, OwnerSchema, tenderDocumentKey, type StoredDocument, type TenderRecord, type TenderSummary } from '#src/app/tender-record.ts';
import type { DocumentStore } from '#src/app/ports/document-store.ts';
import type { Page, PageRequest } from '#src/app/ports/page.ts';
import type { TenderRepository } from '#src/app/ports/tender-repository.ts';
import { DocumentNotReadyError, IdempotencyKeyReusedError } from './errors.ts';
import { RulesBlockedError } from '#src/core/model/errors.ts';
import { criteriaUsed } from '#src/core/model/resolve-tender.ts';
import type { DocumentJobs } from '#src/app/ports/document-jobs.ts';

export type { TenderRecheck };
import type { Clock, IdGenerator } from '#src/app/ports/system.ts';

export interface TenderDeps extends GenerateDocumentsDeps {
  tenders: TenderRepository;
  documents: DocumentStore;
  clock: Clock;
  ids: IdGenerator;
  /** Lifetime of the download URLs handed out, 1 to 900 seconds. */
  urlTtlSeconds: number;
  /** Formats this process hands to another (absent: it renders every format itself). */
  deferred?: DeferredRendering;
}

/**
 * The formats whose writers a process does not hold (the tenders function: Word and Excel, and
 * the pieces and zip that contain them), and where it sends a generation that asks for one. The
 * whole generation goes, not just the Office files: the open data (tender.ocds.json, which every
 * PDF embeds) lists the hash of each Office file, so the PDFs of a generation with an Office
 * format cannot be rendered without the Office files, and rendering them twice would be two truths.
 */
export interface DeferredRendering {
  formats: readonly string[];
  jobs: DocumentJobs;
}

/** Who asks: the token subject, and whether they may read every tender (criteria editors). */
export interface Viewer {
  owner: string;
  readsAllTenders: boolean;
}

export interface DocumentLink extends StoredDocument {
  /** Presigned GET, valid until `expiresAt`. */
  url: string;
  expiresAt: string;
}

export interface TenderOutcome {
  record: TenderRecord;
  /** Absent while a deferred rendering is pending (or after it failed): report.json is one of its files. */
  report?: GenerationReport;
  links: DocumentLink[];
  /** False when an earlier request under the same idempotency key generated this tender. */
  created: boolean;
}

export interface GenerateTenderCommand {
  /** The request body as received (validated here). */
  request: unknown;
  owner: string;
  idempotencyKey?: string;
  /**
   * The formats to generate (the output registry's), as received: validated here, order and
   * repeats ignored. Default: the registry's (pdf only). Part of the idempotency identity, like the body.
   */
  formats?: readonly string[];
}

export const REPORT_DOCUMENT = 'report.json';

/** What every tender got before formats could be chosen: records without `formats` were generated with these. */
export const FORMATS_BEFORE_CHOICE: readonly string[] = ['pdf'];

/**
 * Generates a buyer's CCTP and keeps it: validate → pinned catalogue → rules → render → store the
 * requested documents (PDF by default; see the output registry) and report.json → record the tender → short-lived download links.
 *
 * Order matters: the documents are stored before the record, so a record never names a missing
 * object (a crash in between leaves orphans that `findOrphanDocuments` lists). Nothing is
 * written when the request is invalid or blocked by the rules.
 *
 * With an idempotency key (scoped by owner), a retry of the same request returns the first
 * tender and writes nothing; the same key with another request is an IdempotencyKeyReusedError.
 * The tender id is then derived from owner, key and request hash, so concurrent retries write
 * the same bytes under the same keys instead of leaving orphans, and a concurrent request that
 * reuses the key for another body can never overwrite the winner's documents.
 */
export async function generateTender(command: GenerateTenderCommand, deps: TenderDeps): Promise<TenderOutcome> {
  const owner = OwnerSchema.safeParse(command.owner);
  if (!owner.success) throw new ValidationError([{ path: 'owner', message: owner.error.issues[0]?.message ?? 'invalid owner' }]);
  const key = command.idempotencyKey;
  if (key !== undefined && !IdempotencyKeySchema.safeParse(key).success) {
    throw new ValidationError([{ path: 'idempotencyKey', message: 'expected 1 to 255 printable ASCII characters' }]);
  }
  const formats = requireFormats(deps.outputs, command.formats);
  const requestHash = identityHash(command.request, formats);

  if (key !== undefined) {
    const earlier = await deps.tenders.findByIdempotencyKey(owner.data, key);
    if (earlier) {
      if (earlier.requestHash !== requestHash) throw new IdempotencyKeyReusedError(key, earlier.id);
      return replay(earlier, deps);
    }
  }

  const request = parseTenderRequest(command.request);
  const id = key === undefined ? deps.ids.newId() : keyedTenderId(owner.data, key, requestHash);
  // Recorded with the tender and printed in its open data, so a regeneration writes the same bytes.
  const createdAt = deps.clock.now().toISOString();
  const deferred = deps.deferred;
  if (deferred && formats.some((f) => deferred.formats.includes(f))) {
    return deferGeneration({ id, owner: owner.data, createdAt, ...(key !== undefined ? { idempotencyKey: key } : {}), requestHash, request, formats }, deps, deferred);
  }
  const generated = await generateDocuments(request, deps, formats, { tenderId: id, generatedAt: createdAt });
  const stored = await storeFiles(id, withReport(generated), deps);

  const { report } = generated;
  const { record, created } = await deps.tenders.put({
    id,
    owner: owner.data,
    createdAt,
    ...(key !== undefined ? { idempotencyKey: key } : {}),
    requestHash,
    request,
    framework: { id: report.framework.id, version: report.framework.version },
    criteria: report.criteria,
    formats,
    documents: stored,
    contentHash: report.contentHash,
  });
  // A concurrent retry recorded first: answer with its record, like any later retry.
  if (!created) return replay(record, deps);
  return { record, report, links: await linksOf(record, deps), created: true };
}

/**
 * The deferred path: the request is checked and the rules run now (a blocked or invalid request
 * is refused as on the inline path, nothing written), the tender is recorded with its rendering
 * pending and the files it will have, and the rendering is queued. Writes no document.
 */
async function deferGeneration(
  base: Pick<TenderRecord, 'id' | 'owner' | 'createdAt' | 'idempotencyKey' | 'requestHash' | 'request' | 'formats'> & { formats: string[] },
  deps: TenderDeps,
  deferred: DeferredRendering,
): Promise<TenderOutcome> {
  const { tender, rules } = await evaluateTender(base.request, deps.catalogue);
  if (rules.blocking) throw new RulesBlockedError(rules.findings);
  const files = [...deps.outputs.outputsFor(base.formats).map((o) => ({ name: o.fileName, mediaType: o.mediaType })), { name: REPORT_DOCUMENT, mediaType: 'application/json' }];
  const { record, created } = await deps.tenders.put({
    ...base,
    framework: { id: tender.framework.id, version: tender.framework.version },
    criteria: criteriaUsed(tender).map((c) => ({ id: c.id, version: c.version })),
    documents: [],
    rendering: { status: 'pending', files },
  });
  if (!created) return replay(record, deps);
  try {
    await deferred.jobs.submit(record.id);
  } catch (error) {
    await deps.tenders.completeRendering({ ...record, rendering: { status: 'failed', files, finishedAt: deps.clock.now().toISOString(), reason: 'the rendering could not be queued', cause: 'not-queued' } });
    throw error;
  }
  return { record, links: [], created: true };
}

/**
 * Writes a generation's files under the tender. When a write fails the error is thrown; with
 * `cleanUp`, the files already written are deleted first (best effort), so that a tender whose
 * record exists never keeps part of a failed rendering (the documents function). Without it (the
 * inline path, which records nothing then), any written file is an orphan that
 * `findOrphanDocuments` lists and the gc deletes.
 */
export async function storeFiles(tenderId: string, files: readonly GeneratedDocument[], deps: Pick<TenderDeps, 'documents'>, cleanUp = false): Promise<StoredDocument[]> {
  const stored: StoredDocument[] = files.map((file) => ({
    name: file.name,
    mediaType: file.mediaType,
    key: tenderDocumentKey(tenderId, file.name),
    bytes: file.content.byteLength,
    sha256: file.sha256,
  }));
  const results = await Promise.allSettled(files.map((file, i) => deps.documents.put(stored[i]!.key, file.content, file.mediaType, file.sha256)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    if (cleanUp) await Promise.allSettled(stored.filter((_, i) => results[i]!.status === 'fulfilled').map((d) => deps.documents.delete(d.key)));
    throw failed.reason;
  }
  return stored;
}

/** A tender the viewer may see: its owner's, or any for an editor. NotFoundError otherwise, so ids of others' tenders are not confirmed. */
export async function getTender(id: string, viewer: Viewer, deps: Pick<TenderDeps, 'tenders'>): Promise<TenderRecord> {
  const record = await deps.tenders.get(id);
  if (record.owner !== viewer.owner && !viewer.readsAllTenders) throw new NotFoundError('tender', id);
  return record;
}

/** What identifies a finding across evaluations (its French wording may be reworded without the finding changing). */
const findingKey = (f: Finding): string => [f.code, f.severity, f.lot ?? '', f.path ?? '', f.criterionId ?? '', f.comparison ?? ''].join('\u0000');

/**
 * Re-runs the rules on a stored tender's request (against its pinned framework and criterion
 * versions, with today's law and funding records) and compares the findings with those of its
 * stored report.json. Reads only: the documents and the record stay as they are. With the
 * SHA-256 of the report.json bytes it compared with (absent when the record names no report):
 * what tells the memo of re-checks (recheck-memo.ts) whether those bytes are the ones the record
 * names.
 */
export async function recheckTenderReading(
  record: TenderRecord,
  deps: GenerateDocumentsDeps & Pick<TenderDeps, 'documents'>,
): Promise<{ recheck: TenderRecheck; reportSha256?: string }> {
  const { rules } = await evaluateTender(record.request, deps.catalogue);
  const stored = record.documents.find((d) => d.name === REPORT_DOCUMENT);
  const bytes = stored ? await deps.documents.get(stored.key) : undefined;
  const report = bytes ? GenerationReportSchema.safeParse(JSON.parse(Buffer.from(bytes).toString('utf8'))) : undefined;
  const before = report?.success ? report.data.findings : [];
  const beforeKeys = new Set(before.map(findingKey));
  const nowKeys = new Set(rules.findings.map(findingKey));
  const added = rules.findings.filter((f) => !beforeKeys.has(findingKey(f)));
  const removed = before.filter((f) => !nowKeys.has(findingKey(f)));
  const recheck: TenderRecheck = {
    rules: rules.versions,
    ...(report?.success && report.data.rules ? { storedRules: report.data.rules } : {}),
    changed: added.length > 0 || removed.length > 0,
    added,
    removed,
    blocking: rules.blocking,
  };
  return bytes ? { recheck, reportSha256: sha256(bytes) } : { recheck };
}

/** The viewer's own tenders, newest first, summarised (without their requests): what a listing shows. */
export async function listTenderSummaries(viewer: Viewer, page: PageRequest, deps: Pick<TenderDeps, 'tenders'>): Promise<Page<TenderSummary>> {
  return deps.tenders.listSummariesByOwner(viewer.owner, page);
}

/** A short-lived download link to one document of a tender the viewer may see. */
export async function tenderDocumentLink(
  id: string,
  name: string,
  viewer: Viewer,
  deps: Pick<TenderDeps, 'tenders' | 'documents' | 'clock' | 'urlTtlSeconds'>,
): Promise<DocumentLink> {
  const record = await getTender(id, viewer, deps);
  const document = record.documents.find((d) => d.name === name);
  if (!document) {
    const rendering = record.rendering;
    if (rendering && rendering.status !== 'ready' && rendering.files.some((f) => f.name === name)) throw new DocumentNotReadyError(id, name, rendering.status);
    throw new NotFoundError('document', `${id}/${name}`);
  }
  return link(document, deps);
}

/**
 * What the audit of one document found:
 * - `identical`: the stored bytes hash as recorded and a fresh render gives the same bytes;
 * - `stored-altered`: the stored bytes no longer hash as recorded (tampering or bit rot), whatever
 *   the fresh render gives;
 * - `missing`: no object under the recorded key;
 * - `not-reproducible`: the stored bytes are as recorded, but a fresh render differs (the
 *   generator or a pinned input changed).
 */
export type DocumentAudit = 'identical' | 'stored-altered' | 'missing' | 'not-reproducible';

export interface DocumentComparison {
  name: string;
  recordedSha256: string;
  /** SHA-256 of the bytes read back from the document store; empty when the object is missing. */
  storedSha256: string;
  regeneratedSha256: string;
  status: DocumentAudit;
  identical: boolean;
}

export interface RegeneratedTender {
  record: TenderRecord;
  /** The documents rebuilt from the record, in the record's order. */
  documents: GeneratedDocument[];
  comparison: DocumentComparison[];
  /** Every stored document is intact and byte-identical to a fresh render. */
  identical: boolean;
}

/**
 * Audits a tender: rebuilds its documents from its record alone (the stored request, which names
 * the framework version, which pins every criterion version), reads every stored object back, and
 * compares the SHA-256 of the stored bytes with the record and with the fresh render. A document
 * whose stored bytes changed is reported as such (`stored-altered`), not hidden behind a match of
 * the recorded hashes. Writes nothing.
 */
export async function regenerateTender(
  id: string,
  viewer: Viewer,
  deps: GenerateDocumentsDeps & Pick<TenderDeps, 'tenders' | 'documents'>,
): Promise<RegeneratedTender> {
  const record = await getTender(id, viewer, deps);
  if (record.rendering && record.rendering.status !== 'ready') throw new DocumentNotReadyError(id, '*', record.rendering.status);
  const generated = await generateDocuments(record.request, deps, record.formats ?? FORMATS_BEFORE_CHOICE, { tenderId: record.id, generatedAt: record.createdAt });
  const files = withReport(generated);
  const byName = new Map(files.map((f) => [f.name, f]));
  const documents: GeneratedDocument[] = [];
  const comparison = await Promise.all(
    record.documents.map(async (recorded): Promise<DocumentComparison> => {
      const file = byName.get(recorded.name);
      if (file) documents.push(file);
      const regeneratedSha256 = file?.sha256 ?? '';
      const stored = await deps.documents.get(recorded.key).catch((error: unknown) => {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      });
      const storedSha256 = stored ? sha256(stored) : '';
      const status: DocumentAudit =
        stored === undefined
          ? 'missing'
          : storedSha256 !== recorded.sha256
            ? 'stored-altered'
            : regeneratedSha256 !== storedSha256
              ? 'not-reproducible'
              : 'identical';
      return { name: recorded.name, recordedSha256: recorded.sha256, storedSha256, regeneratedSha256, status, identical: status === 'identical' };
    }),
  );
  return { record, documents, comparison, identical: comparison.every((c) => c.identical) };
}

/**
 * What tells a retry from a reused idempotency key: the request as received (canonical JSON),
 * and the formats when they are not the default. A pdf-only request hashes as it did before
 * formats could be chosen, so the records and keyed ids made then keep their identity.
 */
export function identityHash(request: unknown, formats: readonly string[]): string {
  const isDefault = formats.length === FORMATS_BEFORE_CHOICE.length && formats.every((f, i) => f === FORMATS_BEFORE_CHOICE[i]);
  return sha256(canonicalJson(isDefault ? request : { formats, request }));
}

/**
 * Deterministic id of a keyed tender: 22 base64url characters of SHA-256 over owner, key and
 * request hash (each part length-prefixed, so no two triples collide by concatenation).
 */
export function keyedTenderId(owner: string, key: string, requestHash: string): string {
  const hash = createHash('sha256');
  for (const part of ['cahier-tender', owner, key, requestHash]) hash.update(`${Buffer.byteLength(part)}:${part};`);
  return hash.digest().subarray(0, 16).toString('base64url');
}

/** The generated documents and report.json: every file a tender stores. */
export function withReport(generated: GeneratedDocuments): GeneratedDocument[] {
  const report = Buffer.from(`${JSON.stringify(generated.report, null, 2)}\n`, 'utf8');
  return [...generated.documents, { name: REPORT_DOCUMENT, mediaType: 'application/json', audience: 'buyer', content: report, sha256: sha256(report) }];
}

async function replay(first: TenderRecord, deps: TenderDeps): Promise<TenderOutcome> {
  // A claim keeps the record as first written: a deferred rendering has moved on since.
  const record = first.rendering ? await deps.tenders.get(first.id) : first;
  const stored = record.documents.find((d) => d.name === REPORT_DOCUMENT);
  if (!stored) {
    if (record.rendering && record.rendering.status !== 'ready') return { record, links: [], created: false };
    throw new Error(`tender ${record.id} has no ${REPORT_DOCUMENT}`);
  }
  const report = GenerationReportSchema.parse(JSON.parse(Buffer.from(await deps.documents.get(stored.key)).toString('utf8')));
  return { record, report, links: await linksOf(record, deps), created: false };
}

async function linksOf(record: TenderRecord, deps: Pick<TenderDeps, 'documents' | 'clock' | 'urlTtlSeconds'>): Promise<DocumentLink[]> {
  return Promise.all(record.documents.map((d) => link(d, deps)));
}

async function link(document: StoredDocument, deps: Pick<TenderDeps, 'documents' | 'clock' | 'urlTtlSeconds'>): Promise<DocumentLink> {
  const expiresAt = new Date(deps.clock.now().getTime() + deps.urlTtlSeconds * 1000).toISOString();
  const url = await deps.documents.presignedGet(document.key, deps.urlTtlSeconds, { downloadName: document.name });
  return { ...document, url, expiresAt };
}
