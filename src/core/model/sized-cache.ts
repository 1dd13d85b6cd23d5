/**
 * Values by string key, bounded by an estimate of the memory they hold rather than by their
 * count: a long-lived process (the CLI over a folder, a warm Lambda, the local stack) meeting
 * ever new text keeps a steady footprint. When full, the oldest entries go first
 * (a Map iterates in insertion order) down to half the budget, so what every document repeats,
 * computed early, is computed again at worst once per cycle.
 *
 * The estimate only holds if an entry holds nothing but itself: keys, and the strings inside
 * values, must be `detach`ed copies, never pieces of a larger string (see detach).
 */
export class SizedCache<V> {
  private readonly entries = new Map<string, V>();
  private bytes = 0;

  constructor(
    readonly maxBytes: number,
    /** Estimated bytes an entry holds, its key included. */
    private readonly cost: (key: string, value: V) => number,
  ) {}

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    const previous = this.entries.get(key);
    // A key set again counts once, and moves to the newest end.
    if (previous !== undefined) {
      this.entries.delete(key);
      this.bytes -= this.cost(key, previous);
    }
    this.bytes += this.cost(key, value);
    this.entries.set(key, value);
    if (this.bytes <= this.maxBytes) return;
    for (const [oldKey, old] of this.entries) {
      if (this.bytes <= this.maxBytes / 2) break;
      this.entries.delete(oldKey);
      this.bytes -= this.cost(oldKey, old);
    }
  }

  /** Estimated bytes held, for the memory benchmark. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }
}

/**
 * `text` as a string of its own. V8 keeps a substring of 13 characters or more (slice, split, a
 * regular expression's match, markdown-it's token contents) as a view into the string it was cut
 * from, and a concatenation as a pair of its parts: a 20-character key cut from a tender's 60 KB
 * of markup keeps all of it alive for as long as a cache keeps the key. Over 300 tenders in a row
 * that was ≈ 15 MB of text no cache counted (BENCHMARKS.md, « Issue #19, 2026-12-07 (late night) »).
 *
 * Prepending a character makes a concatenation, which slicing it flattens: the characters are
 * copied into a new string, and the result is a view into that copy alone. Shorter strings are
 * always copies already. Costs one copy, so it belongs where an entry is made (a cache miss),
 * not on every lookup.
 */
export function detach(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}
