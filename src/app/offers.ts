/**
 * The offers of a stored tender, for its buyer only: bids uploaded and kept (each file under its
 * SHA-256, the bid's record written last and never replaced), the buyer's marks, and the analysis
 * run on them, whose outputs are stored beside the tender and handed out as short-lived links.
 *
 * A bid is never deleted: withdrawing it (offer handed in late, deposited by mistake) stores a
 * withdrawal beside it and appends an audit entry; the files stay, under their hashes, for the
 * buyer to show in a dispute, and the conformity check and the analysis no longer read the bid.
 *
 * Only the buyer who owns the tender reaches its offers: anyone else, editors included, gets the
 * same NotFoundError as for a tender that does not exist (bids are the bidders' secrets).
 */
import * as z from 'zod';
import { AlreadyExistsError, StaleContentError } from '#src/app/errors.ts';
import type { AuditLog } from '#src/app/ports/audit-log.ts';
import type { TaggedObject } from '#src/app/ports/document-store.ts';
import { bidWithdrawalChanges, ChangeReasonSchema } from '#src/core/audit/audit-entry.ts';
import { BidIdSchema } from '#src/core/offers/bid.ts';
import { resolveRequest, sha256, type GenerateDocumentsDeps } from '#src/app/generate-documents.ts';
import type { TenderDeps } from '#src/app/generate-tender.ts';
import { parseAnalysisInput, runAnalysis, type AnalysisRenderers } from '#src/app/analyse-offers.ts';
import type { AnalysisInput } from '#src/app/analysis-input.ts';
import type { BidReader, PublishedTender } from '#src/app/ports/bid-reader.ts';
import { tenderDocumentKey, type TenderRecord } from '#src/app/tender-record.ts';
import { NotFoundError, ValidationError } from '#src/core/model/errors.ts';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { checkOffers } from '#src/core/offers/analysis.ts';
import { checkEliminations } from '#src/core/offers/eliminations.ts';
import type { Bid, BidFiles } from '#src/core/offers/bid.ts';
import { BidWithdrawalSchema, StoredBidSchema, type BidWithdrawal, type ListedBid, type StoredBid } from '#src/app/stored-bid.ts';
import { summariseAnalysis, summariseConformity } from '#src/core/offers/summary.ts';

