/**
 * `npm run bench:cli`: the command line as a user meets it, whole process from start to exit,
 * against Chromium's own command line printing the same document.
 *
 * - Cahier: `node bin/cahier.js generate <medium example> --format pdf` (the CCTP alone, the
 *   document Chromium prints), a fresh process each run: start-up, module loading, catalogue,
 *   rules, templates, fonts, layout, writing the file. Also with the default formats (CCTP and
 *   note interne), and through `npx cahier`, for the record.
 * - Chromium: `chromium --headless --print-to-pdf` of the same CCTP as HTML (bench/render-html.ts,
 *   one footer, the DejaVu faces pinned by fontconfig as in `npm run bench`), a fresh process each
 *   run with a profile directory made once (its best case: no first-run set-up).
 * - Interleaved run by run (A B, B A, …) after a warm-up of each (the OS file cache is warm for
 *   both), so load that comes and goes hits both; min / median / max of wall and CPU time, the
 *   ratio of the medians, and the median of the run-by-run ratios. CPU is user + system of the
 *   process and every descendant it waited for (/proc/self/stat cutime + cstime around each run),
 *   so Chromium's renderer and GPU processes count.
 * - A folder: 20 copies of the medium request in one `cahier generate` (one process), documents
 *   per second.
 * - `-- --node <path to another node>` (repeatable): the PDF command again with that Node, with
 *   its compile cache (Node 22.1 and later: bin/cahier.js turns it on; here in a directory of the
 *   run's own, filled by the warm-up) and without it (NODE_DISABLE_COMPILE_CACHE=1).
 *
 * Writes the section "## CLI, whole process" of BENCHMARKS.md (the rest of the file is kept).
 * A benchmark, not a test: never part of npm test.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cctpModel, EXAMPLES, realDeps } from '../test/support/pipeline.ts';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE, pinnedFontEnvironment } from './chromium.ts';
import { renderHtml } from './render-html.ts';
import { ms, summarise, type Summary } from './stats.ts';
import { revision } from './revision.ts';
import { replaceSection } from './sections.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORK = path.join(ROOT, 'bench', '.tmp', 'cli');
const OUTPUT = path.join(ROOT, 'BENCHMARKS.md');
const SECTION = '## CLI, whole process';
const TARGETS = { coldMs: 600, ratio: 4 } as const;

const { values: options } = parseArgs({
  options: { runs: { type: 'string', default: '15' }, folder: { type: 'string', default: '20' }, node: { type: 'string', multiple: true, default: [] } },
});
const RUNS = Number(options.runs);
const WARMUP = 2;
const FOLDER_COPIES = Number(options.folder);

interface Command {
  name: string;
  what: string;
  argv: string[];
  env?: Record<string, string>;
  /** Checks a run's output; throws if the command did not do its job. */
  check: () => void;
}

interface Sample {
  wall: number;
  cpu: number;
}

/** CPU (ms) of this process's waited-for children so far: cutime + cstime of /proc/self/stat. */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
}

function run(command: Command): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const cpu0 = childrenCpuMs();
    const start = performance.now();
    const child = spawn(command.argv[0]!, command.argv.slice(1), { cwd: ROOT, env: command.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const wall = performance.now() - start;
      const cpu = childrenCpuMs() - cpu0;
      if (code !== 0) return reject(new Error(`${command.name} exited ${code}: ${stderr.slice(0, 2000)}`));
      try {
        command.check();
      } catch (error) {
        return reject(error as Error);
      }
      resolve({ wall, cpu });
    });
  });
}

function pdfPages(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? NaN);
}

function loadAverage(): number {
  return os.loadavg()[0]!;
}

