/**
 * `npx tsx bench/flame.ts <in.cpuprofile> <out.svg> [--title T] [--min-ms 0.2]`: a V8 CPU profile
 * (node --cpu-prof, or bench/profile.ts's bench/.tmp/*.cpuprofile) drawn as a self-contained
 * flame graph in SVG, readable in any browser without a viewer: one box per call path, as wide
 * as the time spent in it and its callees, callers below callees above, coloured by where the
 * code lives (the renderer, fontkit, pdfkit, other packages, Node, V8). Each box's tooltip gives
 * its function, file and line, inclusive and self time. Also prints the ten heaviest functions by
 * self time, and by package, so that a profile can be read in a terminal too.
 *
 * No dependency: the profile's node tree already is the call tree; sample times are summed per
 * node, and identical frames under one parent are merged (V8 splits a frame when it is
 * re-optimised).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

/** A merged call path: its frame, self time (µs) and callees. */
interface Frame {
  readonly frame: CallFrame;
  self: number;
  total: number;
  readonly children: Map<string, Frame>;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where the code of a frame lives: a package name, a file of the repository, or V8/Node. */
export function where(frame: CallFrame): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url)?.[1];
  if (pkg) return pkg;
  if (frame.url.startsWith('file://')) return path.relative(ROOT, fileURLToPath(frame.url));
  if (frame.url.startsWith('node:')) return frame.url;
  return frame.url || `(${frame.functionName || 'native'})`;
}

function frameKey(frame: CallFrame): string {
  return `${frame.functionName}\u0000${frame.url}\u0000${frame.lineNumber}`;
}

/** The profile as a merged call tree, times in µs. */
export function callTree(profile: CpuProfile): Frame {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, i) => self.set(id, (self.get(id) ?? 0) + Math.max(0, deltas[i] ?? 0)));
  const hasParent = new Set(profile.nodes.flatMap((n) => n.children ?? []));
  const rootNode = profile.nodes.find((n) => !hasParent.has(n.id))!;
  const root: Frame = { frame: rootNode.callFrame, self: 0, total: 0, children: new Map() };
  const stack: [ProfileNode, Frame][] = [[rootNode, root]];
  while (stack.length > 0) {
    const [node, into] = stack.pop()!;
    into.self += self.get(node.id) ?? 0;
    for (const childId of node.children ?? []) {
      const child = byId.get(childId)!;
      // The idle and program pseudo-frames are not work of the process.
      if (into === root && child.callFrame.functionName === '(idle)') continue;
      const key = frameKey(child.callFrame);
      let merged = into.children.get(key);
      if (!merged) {
        merged = { frame: child.callFrame, self: 0, total: 0, children: new Map() };
        into.children.set(key, merged);
      }
      stack.push([child, merged]);
    }
  }
  const sum = (f: Frame): number => (f.total = f.self + [...f.children.values()].reduce((t, c) => t + sum(c), 0));
  sum(root);
  return root;
}

