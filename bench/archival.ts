/**
 * `npm run bench:archival [-- --baseline <git ref>] [--current <git ref>] [--runs 15] [--warmup 3]`:
 * what tagging (PDF/UA-1) and PDF/A-3 with the OCDS release attached cost the CCTP, against a
 * commit from before them (issue #16 asks for at most +15 %). Both pipelines run in this process:
 * each ref is checked out into a temporary git worktree sharing this checkout's node_modules (the
 * current side is this checkout unless `--current` names a ref), and each side is imported from
 * its own folder (its package.json maps its own `#src/`). `--baseline 76c02de^ --current 4ad551d`
 * isolates the two commits that added tags and PDF/A; the default compares today's code, which
 * also prints more since (RC references, CPV check digits…).
 *
 * Method, as bench/run.ts: interleaved (baseline then current on even iterations, the reverse on
 * odd ones), warm-up iterations not counted, wall from performance.now() and CPU from
 * process.cpuUsage(), min / median / max and the ratio of the medians measured in the same run.
 * Two cases: the same request every time (caches warm), and the request with every buyer-written
 * text rewritten for each iteration (bench/unseen.ts), so the word and glyph caches hold none of it.
 * The request is the baseline's own copy of the example, which the current version must accept
 * unchanged (a v1 request keeps working). The case measured is `generate` of the `pdf` format:
 * request → CCTP PDF, the current side's PDF carrying the OCDS release it renders too.
 *
 * `--profile <n>`: instead of timing, samples each side's `generate` of the same request `n` times
 * with V8's profiler (node:inspector, 100 µs; one side at a time, after the warm-up), writes the
 * .cpuprofile files to bench/.tmp/ and prints the self time per generation of the functions whose
 * time differs most between the two sides (where the tagged, archival PDF spends its extra time).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Session, type Profiler } from 'node:inspector/promises';
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ms, summarise, type Summary } from './stats.ts';
import { unseenRequest } from './unseen.ts';

/** The last commit before tagged PDF (76c02de) landed. */
const DEFAULT_BASELINE = '76c02de^';

const { values } = parseArgs({
  options: {
    baseline: { type: 'string', default: DEFAULT_BASELINE },
    current: { type: 'string' },
    example: { type: 'string', default: 'commune-rurale-classe-mobile' },
    runs: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    profile: { type: 'string' },
  },
});
const runs = Number(values.runs);
const warmup = Number(values.warmup);
const root = fileURLToPath(new URL('..', import.meta.url));

interface Side {
  name: string;
  generate(request: unknown): Promise<number>;
}

async function sideAt(name: string, dir: string): Promise<Side> {
  const pipeline = await import(pathToFileURL(path.join(dir, 'test/support/pipeline.ts')).href);
  const deps = await pipeline.realDeps();
  return {
    name,
    async generate(request) {
      const { documents } = await pipeline.generateFrom(request, deps, ['pdf']);
      return documents.reduce((n: number, d: { content: Uint8Array }) => n + d.content.length, 0);
    },
  };
}

function worktreeAt(ref: string): { dir: string; commit: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cahier-baseline-'));
  execFileSync('git', ['-C', root, 'worktree', 'add', '--detach', '--quiet', dir, ref]);
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  const commit = execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  return { dir, commit, remove: () => execFileSync('git', ['-C', root, 'worktree', 'remove', '--force', dir]) };
}

interface Samples {
  wall: number[];
  cpu: number[];
  bytes: number;
}

async function timed(side: Side, request: unknown, into: Samples): Promise<void> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  into.bytes = await side.generate(request);
  into.wall.push(performance.now() - start);
  const used = process.cpuUsage(cpu);
  into.cpu.push((used.user + used.system) / 1000);
}

async function runCase(sides: [Side, Side], requestFor: (i: number) => unknown): Promise<[Samples, Samples]> {
  const samples: [Samples, Samples] = [
    { wall: [], cpu: [], bytes: 0 },
    { wall: [], cpu: [], bytes: 0 },
  ];
  for (let i = 0; i < warmup + runs; i++) {
    const request = requestFor(i);
    const order = i % 2 === 0 ? [0, 1] : [1, 0];
    const scratch: Samples = { wall: [], cpu: [], bytes: 0 };
    for (const k of order) await timed(sides[k]!, request, i < warmup ? scratch : samples[k]!);
  }
  return samples;
}

