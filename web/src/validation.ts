import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient, type ValidationResult } from './api.ts';
import type { AnyTenderRequest } from './api.ts';
import { canonicalJson } from './draft.ts';
import { fieldMessage, problemMessage } from './messages.ts';

export type LiveCheck =
  | { state: 'pending'; previous?: LiveCheck }
  | { state: 'checked'; result: ValidationResult }
  | { state: 'invalid'; fieldErrors: Record<string, string> }
  | { state: 'failed'; message: string };

/**
 * Findings and eligibility of the request as it is being written: `POST /tenders/validate`
 * (nothing stored), sent `delayMs` after the last change, earlier answers cancelled.
 */
export function useLiveCheck(api: ApiClient, request: AnyTenderRequest | undefined, delayMs = 400): LiveCheck | undefined {
  const [check, setCheck] = useState<LiveCheck | undefined>();
  const last = useRef<LiveCheck | undefined>(undefined);
  const body = request ? canonicalJson(request) : undefined;
  useEffect(() => {
    if (!request) return;
    const controller = new AbortController();
    setCheck((c) => ({ state: 'pending', ...(c && c.state !== 'pending' ? { previous: c } : c?.state === 'pending' && c.previous ? { previous: c.previous } : {}) }));
    const timer = setTimeout(() => {
      api
        .request<ValidationResult>('POST', '/tenders/validate', { body: request, signal: controller.signal })
        .then(
          ({ body: result }) => ({ state: 'checked', result }) as LiveCheck,
          (error: unknown) => {
            if ((error as Error).name === 'AbortError') return undefined;
            if (error instanceof ApiError && error.status === 422 && error.problem.errors) {
              return { state: 'invalid', fieldErrors: fieldErrorsOf(error.problem.errors) } as LiveCheck;
            }
            return { state: 'failed', message: problemMessage(error) } as LiveCheck;
          },
        )
        .then((next) => {
          if (next && !controller.signal.aborted) {
            last.current = next;
            setCheck(next);
          }
        });
    }, delayMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // The request is compared by content, not identity.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [body, api]);
  return check;
}

/** The latest answer, or the one before a pending check (so the panel does not flicker). */
export function settled(check: LiveCheck | undefined): Exclude<LiveCheck, { state: 'pending' }> | undefined {
  if (!check) return undefined;
  return check.state === 'pending' ? (check.previous as Exclude<LiveCheck, { state: 'pending' }> | undefined) : check;
}

export function fieldErrorsOf(errors: ReadonlyArray<{ path: string; message: string }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) out[e.path] ??= fieldMessage(e.message);
  return out;
}

/** The id of the field that edits a request path: "lots.0.title" → "f-lots-0-title". */
export function fieldId(path: string): string {
  return `f-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

/**
 * The id of the field on screen that edits `path`, or of its nearest enclosing part (a line, a
 * lot) when the API names a whole object: « lots.0.items.1.quantityFrom » → the line's mode field,
 * « contract.start » → the start field, « lots.2 » → the lot's section.
 */
export function fieldOnScreen(path: string): string | undefined {
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const base = parts.slice(0, n).join('.');
    for (const candidate of [base, `${base}.kind`]) {
      const id = fieldId(candidate);
      if (document.getElementById(id)) return id;
    }
  }
  return undefined;
}

/** Moves the focus to the field that edits `path` (see fieldOnScreen); true when found. */
export function focusField(path: string): boolean {
  const id = fieldOnScreen(path);
  const element = id ? document.getElementById(id) : null;
  element?.focus();
  return element !== null;
}
