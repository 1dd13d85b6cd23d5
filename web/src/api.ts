import type { DceEntry } from '../../src/core/documents/bordereau.ts';
import type { Framework, Offer } from '../../src/core/model/catalogue.ts';
import type { Criterion } from '../../src/core/model/criterion.ts';
import type { Finding } from '../../src/core/model/findings.ts';
import type { GenerationReport, TenderRecheck } from '../../src/core/model/report.ts';
import type { TenderRequest } from '../../src/core/model/tender-request.ts';
import type { AnyTenderRequest } from '../../src/core/model/tender-request-v2.ts';

/** Response bodies of the API, as the web app reads them (see GET /openapi.json). */
export type { AnyTenderRequest, Criterion, Finding, Framework, Offer, TenderRequest, GenerationReport };

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  requestId?: string;
  errors?: Array<{ path: string; message: string }>;
  findings?: Finding[];
}

export interface ValidationResult {
  blocking: boolean;
  findings: Finding[];
  conformity: NonNullable<GenerationReport['conformity']>;
  funding: NonNullable<GenerationReport['funding']>;
  rules: NonNullable<GenerationReport['rules']>;
  /** The estimate the threshold rules count (servers before it: absent). Buyer only, never in bidder documents. */
  estimate?: Estimate;
}

export interface Estimate {
  total: number;
  totalTtc: number;
  complete: boolean;
  basis: 'framework-maximum' | 'lots';
  renewals: number;
  lots: Array<{
    lot: number;
    firm: number;
    tranches: number;
    options: number;
    perPeriod: number;
    renewalFactor: number;
    value: number;
    valueTtc: number;
    basis: 'lines' | 'lot-maximum';
    complete: boolean;
  }>;
}

export interface DocumentView {
  name: string;
  mediaType: string;
  /** Absent while the document is not ready. */
  bytes?: number;
  sha256?: string;
  href: string;
  /** `pending` while the documents function renders it (Word and Excel formats), `failed` if that failed; absent from older servers (ready). */
  status?: DocumentStatus;
  /** `buyer`: internal, never to publish (absent from servers older than the note interne). */
  audience?: 'bidder' | 'buyer';
}

/** `GET /tenders/{id}/documents/{name}` with `Accept: application/json`: a fresh presigned URL. */
export interface DocumentLink {
  name: string;
  url: string;
  expiresAt: string;
}

export type DocumentStatus = 'pending' | 'ready' | 'failed';

/** `GET /tenders/{id}/dce`: the bordereau of the consultation file, each piece with a fresh link (a PDF opens in the browser). */
export interface DcePieces {
  files: Array<DceEntry & { url: string; expiresAt: string }>;
}

/** Present when the documents are rendered apart from the request (a Word or Excel format asked for). */
export interface Rendering {
  status: DocumentStatus;
  statusHref: string;
  finishedAt?: string;
  /** In English, for operators; the page explains `cause` in French instead. */
  reason?: string;
  cause?: RenderingFailureCause;
}

/** What kind of rendering failure (absent on failures recorded before it existed). */
export type RenderingFailureCause = 'invalid' | 'error' | 'not-queued' | 'stalled';

export interface TenderCreated {
  id: string;
  createdAt: string;
  framework: { id: string; version: number };
  /** Absent while the rendering is pending. */
  contentHash?: string;
  rendering?: Rendering;
  /** Absent while the rendering is pending. */
  report?: GenerationReport;
  /** Links only for ready documents. */
  documents: Array<DocumentView & { url?: string; expiresAt?: string }>;
}

export interface TenderView {
  id: string;
  owner: string;
  createdAt: string;
  idempotencyKey?: string;
  framework: { id: string; version: number };
  contentHash?: string;
  rendering?: Rendering;
  request: AnyTenderRequest;
  criteria: Array<{ id: string; version: number }>;
  /** The formats generated (see FORMATS in src/adapters/render/formats.ts). */
  formats: string[];
  documents: DocumentView[];
  /** The stored request re-checked under today's rules (documents unchanged); absent when its framework version left the catalogue. */
  recheck?: TenderRecheck;
}

/** A stored catalogue (POST /catalogues), as the API shows it. */
export interface StoredCatalogue {
  id: string;
  owner: string;
  name: string;
  framework: { id: string; version: number; reference: string };
  file: { sha256: string; bytes: number; format: 'csv' | 'json' | 'xlsx' };
  totals: { total: number; conform: number; 'not-conform': number; undeclared: number; 'needs-evidence': number; shareConform: number };
  reports: Array<{ format: 'json' | 'csv' | 'xlsx' | 'pdf'; bytes: number; sha256: string; href: string }>;
  createdAt: string;
}

export interface TenderSummary {
  id: string;
  createdAt: string;
  title: string;
  framework: { id: string; version: number };
  href: string;
  /** The stored request re-checked under today's rules, in numbers; absent when its framework version left the catalogue. */
  recheck?: { changed: boolean; blocking: boolean; added: number; removed: number };
}

