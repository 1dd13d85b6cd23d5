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
  if (Array.isArray(value)) {
    const mapped = value.map((v) => withFrenchApostrophes(v));
    return (mapped.some((v, i) => v !== value[i]) ? mapped : value) as T;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const mapped = withFrenchApostrophes(v);
      if (mapped !== v) changed = true;
      out[k] = mapped;
    }
    return (changed ? out : value) as T;
  }
  return value;
}
