import type { Framework, Offer } from '../../src/core/model/catalogue.ts';
import type { Criterion } from '../../src/core/model/criterion.ts';
import type { Finding } from '../../src/core/model/findings.ts';
import type { GenerationReport } from '../../src/core/model/report.ts';
import type { TenderRequest } from '../../src/core/model/tender-request.ts';

/** Response bodies of the API, as the web app reads them (see GET /openapi.json). */
export type { Criterion, Finding, Framework, Offer, TenderRequest, GenerationReport };

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
}

export interface DocumentView {
  name: string;
  mediaType: string;
  bytes: number;
  sha256: string;
  href: string;
}

/** `GET /tenders/{id}/documents/{name}` with `Accept: application/json`: a fresh presigned URL. */
export interface DocumentLink {
  name: string;
  url: string;
  expiresAt: string;
}

export interface TenderCreated {
  id: string;
  createdAt: string;
  framework: { id: string; version: number };
  contentHash: string;
  report: GenerationReport;
  documents: Array<DocumentView & { url: string; expiresAt: string }>;
}

export interface TenderView {
  id: string;
  owner: string;
  createdAt: string;
  idempotencyKey?: string;
  framework: { id: string; version: number };
  contentHash: string;
  request: TenderRequest;
  criteria: Array<{ id: string; version: number }>;
  /** The formats generated (see FORMATS in src/adapters/render/formats.ts). */
  formats: string[];
  documents: DocumentView[];
}

export interface TenderSummary {
  id: string;
  createdAt: string;
  title: string;
  framework: { id: string; version: number };
  href: string;
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

export interface ApiClient {
  request<T>(method: string, path: string, options?: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal }): Promise<{ body: T; headers: Headers; status: number }>;
}

/**
 * Calls the API with the signed-in user's bearer token. Problem+json answers become ApiError;
 * a 401 signs the user out (`onUnauthorized`).
 */
export function createApi(baseUrl: string, token: () => string | undefined, onUnauthorized: () => void): ApiClient {
  return {
    async request<T>(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {}) {
      const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
      const bearer = token();
      if (bearer) headers.authorization = `Bearer ${bearer}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      let response: Response;
      try {
        response = await fetch(`${baseUrl}${path}`, {
          method,
          headers,
          ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } catch (error) {
        if ((error as Error).name === 'AbortError') throw error;
        throw new ApiError(0, { type: 'urn:cahier:web:network', title: 'Network error', status: 0, detail: 'network' });
      }
      const text = await response.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      if (!response.ok) {
        if (response.status === 401) onUnauthorized();
        const problem = (body && typeof body === 'object' ? body : { type: 'about:blank', title: response.statusText, status: response.status }) as Problem;
        throw new ApiError(response.status, problem);
      }
      return { body: body as T, headers: response.headers, status: response.status };
    },
  };
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
