/**
 * `npm run bench:bundle-inputs -- <function> [--top N] [--by package|file]`: where a Lambda
 * bundle's bytes go. Bundles the function with esbuild and the options of
 * infra/bundling/bundling.ts (stubs, ESM, minified, AWS SDK included), asks for the metafile and
 * prints the inputs by bytes they contribute to the minified output: grouped by npm package (the
 * application's own sources by folder), or file by file with `--by file`. The bundle file alone,
 * as the cap in OVER_CODE_CAPS_KIB counts it (the precompiled templates are not in it). Writes
 * nothing but a temporary directory.
 *
 * `--stub a,b` replaces more packages by the throwing stub (infra/bundling/unavailable.cjs), to see
 * what a function would weigh without them (e.g. `--stub pdfkit,fontkit,markdown-it`).
 * `--why text` prints, for the first input whose path contains `text`, the shortest chain of
 * imports from the entry point to it: how a package got into a function.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { bundlingOptions, entryOf, LAMBDA_NAMES, PROJECT_ROOT, type LambdaName } from '../infra/bundling/bundling.ts';
import { RUNTIME } from '../infra/constructs/api-function.ts';

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) as LambdaName | undefined;
const flag = (f: string) => {
  const i = args.indexOf(f);
  return i >= 0 ? args[i + 1] : undefined;
};
const top = Number(flag('--top') ?? 30);
const by = flag('--by') ?? 'package';
const extraStubs = (flag('--stub') ?? '').split(',').filter(Boolean);
const why = flag('--why');
if (!name || !LAMBDA_NAMES.includes(name)) {
  console.error(`usage: npm run bench:bundle-inputs -- <${LAMBDA_NAMES.join('|')}> [--top N] [--by package|file]`);
  process.exit(2);
}

/** The group of an input path: `pkg` or `@scope/pkg` under node_modules, else the source folder. */
export function groupOf(input: string): string {
  const nm = input.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = input.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const parts = input.split('/');
  return parts.slice(0, Math.min(parts.length - 1, 3)).join('/') || input;
}

const options = bundlingOptions(name);
const esbuildArgs = options.esbuildArgs as Record<string, string | string[]>;
const dir = mkdtempSync(path.join(os.tmpdir(), 'cahier-inputs-'));
try {
  const result = await esbuild.build({
    entryPoints: [entryOf(name)],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    target: RUNTIME.name.replace('nodejs', 'node').replace('.x', ''),
    format: 'esm',
    mainFields: options.mainFields!,
    minify: true,
    banner: { js: options.banner! },
    alias: {
      ...Object.fromEntries((esbuildArgs['--alias'] as string[]).map((a) => a.split('=') as [string, string])),
      ...Object.fromEntries(extraStubs.map((pkg) => [pkg, path.join(PROJECT_ROOT, 'infra', 'bundling', 'unavailable.cjs')])),
    },
    define: options.define,
    charset: 'utf8',
    legalComments: 'external',
    outfile: path.join(dir, 'index.mjs'),
    metafile: true,
    logLevel: 'error',
  });
  const [output] = Object.values(result.metafile.outputs).filter((o) => o.entryPoint);
  if (!output) throw new Error('no output in the metafile');
  if (why) {
    console.log(importChain(result.metafile, output.entryPoint!, why).join('\n  → '));
    process.exit(0);
  }
  const rows = new Map<string, { bytes: number; files: number }>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const key = by === 'file' ? input : groupOf(input);
    const row = rows.get(key) ?? { bytes: 0, files: 0 };
    row.bytes += bytesInOutput;
    row.files += 1;
    rows.set(key, row);
  }
  const total = output.bytes;
  const sorted = [...rows.entries()].sort((a, b) => b[1].bytes - a[1].bytes);
  const kib = (b: number) => (b / 1024).toFixed(1);
  console.log(`${name}: ${kib(total)} KiB minified (bundle file alone), ${Object.keys(output.inputs).length} inputs\n`);
  console.log(`| ${by === 'file' ? 'input' : 'package or source folder'} | files | KiB | share |`);
  console.log('| --- | ---: | ---: | ---: |');
  for (const [key, row] of sorted.slice(0, top)) console.log(`| ${key} | ${row.files} | ${kib(row.bytes)} | ${((100 * row.bytes) / total).toFixed(1)} % |`);
  const rest = sorted.slice(top).reduce((s, [, r]) => s + r.bytes, 0);
  if (rest) console.log(`| ${sorted.length - top} others | | ${kib(rest)} | ${((100 * rest) / total).toFixed(1)} % |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** The shortest chain of imports (breadth first) from `entry` to the first input matching `text`. */
function importChain(metafile: esbuild.Metafile, entry: string, text: string): string[] {
  const previous = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  while (queue.length) {
    const current = queue.shift()!;
    if (current.includes(text)) {
      const chain: string[] = [];
      for (let at: string | null | undefined = current; at; at = previous.get(at)) chain.unshift(at);
      return chain;
    }
    for (const { path: next } of metafile.inputs[current]?.imports ?? []) {
      if (!previous.has(next) && metafile.inputs[next]) {
        previous.set(next, current);
        queue.push(next);
      }
    }
  }
  return [`no input matches ${text}`];
}