/** Self time per function (name and file), in ms per generation. */
function selfTimes(profile: Profiler.Profile, generations: number): Map<string, number> {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const times = new Map<string, number>();
  (profile.samples ?? []).forEach((id, i) => {
    const frame = frames.get(id)!;
    const file = frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|test|bench)\//, '$1/');
    const key = `\`${frame.functionName || '(anonymous)'}\` ${file}`;
    times.set(key, (times.get(key) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000 / generations);
  });
  return times;
}

async function profileSides(sides: [Side, Side], request: unknown, generations: number): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  const dir = fileURLToPath(new URL('./.tmp/', import.meta.url));
  await mkdir(dir, { recursive: true });
  const times: Map<string, number>[] = [];
  for (const side of sides) {
    for (let i = 0; i < warmup; i++) await side.generate(request);
    await session.post('Profiler.start');
    for (let i = 0; i < generations; i++) await side.generate(request);
    const { profile } = await session.post('Profiler.stop');
    await writeFile(`${dir}archival-${side.name.replace(/\W+/g, '-')}.cpuprofile`, JSON.stringify(profile));
    times.push(selfTimes(profile, generations));
  }
  session.disconnect();
  const [before, after] = times as [Map<string, number>, Map<string, number>];
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  console.log(`| self time, ms a generation (${generations} generations each, 100 µs samples) | ${sides[0].name} | ${sides[1].name} | difference |`);
  console.log('|---|---:|---:|---:|');
  console.log(`| all | ${total(before).toFixed(2)} | ${total(after).toFixed(2)} | ${(total(after) - total(before)).toFixed(2)} |`);
  const keys = [...new Set([...before.keys(), ...after.keys()])];
  const delta = (k: string) => (after.get(k) ?? 0) - (before.get(k) ?? 0);
  for (const k of keys.sort((a, b) => Math.abs(delta(b)) - Math.abs(delta(a))).slice(0, 30)) {
    console.log(`| ${k} | ${(before.get(k) ?? 0).toFixed(2)} | ${(after.get(k) ?? 0).toFixed(2)} | ${delta(k).toFixed(2)} |`);
  }
}

const cell = (s: Summary) => `${ms(s.median)} (${ms(s.min)}–${ms(s.max)})`;

const load = () => os.loadavg()[0]!.toFixed(1);
const loadBefore = load();
const baseline = worktreeAt(values.baseline!);
const current = values.current === undefined ? undefined : worktreeAt(values.current);
try {
  const request = JSON.parse(readFileSync(path.join(baseline.dir, 'examples', `${values.example}.json`), 'utf8'));
  const head = current?.commit ?? execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const sides: [Side, Side] = [await sideAt(`baseline ${baseline.commit}`, baseline.dir), await sideAt(`current ${head}`, current?.dir ?? root)];
  const cases: Array<[string, (i: number) => unknown]> = [
    ['same request (caches warm)', () => request],
    ['texts rewritten each run (unseen)', (i) => unseenRequest(request, 1000 + i)],
  ];
  if (values.profile !== undefined) {
    await profileSides(sides, request, Number(values.profile));
  } else {
    console.log(`# CCTP with tags and PDF/A against ${baseline.commit} (${values.example}, ${runs} runs, ${warmup} warm-up, interleaved)\n`);
    console.log(`current: ${head}; node ${process.version}; ${os.cpus().length} cores; load ${loadBefore} → (end below)\n`);
    console.log('| case | side | wall ms median (min–max) | CPU ms median (min–max) | PDF KB | wall ratio | CPU ratio |');
    console.log('|---|---|---|---|---|---|---|');
    for (const [name, requestFor] of cases) {
      const [b, c] = await runCase(sides, requestFor);
      const [bw, bc, cw, cc] = [summarise(b.wall), summarise(b.cpu), summarise(c.wall), summarise(c.cpu)];
      console.log(`| ${name} | ${sides[0].name} | ${cell(bw)} | ${cell(bc)} | ${(b.bytes / 1024).toFixed(0)} | | |`);
      console.log(`| | ${sides[1].name} | ${cell(cw)} | ${cell(cc)} | ${(c.bytes / 1024).toFixed(0)} | ${(cw.median / bw.median).toFixed(2)} | ${(cc.median / bc.median).toFixed(2)} |`);
    }
    console.log(`\nload at the end: ${load()}`);
  }
} finally {
  baseline.remove();
  current?.remove();
}
