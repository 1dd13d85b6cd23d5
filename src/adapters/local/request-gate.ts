/**
 * How many requests the local API works on at once, the others waiting their turn in order of
 * arrival (src/adapters/local/http-server.ts, `concurrentRequests`).
 *
 * In AWS each Lambda instance serves one request at a time, on a CPU of its own, and more
 * requests start more instances. The local stack has the laptop's cores and nothing more: every
 * request it admits shares them with every other, so past the point where the API's thread and the
 * PDF threads are all busy, admitting one more request only makes each of them slower and keeps
 * more of them in memory. Measured at concurrency 32 on 2 cores (`npm run bench:api`), letting 4
 * generations run and the others queue gave the same throughput with a p99 latency 1.1–1.2 times
 * the median instead of 1.3–1.4 times (BENCHMARKS.md, « Issue #19, 2026-12-07 (late evening) »).
 */
export interface RequestGate {
  /** Runs `work` once fewer than the limit run, in order of arrival; the slot is freed however `work` ends. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Requests running now. */
  readonly active: number;
  /** Requests waiting for a slot. */
  readonly waiting: number;
}

export function createRequestGate(limit: number): RequestGate {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a request gate needs a limit of at least 1, not ${limit}`);
  const line: (() => void)[] = [];
  let active = 0;

  const enter = (): Promise<void> | undefined => {
    if (active < limit) {
      active++;
      return undefined;
    }
    // The slot is handed over by leave(): `active` does not drop in between, so no later arrival overtakes.
    return new Promise<void>((resolve) => line.push(resolve));
  };
  const leave = () => {
    const next = line.shift();
    if (next) next();
    else active--;
  };

  return {
    async run(work) {
      await enter();
      try {
        return await work();
      } finally {
        leave();
      }
    },
    get active() {
      return active;
    },
    get waiting() {
      return line.length;
    },
  };
}
