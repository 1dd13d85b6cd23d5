import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection, started between two generations of a long run (`cahier generate
 * <folder>`) and run concurrently with the next ones, when the process's resident set has grown
 * past `limitBytes`.
 *
 * Why (issue #19, BENCHMARKS.md « Memory »): a process that generates tender after tender is never
 * idle, so V8 never runs the full, compacting collection it keeps for idle time and lets its old
 * generation grow instead: RSS climbed 273 → 608 MB over 1 000 tenders while the data it retained
 * grew 28 → 42 MB (the shape cache filling to its bound). A full collection every few tenders
 * keeps RSS near what is retained. It runs between two documents, never during one, so outputs
 * are unchanged, and only once RSS passes the limit, so a short run never pays for it.
 *
 * `global.gc` exists only under `--expose-gc`; without it the flag is set at run time and the
 * function is taken from a fresh context (V8 installs `gc` on the globals of contexts created
 * after the flag). If that fails, nothing is collected: the run goes on as before.
 */
export function collectAbove(limitBytes: number): boolean {
  if (process.memoryUsage.rss() < limitBytes) return false;
  const gc = fullCollection();
  if (!gc) return false;
  // Concurrent and incremental, not stop-the-world: over 1 000 tenders a forced synchronous
  // collection every 8 generations doubled the run's wall time (103–113 s against 51–55 s), this
  // one adds ≈ 20 % (64 s) for the same memory (BENCHMARKS.md « Memory over 1 000 tenders »).
  gc({ type: 'major', execution: 'async' });
  return true;
}

/** V8's `gc`, with the options its extension takes (a V8 too old for them runs a full collection). */
type Collector = (options?: { type: 'major' | 'minor'; execution: 'sync' | 'async' }) => unknown;

let collector: Collector | null | undefined;

function fullCollection(): Collector | null {
  if (collector !== undefined) return collector;
  const exposed = (globalThis as { gc?: Collector }).gc;
  if (typeof exposed === 'function') return (collector = exposed);
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    collector = typeof gc === 'function' ? (gc as Collector) : null;
  } catch {
    collector = null;
  }
  return collector;
}
