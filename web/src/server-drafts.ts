import type { ApiClient } from './api.ts';
import { fromRequest, type Draft } from './draft.ts';
import type { AnyTenderRequest } from '../../src/core/model/tender-request-v2.ts';

/**
 * The buyer's named drafts on the server (`/drafts`): the wizard saves the request it builds under
 * a name, and reopens it from « Mes brouillons ». The browser keeps the draft being edited in
 * localStorage as before (a cache that survives a reload or a lost connection), and beside it
 * which server draft, at which version, it came from: saving again sends that version in
 * If-Match, so a save over a version saved elsewhere meanwhile is refused (412), never lost.
 */
export interface ServerDraftRef {
  id: string;
  /** The version read or last saved: the If-Match of the next save. */
  version: number;
  name: string;
  savedAt: string;
}

export interface DraftSummary {
  id: string;
  name: string;
  title?: string;
  status: 'incomplete' | 'ready';
  version: number;
  createdAt: string;
  updatedAt: string;
}

interface DraftView extends DraftSummary {
  request: Record<string, unknown>;
}

export const STATUS_LABELS: Record<DraftSummary['status'], string> = { incomplete: 'À compléter', ready: 'Complet' };

const refKey = (subject: string) => `cahier:server-draft:${subject}`;

export function loadServerRef(subject: string): ServerDraftRef | undefined {
  try {
    const raw = localStorage.getItem(refKey(subject));
    return raw ? (JSON.parse(raw) as ServerDraftRef) : undefined;
  } catch {
    return undefined;
  }
}

export function saveServerRef(subject: string, ref: ServerDraftRef | undefined): void {
  if (ref) localStorage.setItem(refKey(subject), JSON.stringify(ref));
  else localStorage.removeItem(refKey(subject));
}

const refOf = (view: DraftView): ServerDraftRef => ({ id: view.id, version: view.version, name: view.name, savedAt: view.updatedAt });

/** Saves the request under `name`: the next version of `ref` (If-Match), or a new draft without one. */
export async function saveToServer(api: ApiClient, ref: ServerDraftRef | undefined, name: string, request: AnyTenderRequest): Promise<ServerDraftRef> {
  const body = { name, request };
  const { body: view } = ref
    ? await api.request<DraftView>('PUT', `/drafts/${encodeURIComponent(ref.id)}`, { body, headers: { 'if-match': `"${ref.version}"` } })
    : await api.request<DraftView>('POST', '/drafts', { body });
  return refOf(view);
}

/** A server draft as the wizard's draft, and the reference to save it again. */
export async function openFromServer(api: ApiClient, id: string): Promise<{ draft: Draft; ref: ServerDraftRef }> {
  const { body: view } = await api.request<DraftView>('GET', `/drafts/${encodeURIComponent(id)}`);
  return { draft: fromRequest(view.request as unknown as AnyTenderRequest), ref: refOf(view) };
}

/** A copy of a server draft under a new name (a new draft, version 1). */
export async function duplicateOnServer(api: ApiClient, id: string, name: string): Promise<ServerDraftRef> {
  const { body: view } = await api.request<DraftView>('GET', `/drafts/${encodeURIComponent(id)}`);
  const { body: copy } = await api.request<DraftView>('POST', '/drafts', { body: { name, request: view.request } });
  return refOf(copy);
}

/** The same request under a new name: the next version of the draft as last read (If-Match). */
export async function renameOnServer(api: ApiClient, summary: Pick<DraftSummary, 'id' | 'version'>, name: string): Promise<ServerDraftRef> {
  const { body: view } = await api.request<DraftView>('GET', `/drafts/${encodeURIComponent(summary.id)}`);
  const { body: renamed } = await api.request<DraftView>('PUT', `/drafts/${encodeURIComponent(summary.id)}`, {
    body: { name, request: view.request },
    headers: { 'if-match': `"${summary.version}"` },
  });
  return refOf(renamed);
}

export async function deleteOnServer(api: ApiClient, summary: Pick<DraftSummary, 'id' | 'version'>): Promise<void> {
  await api.request('DELETE', `/drafts/${encodeURIComponent(summary.id)}`, { headers: { 'if-match': `"${summary.version}"` } });
}

export async function listServerDrafts(api: ApiClient, query: { q?: string; status?: DraftSummary['status'] }): Promise<DraftSummary[]> {
  const params = new URLSearchParams();
  if (query.q?.trim()) params.set('q', query.q.trim());
  if (query.status) params.set('status', query.status);
  const search = params.toString();
  const { body } = await api.request<{ items: DraftSummary[] }>('GET', `/drafts${search ? `?${search}` : ''}`);
  return body.items;
}

/** « Collèges 2027 (copie) », then « (copie 2) »… among the names taken. */
export function copyName(name: string, taken: readonly string[]): string {
  const base = `${name} (copie)`;
  if (!taken.includes(base)) return base.slice(0, 120);
  for (let n = 2; ; n++) if (!taken.includes(`${name} (copie ${n})`)) return `${name} (copie ${n})`.slice(0, 120);
}
