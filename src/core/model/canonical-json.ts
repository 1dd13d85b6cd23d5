/**
 * JSON with object keys sorted and undefined members dropped, so that two requests that differ
 * only in key order or whitespace hash alike (an idempotent retry need not reproduce the bytes).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
