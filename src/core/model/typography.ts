/**
 * French typography applied to everything a document prints, whatever its source (catalogue
 * files, the ministry's editor, the buyer's text): one apostrophe style, the typographic one.
 */

/** A straight apostrophe between two letters (« l'école », « aujourd'hui ») becomes ’; quotes and primes elsewhere stay. */
export function frenchApostrophes(text: string): string {
  return text.includes("'") ? text.replace(/(?<=\p{L})'(?=\p{L})/gu, '’') : text;
}

/**
 * A copy of a plain value (objects, arrays, strings…) with every string passed through
 * frenchApostrophes; values without a straight apostrophe are returned as they are.
 */
export function withFrenchApostrophes<T>(value: T): T {
  if (typeof value === 'string') return frenchApostrophes(value) as T;
  // Copies start at the first value that changes: most of a resolved tender (the pinned criteria,
  // items and offers) holds no straight apostrophe and is walked without allocating.
  if (Array.isArray(value)) {
    let mapped: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const m = withFrenchApostrophes(v);
      if (mapped === undefined && m !== v) mapped = value.slice(0, i);
      mapped?.push(m);
    }
    return (mapped ?? value) as T;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const source = value as Record<string, unknown>;
    const keys = Object.keys(source);
    let out: Record<string, unknown> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const v = source[keys[i]!];
      const m = withFrenchApostrophes(v);
      if (out === undefined && m !== v) {
        out = {};
        for (let j = 0; j < i; j++) out[keys[j]!] = source[keys[j]!];
      }
      if (out !== undefined) out[keys[i]!] = m;
    }
    return (out ?? value) as T;
  }
  return value;
}
