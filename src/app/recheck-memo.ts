import { FUNDING_VERSION } from '#src/core/funding/programmes.ts';
import { LAW_VERSION } from '#src/core/law/law.ts';
import type { GenerateDocumentsDeps } from './generate-documents.ts';
import { recheckTenderReading, REPORT_DOCUMENT, type TenderDeps, type TenderRecheck } from './generate-tender.ts';
import type { TenderRecord, TenderSummary } from './tender-record.ts';

/**
 * The rule data a re-check reads besides the tender: fingerprints of the law and funding records
 * (fixed for a process's life, since the records are code; a parameter so that tests can show a
 * change of either recomputes).
 */
export interface RuleDataVersions {
  law: string;
  funding: string;
}

export const RULE_DATA_VERSIONS: RuleDataVersions = { law: LAW_VERSION, funding: FUNDING_VERSION };

/**
 * What a stored tender's re-check depends on, as one string: the tender id, the hash of its stored
 * request (a record's request never changes once written), the framework version the request pins
 * (published versions are immutable and pin every criterion, item and offer version), the
 * SHA-256 the record names for its report.json (none while a deferred rendering is pending), and
 * the law and funding records' fingerprints. The rules' code is the process's own.
 */
export function recheckKey(record: Pick<TenderSummary, 'id' | 'requestHash' | 'request' | 'documents'>, versions: RuleDataVersions = RULE_DATA_VERSIONS): string {
  const report = record.documents.find((d) => d.name === REPORT_DOCUMENT);
  const { id, version } = record.request.framework;
  return JSON.stringify([record.id, record.requestHash, `${id}@${version}`, report ? `${report.key}#${report.sha256}` : null, versions.law, versions.funding]);
}

/** A computed value, and whether it may be kept for the next callers with the same key. */
export interface Computed<V> {
  value: V;
  keep: boolean;
}

/** What an entry is taken to hold in memory: its JSON as UTF-16, the form a V8 string of it would take. */
export function jsonBytes(value: unknown): number {
  return JSON.stringify(value).length * 2;
}

/** Bookkeeping of one entry besides its key and value (Map slot, object headers). */
const ENTRY_OVERHEAD_BYTES = 64;

/**
 * A memo of asynchronous computations, bounded by bytes, least recently used evicted first.
 * Concurrent calls for a key being computed share that computation. A computation that fails, or
 * whose value says not to keep it, is not remembered: the next call computes again. Values are
 * deeply frozen before anyone sees them, so no caller can change what another one reads.
 */
export class BoundedMemo<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private readonly running = new Map<string, Promise<V>>();
  private used = 0;

  constructor(
    readonly maxBytes: number,
    private readonly sizeOf: (value: V) => number = jsonBytes,
  ) {
    if (!(maxBytes >= 0)) throw new RangeError('maxBytes must be a non-negative number');
  }

  /** Entries held and the bytes they are counted for. */
  get stats(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.used };
  }

  get(key: string, compute: () => Promise<Computed<V>>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit) {
      // Most recently used last: Map iteration order is insertion order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return Promise.resolve(hit.value);
    }
    const running = this.running.get(key);
    if (running) return running;
    // compute starts on a later tick, after the promise is registered, so a synchronous throw still clears it.
    const promise = Promise.resolve()
      .then(compute)
      .then(({ value, keep }) => {
        // A copy, so that freezing it cannot freeze anything the computation shares (rule data, parsed reports).
        const frozen = deepFreeze(structuredClone(value));
        if (keep) this.remember(key, frozen);
        return frozen;
      })
      .finally(() => this.running.delete(key));
    this.running.set(key, promise);
    return promise;
  }

  private remember(key: string, value: V): void {
    const bytes = this.sizeOf(value) + key.length * 2 + ENTRY_OVERHEAD_BYTES;
    if (bytes > this.maxBytes) return;
    for (const [oldest, entry] of this.entries) {
      if (this.used + bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.used -= entry.bytes;
    }
    this.entries.set(key, { value, bytes });
    this.used += bytes;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** 8 MiB: a re-check without changes counts about 4 KiB (two sets of rule data), so some two thousand tenders. */
export const DEFAULT_RECHECK_MEMO_BYTES = 8 * 1024 * 1024;

export interface RecheckMemoOptions {
  maxBytes?: number;
  /** The rule data in force, read at each call (default: RULE_DATA_VERSIONS). */
  versions?: () => RuleDataVersions;
}

/**
 * recheckTenderReading behind a BoundedMemo (one per composition, so one per Lambda instance): reading a
 * tender again, or listing a page of tenders, runs the rules and reads report.json only for
 * tenders whose key (recheckKey) it has not seen. A re-check is kept only when the report.json it
 * read hashes as the record says, so that the key's report hash stands for the bytes compared with;
 * a framework version the catalogue lacks (ValidationError) fails and is asked again next time.
 */
export function memoisedRecheck(
  deps: GenerateDocumentsDeps & Pick<TenderDeps, 'documents'>,
  options: RecheckMemoOptions = {},
): {
  recheck(record: TenderRecord): Promise<TenderRecheck>;
  recheckListed(summary: TenderSummary, load: (id: string) => Promise<TenderRecord>): Promise<TenderRecheck>;
  memo: BoundedMemo<TenderRecheck>;
} {
  const memo = new BoundedMemo<TenderRecheck>(options.maxBytes ?? DEFAULT_RECHECK_MEMO_BYTES);
  const versions = options.versions ?? (() => RULE_DATA_VERSIONS);
  const compute = async (record: TenderRecord): Promise<Computed<TenderRecheck>> => {
    const { recheck, reportSha256 } = await recheckTenderReading(record, deps);
    const named = record.documents.find((d) => d.name === REPORT_DOCUMENT)?.sha256;
    return { value: recheck, keep: reportSha256 === named };
  };
  return {
    memo,
    recheck: (record) => memo.get(recheckKey(record, versions()), () => compute(record)),
    // A listed tender's record is read only on a miss. Its request is the one the summary's hash
    // names (a record's request never changes); its documents are taken from the summary, so the
    // re-check is the one of the row listed, even if a rendering finished in between.
    recheckListed: (summary, load) =>
      memo.get(recheckKey(summary, versions()), async () => compute({ ...(await load(summary.id)), documents: summary.documents })),
  };
}