const PALETTE: readonly [RegExp, string][] = [
  [/^src\/adapters\/render\//, '#e8743b'],
  [/^src\//, '#f2b134'],
  [/^fontkit$|^restructure$|^@swc|^unicode-|^dfa$|^tiny-inflate$|^brotli$/, '#4e9a06'],
  [/^pdfkit$|^crypto-js$|^png-js$|^jpeg-exif$|^linebreak$/, '#3465a4'],
  [/^\(garbage collector\)$/, '#a40000'],
  [/^node:/, '#888a85'],
  [/^\(/, '#babdb6'],
];

function colour(frame: CallFrame): string {
  const w = where(frame);
  for (const [re, c] of PALETTE) if (re.test(w)) return c;
  return '#75507b';
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The flame graph of `root` as an SVG document. Boxes narrower than `minUs` are left out. */
export function flameSvg(root: Frame, title: string, minUs: number): string {
  const width = 1600;
  const row = 17;
  const total = root.total || 1;
  const scale = (width - 20) / total;
  const placed: { f: Frame; x: number; depth: number }[] = [];
  const walk = (f: Frame, x: number, depth: number): void => {
    if (f.total < minUs) return;
    placed.push({ f, x, depth });
    let cx = x;
    for (const c of [...f.children.values()].sort((a, b) => b.total - a.total)) {
      walk(c, cx, depth + 1);
      cx += c.total * scale;
    }
  };
  walk(root, 10, 0);
  const depthMax = Math.max(...placed.map((p) => p.depth));
  const top = 50;
  // Callers at the bottom, callees above, as in a flame graph.
  const boxes = placed.map(({ f, x, depth }) => {
    const y = top + (depthMax - depth) * row;
    const w = f.total * scale;
    const name = f === root ? 'all' : f.frame.functionName || '(anonymous)';
    const place = f === root ? '' : `${where(f.frame)}${f.frame.url ? `:${f.frame.lineNumber + 1}` : ''}`;
    const tip = `${name} ${place} — ${(f.total / 1000).toFixed(1)} ms (${((100 * f.total) / total).toFixed(1)} %), self ${(f.self / 1000).toFixed(1)} ms`;
    const label = w > 40 ? `<text x="${(x + 3).toFixed(1)}" y="${y + 12}">${escapeXml(fit(`${name} ${place}`, w))}</text>` : '';
    return `<g><title>${escapeXml(tip)}</title><rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${row - 1}" fill="${f === root ? '#d3d7cf' : colour(f.frame)}"/>${label}</g>`;
  });
  const legend = [
    ['renderer (src/adapters/render)', '#e8743b'],
    ['other src', '#f2b134'],
    ['fontkit and its packages', '#4e9a06'],
    ['pdfkit and its packages', '#3465a4'],
    ['other packages', '#75507b'],
    ['node: built-ins', '#888a85'],
    ['GC', '#a40000'],
    ['V8 (program, native)', '#babdb6'],
  ]
    .map(([l, c], i) => `<rect x="${10 + i * 195}" y="28" width="12" height="12" fill="${c}"/><text x="${26 + i * 195}" y="38">${escapeXml(l!)}</text>`)
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${top + (depthMax + 1) * row + 10}" font-family="DejaVu Sans, sans-serif" font-size="11">`,
    '<rect width="100%" height="100%" fill="#ffffff"/>',
    `<text x="10" y="18" font-size="14">${escapeXml(title)} — ${(total / 1000).toFixed(1)} ms sampled</text>`,
    legend,
    ...boxes,
    '</svg>',
  ].join('\n');
}

function fit(text: string, width: number): string {
  const chars = Math.floor((width - 6) / 6.2);
  return text.length <= chars ? text : `${text.slice(0, Math.max(0, chars - 1))}…`;
}

/**
 * Self time by function and by place, and inclusive time by function (a function counted once
 * per stack, however deep it recurses), the heaviest first.
 */
export function heaviest(root: Frame, count: number): { functions: [string, number][]; places: [string, number][]; inclusive: [string, number][] } {
  const functions = new Map<string, number>();
  const places = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const onStack = new Map<string, number>();
  const visit = (f: Frame): void => {
    const place = where(f.frame);
    const label = `${f.frame.functionName || '(anonymous)'} ${place}${f.frame.url ? `:${f.frame.lineNumber + 1}` : ''}`;
    if (f !== root && f.self > 0) {
      functions.set(label, (functions.get(label) ?? 0) + f.self);
      places.set(place, (places.get(place) ?? 0) + f.self);
    }
    const depth = onStack.get(label) ?? 0;
    if (f !== root && depth === 0) inclusive.set(label, (inclusive.get(label) ?? 0) + f.total);
    onStack.set(label, depth + 1);
    for (const c of f.children.values()) visit(c);
    onStack.set(label, depth);
  };
  visit(root);
  const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, count);
  return { functions: top(functions), places: top(places), inclusive: top(inclusive) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { title: { type: 'string' }, 'min-ms': { type: 'string', default: '0.1' }, top: { type: 'string', default: '25' } } });
  const [input, output] = positionals;
  if (!input || !output) {
    process.stderr.write('usage: tsx bench/flame.ts <in.cpuprofile> <out.svg> [--title T] [--min-ms 0.1] [--top 25]\n');
    process.exit(2);
  }
  const root = callTree(JSON.parse(readFileSync(input, 'utf8')) as CpuProfile);
  writeFileSync(output, flameSvg(root, values.title ?? path.basename(input), Number(values['min-ms']) * 1000));
  const { functions, places, inclusive } = heaviest(root, Number(values.top));
  const line = ([k, v]: [string, number]) => `${(v / 1000).toFixed(1).padStart(8)} ms ${((100 * v) / root.total).toFixed(1).padStart(5)} %  ${k}`;
  process.stdout.write(`${(root.total / 1000).toFixed(1)} ms sampled\n\nself time by place\n${places.map(line).join('\n')}\n\nself time by function\n${functions.map(line).join('\n')}\n\ninclusive time by function\n${inclusive.map(line).join('\n')}\n`);
}
