/** Timing helpers for the benchmark: warm-up, then timed runs summarised by order statistics. */
import { performance } from 'node:perf_hooks';

export interface Summary {
  runs: number;
  median: number;
  p90: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile of sorted samples (p in 0..100). */
function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarise(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { runs: sorted.length, median, p90: percentile(sorted, 90), min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/**
 * Runs `fn` `warmup` times untimed, then `runs` times timed (wall clock, ms). Each run awaits the
 * previous one, so nothing overlaps. Returns the summary and the last run's result.
 */
export async function measure<T>(fn: () => Promise<T>, warmup: number, runs: number): Promise<{ summary: Summary; last: T }> {
  let last: T | undefined;
  for (let i = 0; i < warmup; i++) last = await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    last = await fn();
    samples.push(performance.now() - start);
  }
  return { summary: summarise(samples), last: last as T };
}

export const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
export const kb = (bytes: number): string => (bytes / 1024).toFixed(0);
export const mb = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(0);
