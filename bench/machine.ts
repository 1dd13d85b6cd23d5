import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';

/** The machine as a benchmark's report names it: CPU model (lscpu, else os.cpus()), cores and memory. */
export function machine(): string {
  let model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  try {
    model = /^Model name:\s*(.+)$/m.exec(execFileSync('lscpu', { encoding: 'utf8' }))?.[1]?.trim() ?? model;
  } catch {
    // lscpu absent: os.cpus() named the model
  }
  return `${model}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB`;
}

/** The 1-, 5- and 15-minute load averages, « 1.2 / 1.0 / 0.9 ». */
export const loadAverages = (load: number[] = loadavg()): string => load.map((x) => x.toFixed(1)).join(' / ');
