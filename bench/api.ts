/**
 * `npm run bench:api [-- --baseline <commit>] [--rounds 4] [--scale 1] [--only get|post] [--dry-run]`: the HTTP API
 * on the local stack (dynalite, s3rver, the real handlers over HTTP), this checkout against a
 * baseline commit in the same run.
 *
 * The baseline is checked out in a temporary `git worktree` (node_modules symlinked, as the
 * session worktrees are). Each checkout's stack runs in its own child process (bench/api-stack.ts);
 * autocannon, the load generator, runs here. After a warm-up of both, each case runs in rounds
 * alternated current, baseline, current, baseline… and each side's latencies are pooled over its
 * rounds. Every POST carries a request never sent before (buyer, title and context rewritten with a
 * made-up place name), the same sequence on both sides, so caches see unseen text. Each stack
 * process reports its CPU time around each round.
 *
 * Cases: POST /tenders at concurrency 1, 8 and 32; then GET /tenders/{id}, GET /tenders and
 * GET /tenders/{id}/documents/{name} (Accept: application/json) at concurrency 32 over the tenders
 * the POSTs stored. `--only get` runs the GET cases alone (after 32 unmeasured POSTs per side, so the
 * list's first page is full), `--only post` the POST cases alone. Rewrites the « HTTP API under
 * load » section of BENCHMARKS.md (not with --dry-run).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { ParentMessage, StackMessage } from './api-stack.ts';
import { loadAverages, machine } from './machine.ts';
import { revision } from './revision.ts';
import { replaceSection } from './sections.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUTPUT = path.join(ROOT, 'BENCHMARKS.md');
const SECTION = '## HTTP API under load';
const STACK_SCRIPT = fileURLToPath(new URL('./api-stack.ts', import.meta.url));
/**
 * The issue's starting point: the last main before the first commit of issue #19 (8e8b8ec), whose
 * figures name no commit. Its stack needs its own `npm ci`, which the worktree gets when its
 * lockfile differs.
 */
const DEFAULT_BASELINE = '9c879a7';
const EXAMPLE = 'examples/commune-rurale-classe-mobile.json';