async function main(): Promise<void> {
  const started = performance.now();
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  // Built every time (≈ 1.5 s): a dist/ left from an earlier checkout would measure that checkout's code under this commit's name.
  execFileSync('npm', ['run', '-s', 'build:cli'], { cwd: ROOT, stdio: 'inherit' });
  const commit = revision(ROOT);
  const chromiumVersion = execFileSync(CHROMIUM_EXECUTABLE, ['--version'], { encoding: 'utf8' }).trim();

  // The same CCTP on both sides: the medium example, and its model as HTML for Chromium.
  const request = path.join(ROOT, EXAMPLES.commune);
  const html = path.join(WORK, 'medium.html');
  writeFileSync(html, renderHtml(await cctpModel(JSON.parse(readFileSync(request, 'utf8')), await realDeps())));
  const cahierOut = path.join(WORK, 'cahier');
  const chromiumPdf = path.join(WORK, 'chromium.pdf');
  const profile = path.join(WORK, 'chromium-profile');
  const fontEnv = pinnedFontEnvironment();
  const node = process.execPath;
  const bin = path.join(ROOT, 'bin', 'cahier.js');
  const fresh = (file: string) => () => {
    if (!existsSync(file) || statSync(file).size < 1000) throw new Error(`${file} missing or empty`);
  };
  const removeFirst = <T extends Command>(c: T): T => ({ ...c, check: () => (c.check(), rmSync(cahierOut, { recursive: true, force: true })) });
  const cahierPdf = removeFirst({
    name: 'cahier generate --format pdf',
    what: `\`node bin/cahier.js generate ${EXAMPLES.commune} --format pdf\``,
    argv: [node, bin, 'generate', request, '--out', cahierOut, '--format', 'pdf'],
    check: fresh(path.join(cahierOut, 'cctp.pdf')),
  });
  const chromium: Command = {
    name: 'chromium --print-to-pdf',
    what: '`chromium --headless --print-to-pdf=… --no-pdf-header-footer file://…/medium.html` (DejaVu pinned)',
    argv: [CHROMIUM_EXECUTABLE, ...CHROMIUM_ARGS, `--user-data-dir=${profile}`, '--no-pdf-header-footer', `--print-to-pdf=${chromiumPdf}`, `file://${html}`],
    env: fontEnv,
    check: fresh(chromiumPdf),
  };
  const cahierDefault = removeFirst({
    name: 'cahier generate (CCTP + note interne)',
    what: `\`node bin/cahier.js generate ${EXAMPLES.commune}\` (default formats: CCTP and note interne)`,
    argv: [node, bin, 'generate', request, '--out', cahierOut],
    check: fresh(path.join(cahierOut, 'note-interne.pdf')),
  });
  const cahierNpx = removeFirst({
    name: 'npx cahier generate --format pdf',
    what: `\`npx cahier generate ${EXAMPLES.commune} --format pdf\``,
    argv: ['npx', '--no-install', 'cahier', 'generate', request, '--out', cahierOut, '--format', 'pdf'],
    check: fresh(path.join(cahierOut, 'cctp.pdf')),
  });
  const otherNodes = (options.node ?? []).map((binary) => {
    const version = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
    const command = (cache: boolean): Command =>
      removeFirst({
        name: `cahier generate --format pdf, Node ${version}${cache ? '' : ' without compile cache'}`,
        what: `the same with Node ${version}, ${cache ? 'its compile cache on (as bin/cahier.js sets it)' : 'its compile cache off (`NODE_DISABLE_COMPILE_CACHE=1`)'}`,
        argv: [binary, bin, 'generate', request, '--out', cahierOut, '--format', 'pdf'],
        env: cache ? { ...process.env, NODE_COMPILE_CACHE: path.join(WORK, `compile-cache-${version}`) } : { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' },
        check: fresh(path.join(cahierOut, 'cctp.pdf')),
      });
    return { version, cached: command(true), plain: command(false) };
  });
  const commands = [cahierPdf, chromium, cahierDefault, cahierNpx, ...otherNodes.flatMap((n) => [n.cached, n.plain])];

  const loadStart = loadAverage();
  const samples = new Map<Command, Sample[]>(commands.map((c) => [c, []]));
  for (let i = -WARMUP; i < RUNS; i++) {
    // Rotate the order every iteration, so each command follows each other one as often.
    const shift = ((i % commands.length) + commands.length) % commands.length;
    const order = [...commands.slice(shift), ...commands.slice(0, shift)];
    for (const command of order) {
      const sample = await run(command);
      if (i >= 0) samples.get(command)!.push(sample);
    }
    process.stderr.write(`\r${i + 1 + WARMUP}/${RUNS + WARMUP}`);
  }
  process.stderr.write('\n');
  const loadEnd = loadAverage();
  // Pages of each side's PDF, from the last run.
  await run({ ...cahierPdf, check: () => undefined });
  const pages = { cahier: pdfPages(path.join(cahierOut, 'cctp.pdf')), chromium: pdfPages(chromiumPdf) };

  // A folder of requests in one process.
  const folder = path.join(WORK, 'folder');
  mkdirSync(folder);
  for (let i = 0; i < FOLDER_COPIES; i++) copyFileSync(request, path.join(folder, `demande-${String(i).padStart(3, '0')}.json`));
  const folderOut = path.join(WORK, 'folder-out');
  const folderRuns: Array<{ wall: number; line: string }> = [];
  for (let i = 0; i < 3; i++) {
    rmSync(folderOut, { recursive: true, force: true });
    const start = performance.now();
    const stdout = execFileSync(node, [bin, 'generate', folder, '--out', folderOut, '--format', 'pdf'], { cwd: ROOT, encoding: 'utf8' });
    folderRuns.push({ wall: performance.now() - start, line: stdout.trim().split('\n').pop() ?? '' });
  }

  const report = section({
    samples,
    commands,
    pages,
    commit,
    chromiumVersion,
    loadStart,
    loadEnd,
    folderRuns,
    otherNodes,
    seconds: (performance.now() - started) / 1000,
  });
  console.log(report);
  writeFileSync(OUTPUT, replaceSection(readFileSync(OUTPUT, 'utf8'), SECTION, report, '## Bundle budget'));
  rmSync(WORK, { recursive: true, force: true });
}

interface Results {
  samples: Map<Command, Sample[]>;
  commands: Command[];
  pages: { cahier: number; chromium: number };
  commit: string;
  chromiumVersion: string;
  loadStart: number;
  loadEnd: number;
  folderRuns: Array<{ wall: number; line: string }>;
  otherNodes: Array<{ version: string; cached: Command; plain: Command }>;
  seconds: number;
}

const range = (s: Summary) => `${ms(s.median)} (${ms(s.min)}–${ms(s.max)})`;
const ratio = (n: number) => `${n.toFixed(2)}×`;

function section(r: Results): string {
  const [cahier, chromium] = r.commands as [Command, Command];
  const of = (c: Command) => r.samples.get(c)!;
  const wall = (c: Command) => summarise(of(c).map((s) => s.wall));
  const cpu = (c: Command) => summarise(of(c).map((s) => s.cpu));
  /** Median of the run-by-run ratios Chromium ÷ command (same iteration). */
  const pairRatio = (c: Command, key: keyof Sample) => summarise(of(c).map((s, i) => of(chromium)[i]![key] / s[key])).median;
  const cahierWall = wall(cahier);
  const wallRatio = wall(chromium).median / cahierWall.median;
  const cpuRatio = cpu(chromium).median / cpu(cahier).median;
  const cpuModel = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const lines = [
    SECTION,
    '',
    `Generated by \`npm run bench:cli\` (bench/cli.ts), which rewrites this section only. ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; commit ${r.commit}; ${cpuModel}, ${os.cpus().length} cores, Linux ${os.release()}; Node ${process.version}; ${r.chromiumVersion}. 1-minute load average ${r.loadStart.toFixed(1)} at the start, ${r.loadEnd.toFixed(1)} at the end (a shared machine: read the ratios). Whole run ${r.seconds.toFixed(0)} s.`,
    '',
    `Each command runs as a fresh process, ${WARMUP} warm-up rounds then ${of(cahier).length} counted rounds, interleaved: every round runs each command once, the order rotating from round to round. Milliseconds: median (min–max). Ratio = Chromium ÷ the command: of the medians, and in brackets the median of the round-by-round ratios. CPU is user + system time of the process and all its descendants. Pages: Cahier ${r.pages.cahier}, Chromium ${r.pages.chromium}.`,
    '',
    '| command | wall ms | CPU ms | wall ratio | CPU ratio |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...r.commands.map((c) =>
      c === chromium
        ? `| ${c.what} | ${range(wall(c))} | ${range(cpu(c))} | — | — |`
        : `| ${c.what} | ${range(wall(c))} | ${range(cpu(c))} | **${ratio(wall(chromium).median / wall(c).median)}** (${ratio(pairRatio(c, 'wall'))}) | ${ratio(cpu(chromium).median / cpu(c).median)} (${ratio(pairRatio(c, 'cpu'))}) |`,
    ),
    '',
    '| target (issue #19) | measured | |',
    '| --- | --- | :---: |',
    `| cold whole-process \`cahier generate\` of the medium example ≤ ${TARGETS.coldMs} ms (median) | ${ms(cahierWall.median)} ms wall, ${ms(cpu(cahier).median)} ms CPU | ${cahierWall.median <= TARGETS.coldMs ? '✓' : '✗'} |`,
    `| ≥ ${TARGETS.ratio}× faster than Chromium's CLI, same run | ${ratio(wallRatio)} wall, ${ratio(cpuRatio)} CPU | ${wallRatio >= TARGETS.ratio ? '✓' : '✗'} |`,
    ...r.otherNodes.flatMap(({ version, cached }) => {
      const w = wall(cached);
      const against = wall(chromium).median / w.median;
      return [
        `| the same ≤ ${TARGETS.coldMs} ms, with Node ${version} and its compile cache | ${ms(w.median)} ms wall, ${ms(cpu(cached).median)} ms CPU | ${w.median <= TARGETS.coldMs ? '✓' : '✗'} |`,
        `| the same ≥ ${TARGETS.ratio}×, with Node ${version} and its compile cache | ${ratio(against)} wall, ${ratio(cpu(chromium).median / cpu(cached).median)} CPU | ${against >= TARGETS.ratio ? '✓' : '✗'} |`,
      ];
    }),
    '',
    `A folder of ${FOLDER_COPIES} copies of the medium request, \`node bin/cahier.js generate <folder> --format pdf\`, one process (3 runs): ${r.folderRuns.map((f) => `${ms(f.wall)} ms`).join(', ')}; the command's own last line: « ${r.folderRuns[r.folderRuns.length - 1]!.line} »`,
  ];
  return lines.join('\n');
}

await main();
