/**
 * `npm run bench:profile`: where the PDF renderer's time goes, for the medium tender warm and
 * with every printed word unseen (bench/unseen.ts). Samples `renderPdf(model)` with V8's
 * profiler (node:inspector), writes the .cpuprofile files to bench/.tmp/ (open them in Chrome
 * DevTools › Performance, or speedscope), their flame graphs as SVG to bench/flame/ (bench/flame.ts)
 * and a summary, self time by
 * package and by function and inclusive time of the renderer's own functions, to
 * bench/profile-medium.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { Session, type Profiler, type Runtime } from 'node:inspector/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { renderPdf } from '#src/adapters/render/pdf/render-pdf.ts';
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import { cctpModel, realDeps } from '../test/support/pipeline.ts';
import { REQUESTS } from './requests.ts';
import { unseenModel } from './unseen.ts';
import { callTree, flameSvg, where } from './flame.ts';

const TMP = fileURLToPath(new URL('./.tmp/', import.meta.url));
const OUTPUT = fileURLToPath(new URL('./profile-medium.md', import.meta.url));
const FLAMES = fileURLToPath(new URL('./flame/', import.meta.url));
const RENDERS = 40;

const deps = await realDeps();
const medium = await cctpModel(REQUESTS.medium(), deps);
for (let i = 0; i < 5; i++) await renderPdf(unseenModel(medium, 9000 + i));

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });

async function profile(name: string, model: (i: number) => DocumentModel): Promise<string> {
  const models = Array.from({ length: RENDERS }, (_, i) => model(i));
  await session.post('Profiler.start');
  const t0 = performance.now();
  for (const m of models) await renderPdf(m);
  const perRender = (performance.now() - t0) / RENDERS;
  const { profile } = await session.post('Profiler.stop');
  await mkdir(TMP, { recursive: true });
  await writeFile(`${TMP}${name}.cpuprofile`, JSON.stringify(profile));
  await mkdir(FLAMES, { recursive: true });
  const title = `renderPdf, ${name}, ${RENDERS} renders (npm run bench:profile, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, load ${os.loadavg()[0]!.toFixed(1)})`;
  await writeFile(`${FLAMES}${name}.svg`, flameSvg(callTree(profile), title, 1000));
  return summary(name, profile, perRender);
}

function summary(name: string, profile: Profiler.Profile, perRender: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0)));
  let total = 0;
  const byWhere = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const label = (f: Runtime.CallFrame) => `\`${f.functionName || '(anonymous)'}\` ${where(f)}${f.url ? `:${f.lineNumber + 1}` : ''}`;
  for (const [id, t] of self) {
    total += t;
    const frame = byId.get(id)!.callFrame;
    byWhere.set(where(frame), (byWhere.get(where(frame)) ?? 0) + t);
    byFunction.set(label(frame), (byFunction.get(label(frame)) ?? 0) + t);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (!f.url.includes('/src/adapters/render/')) continue;
      const key = label(f);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + t);
    }
  }
  const rows = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `| ${k} | ${(v / 1000 / RENDERS).toFixed(2)} | ${((100 * v) / total).toFixed(0)} % |`);
  return [
    `## ${name}: ${RENDERS} renders, ${perRender.toFixed(1)} ms a render under the profiler`,
    '',
    '| self time by package or file | ms a render | share |',
    '| --- | ---: | ---: |',
    ...rows(byWhere, 12),
    '',
    '| self time by function | ms a render | share |',
    '| --- | ---: | ---: |',
    ...rows(byFunction, 20),
    '',
    '| inclusive time, the renderer’s functions | ms a render | share |',
    '| --- | ---: | ---: |',
    ...rows(inclusive, 20),
    '',
  ].join('\n');
}

const seen = await profile('medium-seen', () => medium);
const unseen = await profile('medium-unseen-words', (i) => unseenModel(medium, 10_000 + i));
session.disconnect();
const load = os.loadavg()[0]!.toFixed(1);
await writeFile(
  OUTPUT,
  [
    '# Where the PDF renderer’s time goes (medium tender)',
    '',
    `Written by \`npm run bench:profile\` (bench/profile.ts) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ` +
      `${os.cpus()[0]?.model.trim()} × ${os.cpus().length}, 1-minute load average ${load}. V8 sampling profiler at 200 µs; the .cpuprofile files ` +
      '(flame graphs: Chrome DevTools › Performance › Load profile, or speedscope) are in bench/.tmp/. Times are per render and include the profiler’s overhead.',
    '',
    seen,
    unseen,
  ].join('\n'),
);
process.stderr.write(`wrote ${OUTPUT}\n`);