const { values } = parseArgs({
  options: {
    baseline: { type: 'string', default: DEFAULT_BASELINE },
    rounds: { type: 'string', default: '4' },
    scale: { type: 'string', default: '1' },
    only: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
const scale = Number(values.scale);
if (!(rounds >= 1) || !(scale > 0)) throw new Error('--rounds must be ≥ 1 and --scale > 0');
const only = values.only;
if (only !== undefined && only !== 'get' && only !== 'post') throw new Error('--only must be get or post');
const count = (n: number) => Math.max(1, Math.round(n * scale));

type Route = 'post' | 'get-tender' | 'list' | 'document';
interface Case {
  route: Route;
  label: string;
  connections: number;
  /** Requests per round. */
  requests: number;
}
const ALL_CASES: Case[] = [
  { route: 'post', label: 'POST /tenders', connections: 1, requests: count(12) },
  { route: 'post', label: 'POST /tenders', connections: 8, requests: count(48) },
  { route: 'post', label: 'POST /tenders', connections: 32, requests: count(128) },
  // The GETs at 8 and 32: the baseline's list re-checks a page of tenders per request (~0.5 s of CPU here),
  // so it gets fewer requests to keep the run within minutes.
  { route: 'get-tender', label: 'GET /tenders/{id}', connections: 8, requests: count(160) },
  { route: 'get-tender', label: 'GET /tenders/{id}', connections: 32, requests: count(320) },
  { route: 'list', label: 'GET /tenders', connections: 8, requests: count(16) },
  { route: 'list', label: 'GET /tenders', connections: 32, requests: count(32) },
  { route: 'document', label: 'GET /tenders/{id}/documents/{name}', connections: 8, requests: count(160) },
  { route: 'document', label: 'GET /tenders/{id}/documents/{name}', connections: 32, requests: count(320) },
];
const CASES = ALL_CASES.filter((c) => only === undefined || (only === 'post') === (c.route === 'post'));

interface Side {
  name: 'current' | 'baseline';
  commit: string;
  root: string;
  child: ChildProcess;
  url: string;
  token: string;
  /** Requests this side has generated so far (the made-up names follow it). */
  posted: number;
  /** Threads laying out its PDFs beside the API's (0: in the API's thread). */
  pdfWorkers: number;
  /** Whether dynalite and s3rver run in a child process of the stack's (EMBEDDED_SERVERS=process). */
  serversApart: boolean;
  /** Requests other than GET its API works on at once (CONCURRENT_REQUESTS); undefined: no limit. */
  concurrentRequests: number | undefined;
  /** The request it posts, rewritten per request: the example of its own checkout. */
  example: Example;
  ids: string[];
  document: string;
}

interface Sample {
  latencies: number[];
  non2xx: number;
  errors: number;
  requests: number;
  wallMs: number;
  cpuMs: number;
  roundRates: number[];
  /** Each round's own p99: how much the pooled p99 depends on one round. */
  roundP99s: number[];
}

// ---------------------------------------------------------------------------------------------
// Unseen content: a pronounceable made-up place name per request number, the same on both sides.

type Example = Record<string, unknown> & { buyer: { name: string }; title: string; context: string };
/**
 * Each side sends its own checkout's example: a baseline from before a request-schema change
 * would reject today's file (a framework version it does not publish, fields its schema does not
 * know). Where the two files differ, the current side's is the larger tender.
 */
const exampleOf = (root: string): Example => JSON.parse(readFileSync(path.join(root, EXAMPLE), 'utf8')) as Example;
const ONSETS = ['b', 'c', 'd', 'f', 'g', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'ch', 'br', 'tr'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ou', 'é', 'ai'];

function placeName(n: number): string {
  let word = '';
  let rest = n + 4096; // at least four syllables
  while (rest > 0) {
    word += ONSETS[rest % ONSETS.length]! + VOWELS[Math.floor(rest / ONSETS.length) % VOWELS.length]!;
    rest = Math.floor(rest / (ONSETS.length * VOWELS.length));
  }
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function tenderBody(base: Example, n: number): string {
  const place = placeName(n);
  return JSON.stringify({
    ...base,
    buyer: { ...base.buyer, name: `Commune de ${place}` },
    title: `Acquisition d'une classe mobile de tablettes pour l'école élémentaire de ${place}`,
    context: `${base.context} Le hameau de ${place}, rattaché à l'école depuis la rentrée ${2020 + (n % 6)}, y envoie ${12 + (n % 17)} élèves.`,
  });
}

// ---------------------------------------------------------------------------------------------
// Stacks

function startSide(name: Side['name'], root: string, commit: string): Promise<Side> {
  const child = spawn(process.execPath, ['--import', 'tsx', STACK_SCRIPT, '--root', root], {
    cwd: root,
    // The handlers' request logs (one JSON line each) go nowhere; errors still show.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the ${name} stack exited with ${code} before it was ready`)));
    child.once('message', (message: StackMessage) => {
      if (message.type === 'ready') resolve({ name, commit, root, child, url: message.url, token: message.token, pdfWorkers: message.pdfWorkers, serversApart: message.serversApart ?? false, concurrentRequests: message.concurrentRequests, posted: 0, example: exampleOf(root), ids: [], document: '' });
      else reject(new Error(`the ${name} stack failed: ${message.type === 'failed' ? message.error : message.type}`));
    });
  });
}

function cpuMs(side: Side): Promise<number> {
  return new Promise((resolve) => {
    side.child.once('message', (message: StackMessage) => {
      if (message.type === 'cpu') resolve((message.user + message.system) / 1000);
    });
    side.child.send({ type: 'cpu' } satisfies ParentMessage);
  });
}

function stopSide(side: Side): Promise<void> {
  return new Promise((resolve) => {
    if (side.child.exitCode !== null) return resolve();
    side.child.once('exit', () => resolve());
    side.child.send({ type: 'stop' } satisfies ParentMessage);
  });
}

function addBaselineWorktree(commit: string): { root: string; commit: string; remove(): void } {
  const full = execFileSync('git', ['rev-parse', '--verify', `${commit}^{commit}`], { cwd: ROOT, encoding: 'utf8' }).trim();
  const dir = mkdtempSync(path.join(tmpdir(), 'cahier-bench-baseline-'));
  const root = path.join(dir, 'tree');
  execFileSync('git', ['worktree', 'add', '--detach', root, full], { cwd: ROOT, stdio: 'ignore' });
  const lock = (dir: string) => readFileSync(path.join(dir, 'package-lock.json'), 'utf8');
  if (lock(root) === lock(ROOT)) {
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'));
  } else {
    // Another lockfile (a baseline from before a dependency change): its own packages, as its
    // commit had them, so that the stack under measurement is the one that commit shipped.
    process.stdout.write(`baseline ${full.slice(0, 7)}: its own package-lock.json, npm ci in the worktree…\n`);
    execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return {
    root,
    commit: full.slice(0, 12),
    remove() {
      execFileSync('git', ['worktree', 'remove', '--force', root], { cwd: ROOT, stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Load

const authorization = (side: Side) => `Bearer ${side.token}`;

function requestFor(side: Side, route: Route): autocannon.Request {
  let turn = 0;
  const nextId = () => side.ids[turn++ % side.ids.length]!;
  switch (route) {
    case 'post':
      return { method: 'POST', path: '/tenders', setupRequest: (request) => ({ ...request, body: tenderBody(side.example, side.posted++) }) };
    case 'get-tender':
      return { method: 'GET', setupRequest: (request) => ({ ...request, path: `/tenders/${encodeURIComponent(nextId())}` }) };
    case 'list':
      return { method: 'GET', path: '/tenders' };
    case 'document':
      return {
        method: 'GET',
        setupRequest: (request) => ({ ...request, path: `/tenders/${encodeURIComponent(nextId())}/documents/${encodeURIComponent(side.document)}` }),
      };
  }
}

async function round(side: Side, c: Case, requests: number, into?: Sample): Promise<void> {
  const cpuBefore = await cpuMs(side);
  const started = performance.now();
  const latencies: number[] = [];
  let non2xx = 0;
  let lastResponse = started;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: side.url,
        headers: { authorization: authorization(side), 'content-type': 'application/json', accept: 'application/json' },
        requests: [requestFor(side, c.route)],
        connections: c.connections,
        amount: Math.max(requests, c.connections),
        timeout: 120,
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, status, _bytes, time) => {
      lastResponse = performance.now();
      if (status >= 200 && status < 300) latencies.push(time);
      else non2xx++;
    });
  });
  // autocannon ends a run on its once-a-second tick: its duration (and the time until it
  // resolves) is rounded up to whole seconds, so the round lasts until its last response.
  const wallMs = lastResponse - started;
  const cpu = (await cpuMs(side)) - cpuBefore;
  if (!into) return;
  into.latencies.push(...latencies);
  into.non2xx += non2xx;
  into.errors += result.errors + result.timeouts;
  into.requests += latencies.length + non2xx;
  into.wallMs += wallMs;
  into.cpuMs += cpu;
  into.roundRates.push(((latencies.length + non2xx) / wallMs) * 1000);
  into.roundP99s.push(quantile([...latencies].sort((a, b) => a - b), 0.99));
}

async function warmUp(side: Side): Promise<void> {
  for (let i = 0; i < 4; i++) {
    const response = await fetch(`${side.url}/tenders`, {
      method: 'POST',
      headers: { authorization: authorization(side), 'content-type': 'application/json' },
      body: tenderBody(side.example, side.posted++),
    });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`${side.name}: warm-up POST /tenders answered ${response.status}: ${text}`);
    const created = JSON.parse(text) as { id: string; documents: Array<{ name: string }> };
    side.ids.push(created.id);
    side.document ||= created.documents.find((d) => d.name.endsWith('.pdf'))?.name ?? created.documents[0]!.name;
  }
  await round(side, { route: 'post', label: 'warm-up', connections: 8, requests: 16 }, 16);
  for (const [route, requests] of [['get-tender', 40], ['list', 8], ['document', 40]] as const) await round(side, { route, label: 'warm-up', connections: 8, requests }, requests);
}

/** The tenders the POSTs stored (the first page of the list, newest first), for the GET cases. */
async function collectIds(side: Side): Promise<void> {
  const response = await fetch(`${side.url}/tenders`, { headers: { authorization: authorization(side) } });
  if (response.status !== 200) throw new Error(`${side.name}: GET /tenders answered ${response.status}`);
  const list = (await response.json()) as { items: Array<{ id: string }> };
  side.ids = list.items.map((item) => item.id);
  if (side.ids.length === 0) throw new Error(`${side.name}: no tender listed`);
}

// ---------------------------------------------------------------------------------------------
// Figures

function quantile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length))) - 1]!;
}

interface Figures {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  rate: number;
  rateMin: number;
  rateMax: number;
  p99Min: number;
  p99Max: number;
  cpuPerRequest: number;
  cpuShare: number;
}

function figures(s: Sample): Figures {
  const sorted = [...s.latencies].sort((a, b) => a - b);
  return {
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    rate: (s.requests / s.wallMs) * 1000,
    rateMin: Math.min(...s.roundRates),
    rateMax: Math.max(...s.roundRates),
    p99Min: Math.min(...s.roundP99s),
    p99Max: Math.max(...s.roundP99s),
    cpuPerRequest: s.cpuMs / s.requests,
    cpuShare: s.cpuMs / s.wallMs,
  };
}

const n1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const n0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '–');
const ratio = (x: number) => `${x.toFixed(2)}×`;

