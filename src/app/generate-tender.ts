import { createHash } from 'node:crypto';
import { NotFoundError, ValidationError } from '#src/core/model/errors.ts';
import { GenerationReportSchema, type GenerationReport, type TenderRecheck } from '#src/core/model/report.ts';
import { canonicalJson } from '#src/core/model/canonical-json.ts';
import type { Finding } from '#src/core/model/findings.ts';
import { evaluateTender, generateDocuments, parseTenderRequest, sha256, type GenerateDocumentsDeps, type GeneratedDocument, type GeneratedDocuments } from './generate-documents.ts';
import { requireFormats } from './outputs.ts';
import { IdempotencyKeySchema, OwnerSchema, tenderDocumentKey, type StoredDocument, type TenderRecord } from '#src/app/tender-record.ts';
import type { DocumentStore } from '#src/app/ports/document-store.ts';
import type { Page, PageRequest } from '#src/app/ports/page.ts';
import type { TenderRepository } from '#src/app/ports/tender-repository.ts';
import { IdempotencyKeyReusedError } from './errors.ts';

export type { TenderRecheck };
import type { Clock, IdGenerator } from '#src/app/ports/system.ts';

export interface TenderDeps extends GenerateDocumentsDeps {
  tenders: TenderRepository;
  documents: DocumentStore;
  clock: Clock;
  ids: IdGenerator;
  /** Lifetime of the download URLs handed out, 1 to 900 seconds. */
  urlTtlSeconds: number;
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
  report: GenerationReport;
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
  const generated = await generateDocuments(request, deps, formats, { tenderId: id, generatedAt: createdAt });
  const files = withReport(generated);
  const stored: StoredDocument[] = files.map((file) => ({
    name: file.name,
    mediaType: file.mediaType,
    key: tenderDocumentKey(id, file.name),
    bytes: file.content.byteLength,
    sha256: sha256(file.content),
  }));
  await Promise.all(files.map((file, i) => deps.documents.put(stored[i]!.key, file.content, file.mediaType)));

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
 * stored report.json. Reads only: the documents and the record stay as they are.
 */
export async function recheckTender(record: TenderRecord, deps: GenerateDocumentsDeps & Pick<TenderDeps, 'documents'>): Promise<TenderRecheck> {
  const { rules } = await evaluateTender(record.request, deps.catalogue);
  const stored = record.documents.find((d) => d.name === REPORT_DOCUMENT);
  const report = stored ? GenerationReportSchema.safeParse(JSON.parse(Buffer.from(await deps.documents.get(stored.key)).toString('utf8'))) : undefined;
  const before = report?.success ? report.data.findings : [];
  const beforeKeys = new Set(before.map(findingKey));
  const nowKeys = new Set(rules.findings.map(findingKey));
  const added = rules.findings.filter((f) => !beforeKeys.has(findingKey(f)));
  const removed = before.filter((f) => !nowKeys.has(findingKey(f)));
  return {
    rules: rules.versions,
    ...(report?.success && report.data.rules ? { storedRules: report.data.rules } : {}),
    changed: added.length > 0 || removed.length > 0,
    added,
    removed,
    blocking: rules.blocking,
  };
}

/** The viewer's own tenders, newest first. */
export async function listTenders(viewer: Viewer, page: PageRequest, deps: Pick<TenderDeps, 'tenders'>): Promise<Page<TenderRecord>> {
  return deps.tenders.listByOwner(viewer.owner, page);
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
  if (!document) throw new NotFoundError('document', `${id}/${name}`);
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
  const generated = await generateDocuments(record.request, deps, record.formats ?? FORMATS_BEFORE_CHOICE, { tenderId: record.id, generatedAt: record.createdAt });
  const files = withReport(generated);
  const byName = new Map(files.map((f) => [f.name, f]));
  const documents: GeneratedDocument[] = [];
  const comparison = await Promise.all(
    record.documents.map(async (recorded): Promise<DocumentComparison> => {
      const file = byName.get(recorded.name);
      if (file) documents.push(file);
      const regeneratedSha256 = file ? sha256(file.content) : '';
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
function withReport(generated: GeneratedDocuments): GeneratedDocument[] {
  const report = Buffer.from(`${JSON.stringify(generated.report, null, 2)}\n`, 'utf8');
  return [...generated.documents, { name: REPORT_DOCUMENT, mediaType: 'application/json', audience: 'buyer', content: report }];
}

async function replay(record: TenderRecord, deps: TenderDeps): Promise<TenderOutcome> {
  const stored = record.documents.find((d) => d.name === REPORT_DOCUMENT);
  if (!stored) throw new Error(`tender ${record.id} has no ${REPORT_DOCUMENT}`);
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
