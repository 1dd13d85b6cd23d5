/**
 * Values by string key, bounded by an estimate of the memory they hold rather than by their
 * count: a long-lived process (the CLI over a folder, a warm Lambda, the local stack) meeting
 * ever new text keeps a steady footprint. When full, the oldest entries go first
 * (a Map iterates in insertion order) down to half the budget, so what every document repeats,
 * computed early, is computed again at worst once per cycle.
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