interface Run {
  started: Date;
  wholeS: number;
  load: { start: number[]; end: number[] };
  current: string;
  baseline: string;
  generatorCpuS: number;
  /** Tenders on the list's first page (each re-checked by GET /tenders, or served from the re-check memo). */
  pageSize: number;
  /** Each side's PDF worker threads (src/adapters/render/pdf-worker-pool.ts). */
  pdfWorkers: { current: number; baseline: number };
  /** Whether each side runs dynalite and s3rver in a process of their own. */
  serversApart: { current: boolean; baseline: boolean };
  /** Each side's request gate (src/adapters/local/request-gate.ts). */
  concurrentRequests: { current: number | undefined; baseline: number | undefined };
  /** Whether the baseline's checkout has another copy of the example (see `exampleOf`). */
  examplesDiffer: boolean;
  results: Array<{ c: Case; current: Figures; baseline: Figures; samples: { current: Sample; baseline: Sample } }>;
}

const serversWhere = (apart: boolean) => (apart ? 'in a child process of their own' : 'in the API’s thread');
const gateOf = (n: number | undefined) => (n === undefined ? 'every request as it comes' : `at most ${n} requests other than GET at once, the others waiting their turn`);
const workersOf = (n: number) => (n === 0 ? 'in the API’s thread' : `on ${n} worker thread${n === 1 ? '' : 's'}`);