/** An answer other than 2xx, with the API's problem details when it sent them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  /** JSON, or sent as is when `headers['content-type']` is given: a string (CSV) or bytes (a Blob, an .xlsx file). */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /**
   * Called as the body leaves the browser, with the bytes sent so far and the total. fetch cannot
   * report upload progress, so a request that asks for it goes through XMLHttpRequest (same origin
   * and headers, the same `connect-src`).
   */
  onUploadProgress?: (sent: number, total: number) => void;
  /** The answer is a file (a workbook, a PDF): `body` is its Blob, `text` empty. */
  blob?: boolean;
}

export interface ApiClient {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<{ body: T; headers: Headers; status: number; text: string }>;
}

/** What the API client needs of the credentials (web/src/credentials.ts). */
export interface BearerSource {
  /** The access token for the next request (refreshed first when about to expire), or undefined. */
  token(): Promise<string | undefined>;
  /** A new access token after `stale` was refused. */
  renew(stale: string): Promise<{ kind: 'renewed'; token: string } | { kind: 'ended' } | { kind: 'unavailable' }>;
}

const networkError = () => new ApiError(0, { type: 'urn:cahier:web:network', title: 'Network error', status: 0, detail: 'network' });

/**
 * Calls the API with the signed-in user's bearer token. A 401 renews the token once and sends the
 * request again (the authorizer refused it before any handler ran, so nothing was done); a second
 * 401, or no way to renew, calls `onUnauthorized`. Problem+json answers become ApiError.
 */
export function createApi(baseUrl: string, bearer: BearerSource, onUnauthorized: () => void): ApiClient {
  return {
    async request<T>(method: string, path: string, options: RequestOptions = {}) {
      // A string or binary body with its own content type (a CSV file, a workbook) is sent as is; anything else as JSON.
      const raw = (typeof options.body === 'string' || options.body instanceof Blob) && options.headers?.['content-type'] !== undefined;
      const payload = options.body === undefined ? undefined : raw ? (options.body as string | Blob) : JSON.stringify(options.body);
      const send = async (token: string | undefined) => {
        const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
        if (token) headers.authorization = `Bearer ${token}`;
        if (payload !== undefined && !raw) headers['content-type'] = 'application/json';
        try {
          if (options.onUploadProgress && payload !== undefined) return await sendWithProgress(`${baseUrl}${path}`, method, headers, payload, options.onUploadProgress, options.signal);
          return await fetch(`${baseUrl}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}), ...(options.signal ? { signal: options.signal } : {}) });
        } catch (error) {
          if ((error as Error).name === 'AbortError') throw error;
          throw networkError();
        }
      };
      const token = await bearer.token();
      let response = await send(token);
      if (response.status === 401 && token) {
        const renewal = await bearer.renew(token);
        if (renewal.kind === 'unavailable') throw networkError();
        if (renewal.kind === 'renewed') {
          await response.body?.cancel();
          response = await send(renewal.token);
          if (response.status === 401) onUnauthorized();
        }
        // 'ended': the credentials told the app already.
      } else if (response.status === 401) {
        onUnauthorized();
      }
      if (options.blob && response.ok) return { body: (await response.blob()) as T, headers: response.headers, status: response.status, text: '' };
      const text = await response.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      if (!response.ok) {
        const problem = (body && typeof body === 'object' ? body : { type: 'about:blank', title: response.statusText, status: response.status }) as Problem;
        throw new ApiError(response.status, problem);
      }
      return { body: body as T, headers: response.headers, status: response.status, text };
    },
  };
}

/** Statuses whose Response must have no body. */
const EMPTY_STATUSES = new Set([101, 204, 205, 304]);

/** One request through XMLHttpRequest, reporting the bytes sent; answers a Response as fetch would. */
function sendWithProgress(url: string, method: string, headers: Record<string, string>, body: string | Blob, onProgress: (sent: number, total: number) => void, signal: AbortSignal | undefined): Promise<Response> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    const size = typeof body === 'string' ? new Blob([body]).size : body.size;
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : size);
    // The last byte sent, even where no progress event reports it.
    xhr.upload.onload = () => onProgress(size, size);
    xhr.onload = () => {
      const received = new Headers();
      for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
        const colon = line.indexOf(':');
        if (colon > 0) received.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      resolve(new Response(EMPTY_STATUSES.has(xhr.status) ? null : xhr.responseText, { status: xhr.status, statusText: xhr.statusText, headers: received }));
    };
    xhr.onerror = () => reject(new TypeError('network'));
    xhr.onabort = () => reject(new DOMException('The request was aborted', 'AbortError'));
    if (signal?.aborted) return reject(new DOMException('The request was aborted', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    onProgress(0, size);
    xhr.send(body);
  });
}

/** Every page of a paged list (`cursor`), concatenated. */
export async function allPages<T>(api: ApiClient, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  const separator = path.includes('?') ? '&' : '?';
  do {
    const { body } = await api.request<{ items: T[]; cursor?: string }>('GET', `${path}${separator}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...body.items);
    cursor = body.cursor;
  } while (cursor);
  return items;
}

/** Every framework at its latest version (GET /frameworks). */
export async function listFrameworks(api: ApiClient): Promise<Framework[]> {
  return (await api.request<{ items: Framework[] }>('GET', '/frameworks')).body.items;
}