export interface OfferDeps extends GenerateDocumentsDeps, Pick<TenderDeps, 'tenders' | 'documents' | 'clock' | 'urlTtlSeconds'> {
  bids: BidReader;
  renderers: AnalysisRenderers;
  /** Where bid withdrawals are recorded (the editors' trail, under the kind `bid`). */
  audit: AuditLog;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const bidsPrefix = (tenderId: string) => tenderDocumentKey(tenderId, 'bids/');
const bidRecordKey = (tenderId: string, bidId: string) => tenderDocumentKey(tenderId, `bids/${bidId}/bid.json`);
const withdrawalKey = (tenderId: string, bidId: string) => tenderDocumentKey(tenderId, `bids/${bidId}/withdrawal.json`);
const readJson = async <T>(deps: Pick<OfferDeps, 'documents'>, key: string, schema: z.ZodType<T>): Promise<T> => schema.parse(JSON.parse(decoder.decode(await deps.documents.get(key))));
const marksKey = (tenderId: string) => tenderDocumentKey(tenderId, 'analysis/input.json');
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The tender, when the caller is the buyer who recorded it; NotFoundError otherwise. */
export async function ownTender(tenderId: string, owner: string, deps: Pick<OfferDeps, 'tenders'>): Promise<TenderRecord> {
  const record = await deps.tenders.get(tenderId);
  if (record.owner !== owner) throw new NotFoundError('tender', tenderId);
  return record;
}

async function resolved(record: TenderRecord, deps: OfferDeps) {
  return resolveRequest(record.request, deps.catalogue);
}

/**
 * Stores one bid: its files are read first (a refused file stores nothing), each is written under
 * its hash, and the record last, by a conditional write. AlreadyExistsError when the tender already
 * has a bid of that id, checked before reading and again by that write: a bid is never replaced,
 * not even once withdrawn (a corrected bid comes under a new id).
 */
export async function uploadBid(tenderId: string, owner: string, files: BidFiles, deps: OfferDeps): Promise<StoredBid> {
  const record = await ownTender(tenderId, owner, deps);
  const key = bidRecordKey(record.id, files.bidder.id);
  if (await deps.documents.exists(key)) throw new AlreadyExistsError('bid', `${record.id}/${files.bidder.id}`);
  const [bid] = await deps.bids.read(await resolved(record, deps), [files], published(record));
  const stored: StoredBid = { bidder: files.bidder, receivedAt: deps.clock.now().toISOString(), uploadedBy: owner, files: [] };
  for (const role of ['matrix', 'prices'] as const) {
    const file = files[role];
    const hash = sha256(file.bytes);
    const fileKey = tenderDocumentKey(record.id, `bids/${files.bidder.id}/${role}-${hash}.xlsx`);
    await deps.documents.put(fileKey, file.bytes, XLSX);
    stored.files.push({ role, name: file.name, key: fileKey, bytes: file.bytes.length, sha256: hash });
  }
  stored.lots = bid ? bid.lots.map((l) => l.lot) : [];
  // The record is the commit point, written only if absent: of two uploads of the same bid id at
  // once, one records its bid and the other is refused (its files stay, under their hashes, unread).
  if (!(await deps.documents.putIfAbsent(key, encoder.encode(`${JSON.stringify(stored, null, 2)}\n`), 'application/json'))) {
    throw new AlreadyExistsError('bid', `${record.id}/${files.bidder.id}`);
  }
  return stored;
}

/** The tender's bids, by id, the withdrawn ones with their withdrawal. */
export async function listBids(tenderId: string, owner: string, deps: Pick<OfferDeps, 'tenders' | 'documents'>): Promise<ListedBid[]> {
  const record = await ownTender(tenderId, owner, deps);
  const out: ListedBid[] = [];
  const withdrawn = new Set<string>();
  for await (const object of deps.documents.list(bidsPrefix(record.id))) {
    if (object.key.endsWith('/withdrawal.json')) withdrawn.add(object.key.slice(0, -'withdrawal.json'.length));
    if (object.key.endsWith('/bid.json')) out.push(await readJson(deps, object.key, StoredBidSchema));
  }
  for (const bid of out) {
    if (withdrawn.has(bidRecordKey(record.id, bid.bidder.id).slice(0, -'bid.json'.length))) bid.withdrawal = await readJson(deps, withdrawalKey(record.id, bid.bidder.id), BidWithdrawalSchema);
  }
  return out.sort((a, b) => a.bidder.id.localeCompare(b.bidder.id));
}

/**
 * Withdraws a bid: the reason is checked first (ValidationError on `reason`, nothing written), an
 * unknown bid is a NotFoundError. The audit entry (who, when, why, the bidder and its files'
 * hashes) is the commit point: appending it is conditional (one entry per bid), so of two buyers'
 * calls at once exactly one wins, and the other answers with the winner's withdrawal. The
 * withdrawal stored beside the bid follows, copied from that entry; a crash in between leaves an
 * entry without it, and withdrawing the bid again writes it from the entry (the first reason, not
 * the new one) and answers as the first call did.
 */
export async function withdrawBid(
  tenderId: string,
  owner: string,
  bidId: string,
  reason: unknown,
  deps: Pick<OfferDeps, 'tenders' | 'documents' | 'clock' | 'audit'>,
): Promise<ListedBid> {
  const record = await ownTender(tenderId, owner, deps);
  const parsedReason = ChangeReasonSchema.safeParse(reason);
  if (!parsedReason.success) throw new ValidationError([{ path: 'reason', message: parsedReason.error.issues[0]?.message ?? 'state why' }]);
  const key = bidRecordKey(record.id, bidId);
  if (!BidIdSchema.safeParse(bidId).success || !(await deps.documents.exists(key))) throw new NotFoundError('bid', `${record.id}/${bidId}`);
  const bid = await readJson(deps, key, StoredBidSchema);
  const markKey = withdrawalKey(record.id, bidId);
  if (await deps.documents.exists(markKey)) return { ...bid, withdrawal: await readJson(deps, markKey, BidWithdrawalSchema) };
  const target = { kind: 'bid' as const, id: `${record.id}/${bidId}`, version: 1 };
  let withdrawal: BidWithdrawal = { withdrawnAt: deps.clock.now().toISOString(), withdrawnBy: owner, reason: parsedReason.data };
  try {
    await deps.audit.append({ target, actor: withdrawal.withdrawnBy, at: withdrawal.withdrawnAt, reason: withdrawal.reason, changes: bidWithdrawalChanges(bid) });
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
    const [entry] = await deps.audit.history('bid', target.id);
    if (!entry) throw error;
    withdrawal = { withdrawnAt: entry.at, withdrawnBy: entry.actor, reason: entry.reason };
  }
  await deps.documents.put(markKey, encoder.encode(`${JSON.stringify(withdrawal, null, 2)}\n`), 'application/json');
  return { ...bid, withdrawal };
}

/**
 * What the buyer expects stored before a PUT of the marks: the SHA-256 (hex) of the stored input
 * it read (any of `ifMatch`), or nothing stored (`create`, or `none` when no condition was sent,
 * which only a first recording may do).
 */
export type MarksPrecondition = { kind: 'none' } | { kind: 'create' } | { kind: 'match'; tags: readonly string[] };

/** The marks as recorded, and their ETag value: the SHA-256 (hex) of the stored bytes. */
export interface RecordedMarks {
  input: AnalysisInput;
  sha256: string;
}

/**
 * Records the buyer's marks (and settings, and award details): checked now, each refusal with its
 * field path, then written only when `expected` names what is stored (optimistic lock, as the
 * drafts have): over recorded marks, StaleContentError `required` without If-Match, and
 * StaleContentError when the input read is no longer the stored one (another tab saved meanwhile,
 * even between this check and the write, which is conditioned on the object read); nothing is
 * written then. The first recording needs no condition (or If-None-Match: *).
 */
export async function putMarks(tenderId: string, owner: string, input: unknown, deps: OfferDeps, expected: MarksPrecondition = { kind: 'none' }): Promise<RecordedMarks> {
  const record = await ownTender(tenderId, owner, deps);
  const parsed = parseAnalysisInput(input);
  if (parsed.budgets.length > 0 || parsed.eliminations.length > 0) {
    // Checked against the tender and the offers received before it is stored: a late budget or a decision on
    // an offer not received would otherwise make every later conformity check refuse the stored input.
    const tender = await resolved(record, deps);
    checkEliminations(tender, await receivedOffersOf(record, owner, tender, deps), parsed);
  }
  // Check, then write conditionally: the write itself is conditioned on the object read (S3's
  // If-Match on its ETag, If-None-Match for the first recording), so that of two PUTs carrying the
  // same ETag at once, one only writes and the other gets a 412, as if it had come second.
  const key = marksKey(record.id);
  const stored = await getIfStored(deps, key);
  if (stored === undefined ? expected.kind === 'match' : expected.kind !== 'match') {
    throw new StaleContentError('marks', record.id, stored !== undefined && expected.kind === 'none');
  }
  if (stored !== undefined && expected.kind === 'match' && !expected.tags.includes(sha256(stored.content))) throw new StaleContentError('marks', record.id, false);
  const bytes = encoder.encode(`${JSON.stringify(parsed, null, 2)}\n`);
  const written = stored === undefined ? await deps.documents.putIfAbsent(key, bytes, 'application/json') : await deps.documents.putIfMatch(key, bytes, 'application/json', stored.etag);
  // Lost to a concurrent writer: now over recorded marks, without the condition (428) or with a stale one (412).
  if (!written) throw new StaleContentError('marks', record.id, expected.kind === 'none');
  return { input: parsed, sha256: sha256(bytes) };
}

/** The stored object with its entity tag, or undefined when there is none. */
async function getIfStored(deps: Pick<OfferDeps, 'documents'>, key: string): Promise<TaggedObject | undefined> {
  try {
    return await deps.documents.getTagged(key);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/**
 * The input the buyer recorded with PUT /tenders/{id}/marks, parsed as stored (what the form starts
 * from when the buyer comes back to it), with the SHA-256 of the stored bytes (its ETag);
 * NotFoundError when none was recorded yet.
 */
export async function getMarks(tenderId: string, owner: string, deps: Pick<OfferDeps, 'tenders' | 'documents'>): Promise<RecordedMarks> {
  const record = await ownTender(tenderId, owner, deps);
  const key = marksKey(record.id);
  if (!(await deps.documents.exists(key))) throw new NotFoundError('marks', record.id);
  const bytes = await deps.documents.get(key);
  return { input: parseAnalysisInput(JSON.parse(decoder.decode(bytes))), sha256: sha256(bytes) };
}

export interface AnalysisLink {
  name: string;
  mediaType: string;
  sha256: string;
  url: string;
  expiresAt: string;
}

/** The tender as its bidders received it: its id and the workbooks it stored, which a bid is read against (PublishedTender). */
function published(record: TenderRecord): PublishedTender {
  const sha256 = (name: string) => record.documents.find((d) => d.name === name)?.sha256;
  const matrix = sha256('cadre-de-reponse.xlsx');
  const prices = sha256('bordereau-des-prix.xlsx');
  return { tenderId: record.id, sha256: { ...(matrix ? { matrix } : {}), ...(prices ? { prices } : {}) } };
}

/** The marks and other analysis input the buyer recorded (PUT /tenders/{id}/marks), if any. */
async function storedInput(record: TenderRecord, deps: Pick<OfferDeps, 'documents'>): Promise<AnalysisInput | undefined> {
  if (!(await deps.documents.exists(marksKey(record.id)))) return undefined;
  return parseAnalysisInput(JSON.parse(decoder.decode(await deps.documents.get(marksKey(record.id)))));
}

/** Each offer received, lot by lot: what a buyer's decision may be about. */
const receivedOffers = (bids: readonly Bid[]) => bids.flatMap((b) => b.lots.map((l) => ({ lot: l.lot, bid: b.bidder.id })));

/**
 * Each offer received and not withdrawn, lot by lot, from the bid records alone: the lots a bid
 * answers are recorded with it at upload. Only a bid stored before they were has its files read
 * again, to find them.
 */
async function receivedOffersOf(record: TenderRecord, owner: string, tender: ResolvedTender, deps: OfferDeps): Promise<Array<{ lot: number; bid: string }>> {
  const kept = (await listBids(record.id, owner, deps)).filter((bid) => !bid.withdrawal);
  const recorded = kept.flatMap((bid) => (bid.lots ?? []).map((lot) => ({ lot, bid: bid.bidder.id })));
  const older = kept.filter((bid) => bid.lots === undefined);
  return older.length === 0 ? recorded : [...recorded, ...receivedOffers(await readBidFiles(record, older, tender, deps))];
}

/** The stored bids as the analysis reads them (each file fetched back from its key). */
async function readStoredBids(record: TenderRecord, owner: string, tender: ResolvedTender, deps: OfferDeps): Promise<Bid[]> {
  return readBidFiles(record, (await listBids(record.id, owner, deps)).filter((bid) => !bid.withdrawal), tender, deps);
}

/** Bids read from their stored files. */
async function readBidFiles(record: TenderRecord, bids: readonly ListedBid[], tender: ResolvedTender, deps: OfferDeps): Promise<Bid[]> {
  const files: BidFiles[] = [];
  for (const bid of bids) {
    const get = async (role: 'matrix' | 'prices') => {
      const file = bid.files.find((f) => f.role === role)!;
      return { name: file.name, bytes: await deps.documents.get(file.key) };
    };
    files.push({ bidder: bid.bidder, matrix: await get('matrix'), prices: await get('prices') });
  }
  return files.length === 0 ? [] : deps.bids.read(tender, files, published(record));
}

/**
 * Each stored offer's conformity, lot by lot, and the marks the analysis will need: what the buyer
 * sees before marking (the analysis itself refuses incomplete marks). Writes nothing.
 */
export async function checkStoredOffers(tenderId: string, owner: string, deps: OfferDeps): Promise<ReturnType<typeof summariseConformity>> {
  const record = await ownTender(tenderId, owner, deps);
  const tender = await resolved(record, deps);
  // The buyer's budgets and eliminations, once recorded with the marks, take the offers they eliminate out of the marking.
  const stored = await storedInput(record, deps);
  const bids = await readStoredBids(record, owner, tender, deps);
  // A decision on a bid withdrawn since no longer applies to what is received: the view leaves it out, the
  // analysis refuses it on its path until the buyer records the input again (as it does the bid's marks).
  const received = new Set(receivedOffers(bids).map((o) => `${o.lot}/${o.bid}`));
  const input = stored && { ...stored, eliminations: stored.eliminations.filter((e) => received.has(`${e.lot}/${e.bid}`)) };
  const { lots, marksNeeded } = checkOffers(tender, bids, input);
  return summariseConformity(lots, marksNeeded);
}

/** Runs the analysis on the stored bids and marks, stores its outputs, and returns the summary and short-lived links. */
export async function analyseStoredOffers(tenderId: string, owner: string, deps: OfferDeps): Promise<{ summary: ReturnType<typeof summariseAnalysis>; documents: AnalysisLink[] }> {
  const record = await ownTender(tenderId, owner, deps);
  const input = await storedInput(record, deps);
  if (!input) throw new ValidationError([{ path: 'marks', message: 'no marks recorded for this tender: PUT /tenders/{id}/marks first' }]);
  const tender = await resolved(record, deps);
  const bids = await readStoredBids(record, owner, tender, deps);
  if (bids.length === 0) throw new ValidationError([{ path: 'bids', message: 'no bid uploaded for this tender' }]);
  const { analysis, files: outputs } = await runAnalysis(tender, bids, input, deps.renderers, { tenderId: record.id, generatedAt: record.createdAt });
  const documents: AnalysisLink[] = [];
  const expiresAt = new Date(deps.clock.now().getTime() + deps.urlTtlSeconds * 1000).toISOString();
  for (const output of outputs) {
    const key = tenderDocumentKey(record.id, `analysis/${output.name}`);
    await deps.documents.put(key, output.content, output.mediaType);
    documents.push({ name: output.name, mediaType: output.mediaType, sha256: sha256(output.content), url: await deps.documents.presignedGet(key, deps.urlTtlSeconds, { downloadName: output.name }), expiresAt });
  }
  return { summary: summariseAnalysis(analysis), documents };
}