function report(run: Run): string {
  const post32 = run.results.find((r) => r.c.route === 'post' && r.c.connections === 32);
  const gets = run.results.filter((r) => r.c.route !== 'post');
  const mark = (ok: boolean) => (ok ? '✓' : '✗');
  const lines = [
    SECTION,
    '',
    `Generated by \`npm run bench:api\` (bench/api.ts), which rewrites this section only. ${run.started.toISOString().slice(0, 16).replace('T', ' ')} UTC; current = commit ${run.current}, baseline = commit ${run.baseline}${values.baseline === DEFAULT_BASELINE ? ' (the last main before issue #19’s first commit: the issue’s own figures name no commit)' : ''}; ${machine()}; Node ${process.version}; 1-, 5- and 15-minute load average ${loadAverages(run.load.start)} at the start, ${loadAverages(run.load.end)} at the end; whole run ${run.wholeS.toFixed(0)} s. Command: \`npm run bench:api -- --baseline ${run.baseline.slice(0, 7)} --rounds ${rounds}${scale !== 1 ? ` --scale ${scale}` : ''}${only ? ` --only ${only}` : ''}\`.`,
    '',
    `Each checkout’s local stack (dynalite, s3rver and the real handlers over HTTP, a buyer token) runs in a child process of its own, its PDFs laid out ${workersOf(run.pdfWorkers.current)} on the current side and ${workersOf(run.pdfWorkers.baseline)} on the baseline’s (\`PDF_WORKERS\` at its default, as \`npm start\` runs), dynalite and s3rver ${serversWhere(run.serversApart.current)} on the current side and ${serversWhere(run.serversApart.baseline)} on the baseline’s (\`EMBEDDED_SERVERS\` at its default), its API serving ${gateOf(run.concurrentRequests.current)} on the current side and ${gateOf(run.concurrentRequests.baseline)} on the baseline’s (\`CONCURRENT_REQUESTS\` at its default); autocannon runs in the parent (${run.generatorCpuS.toFixed(0)} s of CPU over the run). The baseline is a temporary \`git worktree\` of its commit. After a warm-up of both (4 single POSTs, 16 POSTs at concurrency 8, 40 of each GET by id, 8 of the list), each case runs ${rounds} round${rounds === 1 ? '' : 's'} per side alternated current, baseline, current, baseline…; latencies (2xx only) are pooled over a side’s rounds (each round’s own p99, min–max, in brackets after the pooled one), tenders/s is requests over the rounds’ wall time (min–max of the rounds in brackets), CPU is the stack’s \`process.cpuUsage()\` over its rounds (API, dynalite and s3rver together: the stack process’s, plus their child process’s where they run apart) per request. Every POST sends its checkout’s own \`${EXAMPLE}\` (the medium tender, PDF only${run.examplesDiffer ? '; the baseline’s copy predates request fields the current one carries, so the current side generates the fuller tender' : ', the same file on both sides'}) with the buyer, title and context rewritten around a made-up place name never sent before, the same sequence on both sides. The GETs read the tenders those POSTs stored (the list’s first page, ${run.pageSize} tenders, each re-checked under today’s rules, on the current side once per process and then served from the re-check memo while its key holds), \`GET /tenders/{id}/documents/{name}\` asks for the PDF’s link with \`Accept: application/json\`. Two cores for the stack under test and the load generator together: read the ratios, not the absolute figures, as a capacity.`,
    '',
    '| route | concurrency | side | requests | p50 ms | p90 ms | p99 ms (rounds) | max ms | req/s (rounds) | non-2xx | errors | CPU ms/request | CPU cores |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of run.results) {
    for (const side of ['current', 'baseline'] as const) {
      const f = r[side];
      const s = r.samples[side];
      lines.push(
        `| ${side === 'current' ? `\`${r.c.label}\`` : ''} | ${side === 'current' ? r.c.connections : ''} | ${side} | ${s.requests} | ${n0(f.p50)} | ${n0(f.p90)} | ${n0(f.p99)} (${n0(f.p99Min)}–${n0(f.p99Max)}) | ${n0(f.max)} | ${n1(f.rate)} (${n1(f.rateMin)}–${n1(f.rateMax)}) | ${s.non2xx} | ${s.errors} | ${n1(f.cpuPerRequest)} | ${f.cpuShare.toFixed(2)} |`,
      );
    }
    lines.push(
      `| | | current ÷ baseline | | ${ratio(r.current.p50 / r.baseline.p50)} | ${ratio(r.current.p90 / r.baseline.p90)} | ${ratio(r.current.p99 / r.baseline.p99)} | ${ratio(r.current.max / r.baseline.max)} | ${ratio(r.current.rate / r.baseline.rate)} | | | ${ratio(r.current.cpuPerRequest / r.baseline.cpuPerRequest)} | |`,
    );
  }
  lines.push('', '### Targets (issue #19, API)', '', '| target | measured | |', '| --- | --- | :---: |');
  if (post32) {
    const throughputRatio = post32.current.rate / post32.baseline.rate;
    lines.push(
      `| \`POST /tenders\` at concurrency 32 ≥ 1.5× the baseline’s throughput, same run | ${n1(post32.current.rate)} against ${n1(post32.baseline.rate)} tenders/s: ${ratio(throughputRatio)} (CPU per tender ${ratio(post32.current.cpuPerRequest / post32.baseline.cpuPerRequest)}) | ${mark(throughputRatio >= 1.5)} |`,
      `| \`POST /tenders\` at concurrency 32, p99 ≤ 1.5 s | ${n0(post32.current.p99)} ms (baseline ${n0(post32.baseline.p99)} ms) | ${mark(post32.current.p99 <= 1500)} |`,
    );
  }
  for (const r of gets) {
    lines.push(`| \`${r.c.label}\` at concurrency ${r.c.connections}, p99 < 250 ms | ${n0(r.current.p99)} ms (baseline ${n0(r.baseline.p99)} ms) | ${mark(r.current.p99 < 250 && r.samples.current.non2xx === 0)} |`);
  }
  lines.push('');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = new Date();
  const t0 = performance.now();
  const generatorCpu = process.cpuUsage();
  const loadStart = loadavg();
  const worktree = addBaselineWorktree(values.baseline);
  const sides: Side[] = [];
  try {
    sides.push(await startSide('current', ROOT, revision(ROOT)));
    sides.push(await startSide('baseline', worktree.root, worktree.commit));
    for (const side of sides) await warmUp(side);
    // Without the POST cases, enough tenders for a full first page of the list (25) and more.
    if (only === 'get') for (const side of sides) await round(side, { route: 'post', label: 'setup', connections: 8, requests: 32 }, 32);
    const results: Run['results'] = [];
    for (const c of CASES) {
      if (c.route !== 'post' && sides.some((side) => side.ids.length < 40)) for (const side of sides) await collectIds(side);
      const samples = {
        current: { latencies: [], non2xx: 0, errors: 0, requests: 0, wallMs: 0, cpuMs: 0, roundRates: [], roundP99s: [] } as Sample,
        baseline: { latencies: [], non2xx: 0, errors: 0, requests: 0, wallMs: 0, cpuMs: 0, roundRates: [], roundP99s: [] } as Sample,
      };
      for (let i = 0; i < rounds; i++) for (const side of sides) await round(side, c, c.requests, samples[side.name]);
      const current = figures(samples.current);
      const baseline = figures(samples.baseline);
      results.push({ c, current, baseline, samples });
      console.log(
        `${c.label} c${c.connections}: current p50 ${n0(current.p50)} p99 ${n0(current.p99)} (rounds ${n0(current.p99Min)}–${n0(current.p99Max)}) ms, ${n1(current.rate)} req/s, ${n1(current.cpuPerRequest)} CPU ms/req` +
          ` | baseline p50 ${n0(baseline.p50)} p99 ${n0(baseline.p99)} (rounds ${n0(baseline.p99Min)}–${n0(baseline.p99Max)}) ms, ${n1(baseline.rate)} req/s, ${n1(baseline.cpuPerRequest)} CPU ms/req` +
          ` | non-2xx ${samples.current.non2xx}/${samples.baseline.non2xx}; load ${loadavg()[0]!.toFixed(1)}`,
      );
    }
    const cpu = process.cpuUsage(generatorCpu);
    const text = report({
      started,
      wholeS: (performance.now() - t0) / 1000,
      load: { start: loadStart, end: loadavg() },
      current: sides[0]!.commit,
      baseline: worktree.commit,
      generatorCpuS: (cpu.user + cpu.system) / 1e6,
      pageSize: sides[0]!.ids.length,
      pdfWorkers: { current: sides[0]!.pdfWorkers, baseline: sides[1]!.pdfWorkers },
      serversApart: { current: sides[0]!.serversApart, baseline: sides[1]!.serversApart },
      concurrentRequests: { current: sides[0]!.concurrentRequests, baseline: sides[1]!.concurrentRequests },
      examplesDiffer: JSON.stringify(sides[0]!.example) !== JSON.stringify(sides[1]!.example),
      results,
    });
    if (values['dry-run']) console.log(text);
    else writeFileSync(OUTPUT, replaceSection(readFileSync(OUTPUT, 'utf8'), SECTION, text));
  } finally {
    for (const side of sides) await stopSide(side);
    worktree.remove();
  }
}

await main();
