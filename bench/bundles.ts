import { CATALOGUE_DIR } from '#src/entry/paths.ts';
/**
 * `npm run bench:bundles`: the Lambda bundle budget. Bundles every function exactly as
 * `cdk synth` does (infra/bundling/build-assets.ts), then for each asset: code size (the bundle
 * plus the precompiled templates, minified, and gzipped as in the deployment zip), fonts and
 * licences counted apart, and the cold import
 * time of the bundle in fresh Node processes (infra/bundling/lambda-runner.mjs, as Lambda's
 * init phase loads it). For comparison, the same bundles with AWS SDK v3 left to the runtime
 * instead of bundled (the choice this measurement made). For `tenders`, also the first `GET`
 * and the first and warm `POST /tenders` against dynalite
 * and s3rver, the durations the README's cost model uses.
 *
 * Appends (or replaces, leaving the sections after it alone) the "Bundle budget" section of
 * BENCHMARKS.md; the rest of that file belongs to `npm run bench` and to the hand-written notes.
 */
import { revision } from './revision.ts';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { buildFunctionAssets, type FunctionAsset } from '../infra/bundling/build-assets.ts';
import { bundlePathOf, bundlingOptions, CODE_BUDGET_KIB, DOCUMENT_FUNCTIONS, FONTS_PACKAGE_DIR, LAMBDA_NAMES, type LambdaName } from '../infra/bundling/bundling.ts';
import { PRECOMPILED_FILE } from '#src/adapters/handlebars/template-engine.ts';
import { RUNTIME } from '../infra/constructs/api-function.ts';
import { DynamoDbCriteriaRepository } from '#src/adapters/dynamodb/dynamodb-criteria-repository.ts';
import { seedCatalogue } from '#src/app/seed-catalogue.ts';
import { loadCatalogue } from '#src/adapters/files/load-catalogue.ts';
import { apiEvent, localAwsLambdaEnv, startLambdaProcess, startPdfRendererStandIn } from '../test/infra/support/lambda-process.ts';
import { startLocalAws } from '../test/support/local-aws.ts';
import { example } from '../test/support/pipeline.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORK = path.join(ROOT, 'bench', '.tmp', 'bundles');
const OUTPUT = path.join(ROOT, 'BENCHMARKS.md');
const COLD_RUNS = Number(process.env.COLD_RUNS ?? 9);
const WARM_RUNS = 10;
const TARGETS = { codeKiB: CODE_BUDGET_KIB, coldImportMs: 150 } as const;
const SECTION = '## Bundle budget';

const NAMES = LAMBDA_NAMES;
/** Enough configuration for the handlers' cold-start validation; nothing is contacted at import. */
const IMPORT_ENV = { TABLE_NAME: 'cahier-bench', BUCKET_NAME: 'cahier-bench', AWS_REGION: 'eu-west-3', PDF_RENDERER_FUNCTION: 'cahier-bench-pdf-renderer', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
function p90(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length, Math.ceil(0.9 * s.length)) - 1]!;
}
const kib = (bytes: number) => (bytes / 1024).toFixed(1);
const msf = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

function dirBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .reduce((sum, e) => sum + statSync(path.join(e.parentPath, e.name)).size, 0);
}

/**
 * Cold import times of several bundles, interleaved: round i imports every bundle once, in an
 * order rotated by i, each in a fresh process, so that load coming and going on a shared machine
 * falls on every function alike instead of on whichever ran in a bad minute.
 */
async function coldImportsInterleaved(bundles: ReadonlyArray<{ bundle: string; dir: string }>): Promise<number[][]> {
  const samples: number[][] = bundles.map(() => []);
  for (let i = 0; i < COLD_RUNS; i++) {
    for (let j = 0; j < bundles.length; j++) {
      const k = (i + j) % bundles.length;
      const p = await startLambdaProcess(bundles[k]!.bundle, bundles[k]!.dir, IMPORT_ENV);
      samples[k]!.push(p.importMs);
      await p.stop();
    }
  }
  return samples;
}
const spread = (samples: number[]) => `${msf(median(samples))} (${msf(Math.min(...samples))}–${msf(Math.max(...samples))})`;

/**
 * The same bundle with AWS SDK v3 external (`externalModules: ['@aws-sdk/*']`, CDK's default). It
 * is written inside the project so that Node finds the SDK in the project's node_modules, as the
 * Lambda runtime finds its own copy.
 */
async function buildWithRuntimeSdk(asset: FunctionAsset): Promise<{ dir: string; bundle: string }> {
  const options = bundlingOptions(asset.name);
  const dir = path.join(WORK, 'runtime-sdk', asset.name);
  const bundle = path.join(dir, bundlePathOf(asset.name));
  rmSync(dir, { recursive: true, force: true });
  const args = options.esbuildArgs as Record<string, string | string[]>;
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'functions', asset.name, 'handler.ts')],
    bundle: true,
    platform: 'node',
    target: RUNTIME.name.replace('nodejs', 'node').replace('.x', ''),
    format: 'esm',
    mainFields: options.mainFields!,
    minify: true,
    banner: { js: options.banner! },
    // The runtime's SDK brings its own credential chain: no stand-in for it.
    alias: Object.fromEntries((args['--alias'] as string[]).map((a) => a.split('=') as [string, string]).filter(([pkg]) => !pkg.startsWith('@aws-sdk/'))),
    define: options.define,
    charset: 'utf8',
    legalComments: 'external',
    external: ['@aws-sdk/*'],
    outfile: bundle,
    logLevel: 'error',
  });
  for (const extra of ['templates', 'node_modules']) {
    try {
      cpSync(path.join(asset.dir, extra), path.join(dir, extra), { recursive: true });
    } catch {
      // Only the tenders asset carries templates and fonts.
    }
  }
  return { dir, bundle };
}

/**
 * First and warm POST /tenders of the bundled tenders function, against the local servers, its
 * PDFs rendered by the bundled pdf-renderer in another process behind a local stand-in for
 * Lambda's Invoke API (one signed HTTP invocation per PDF, as in AWS).
 */
async function tenderDurations(asset: FunctionAsset, renderer: FunctionAsset): Promise<{ importMs: number; first: number; warm: number[]; firstGet: number; invocations: number }> {
  const aws = await startLocalAws();
  const pdf = await startPdfRendererStandIn(renderer.bundle, renderer.dir, aws.config.region);
  try {
    const tableName = await aws.newTable();
    await seedCatalogue({ criteria: new DynamoDbCriteriaRepository({ db: aws.document, tableName }) }, await loadCatalogue(CATALOGUE_DIR));
    const env = { ...IMPORT_ENV, ...localAwsLambdaEnv(aws, tableName), ...pdf.env };
    const p = await startLambdaProcess(asset.bundle, asset.dir, env);
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'bench-buyer', 'cognito:groups': '[buyers]', iat: String(now), exp: String(now + 3600) };
    const timed = async () => {
      const t = performance.now();
      const res = await p.invoke(apiEvent('POST /tenders', '/tenders', { claims, body: example('commune') }));
      if (res.statusCode !== 201) throw new Error(`POST /tenders answered ${res.statusCode}: ${res.body}`);
      return performance.now() - t;
    };
    const first = await timed();
    const warm: number[] = [];
    for (let i = 0; i < WARM_RUNS; i++) warm.push(await timed());
    await p.stop();
    // A fresh process whose first request renders nothing: it loads the operations, not pdfkit.
    const g = await startLambdaProcess(asset.bundle, asset.dir, env);
    const t = performance.now();
    const res = await g.invoke(apiEvent('GET /tenders/{id}', '/tenders/none', { claims, params: { id: 'none' } }));
    const firstGet = performance.now() - t;
    if (res.statusCode !== 404) throw new Error(`GET /tenders/none answered ${res.statusCode}: ${res.body}`);
    await g.stop();
    return { importMs: p.importMs, first, warm, firstGet, invocations: pdf.server.requests.length };
  } finally {
    await pdf.stop();
    await aws.stop();
  }
}

interface Row {
  name: LambdaName;
  code: number;
  gzip: number;
  fonts: number;
  other: number;
  cold: number[];
  sdkCode: number;
  sdkCold: number[];
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const started = performance.now();
  const synthStarted = performance.now();
  const assets = buildFunctionAssets(path.join(WORK, 'cdk.out'));
  const synthMs = performance.now() - synthStarted;

  const rows: Row[] = [];
  const sdkBuilds = new Map<LambdaName, { dir: string; bundle: string }>();
  for (const name of NAMES) sdkBuilds.set(name, await buildWithRuntimeSdk(assets[name]));
  const importLoad = os.loadavg()[0]!;
  // Every bundle of both builds in one interleaved series.
  const series = await coldImportsInterleaved([...NAMES.map((n) => ({ bundle: assets[n].bundle, dir: assets[n].dir })), ...NAMES.map((n) => sdkBuilds.get(n)!)]);
  for (const [index, name] of NAMES.entries()) {
    const asset = assets[name];
    // Code is what runs: the bundle, and the precompiled templates the tenders function requires.
    const templatesFile = path.join(asset.dir, 'templates', PRECOMPILED_FILE);
    const codeFiles = [asset.bundle, ...(existsSync(templatesFile) ? [templatesFile] : [])];
    const code = codeFiles.reduce((sum, f) => sum + statSync(f).size, 0);
    const fontsDir = path.join(asset.dir, FONTS_PACKAGE_DIR);
    let fonts = 0;
    try {
      fonts = dirBytes(fontsDir);
    } catch {
      fonts = 0;
    }
    const other = dirBytes(asset.dir) - code - fonts;
    const cold = series[index]!;
    const sdk = sdkBuilds.get(name)!;
    const sdkCold = series[NAMES.length + index]!;
    rows.push({ name, code, gzip: codeFiles.reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0), fonts, other, cold, sdkCode: statSync(sdk.bundle).size + code - statSync(asset.bundle).size, sdkCold });
    console.error(`${name}: ${kib(code)} KiB, cold import median ${msf(median(cold))} ms (runtime SDK: ${kib(statSync(sdk.bundle).size)} KiB bundle, ${msf(median(sdkCold))} ms)`);
  }
  const tenders = await tenderDurations(assets.tenders, assets['pdf-renderer']);
  const load = os.loadavg()[0]!;
  const commit = revision(ROOT);

  const lines = [
    SECTION,
    '',
    `Generated by \`npm run bench:bundles\` (bench/bundles.ts), which rewrites this section only. ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commit}, Node ${process.version} on ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'} (${os.cpus().length} cores, x64; Lambda runs ARM64 Graviton, so absolute times differ), 1-minute load average ${importLoad.toFixed(1)} when the imports began, ${load.toFixed(1)} at the end; whole run ${((performance.now() - started) / 1000).toFixed(0)} s, of which the bundling synth ${(synthMs / 1000).toFixed(1)} s.`,
    '',
    `Each function is bundled by \`cdk synth\` itself (esbuild, ESM, minified, AWS SDK v3 bundled, for the ${RUNTIME.name} runtime). Code is the bundle file plus, for the functions that build documents from the templates (${DOCUMENT_FUNCTIONS.join(', ')}), their precompiled Handlebars templates (templates/${PRECOMPILED_FILE}, minified JavaScript); fonts (five DejaVu faces, in pdf-renderer alone, which lays out every PDF for the functions that write one) and other files (licences, pdfkit's colour profile, the OpenAPI document the openapi function serves) are counted apart. Cold import is \`await import(bundle)\` in a fresh \`node\` process, what Lambda's init phase does with the module: median (min–max) of ${COLD_RUNS} fresh processes per bundle, interleaved: each round imports every bundle of both tables below once, in a rotated order.`,
    '',
    `| function | code KiB | gzipped KiB | fonts KiB | other KiB | cold import ms, median (min–max) | ≤ ${TARGETS.codeKiB} KiB | ≤ ${TARGETS.coldImportMs} ms |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | :---: | :---: |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${kib(r.code)} | ${kib(r.gzip)} | ${kib(r.fonts)} | ${kib(r.other)} | ${spread(r.cold)} | ${r.code <= TARGETS.codeKiB * 1024 ? '✓' : '✗'} | ${median(r.cold) <= TARGETS.coldImportMs ? '✓' : '✗'} |`,
    ),
    '',
    "Why the SDK is bundled: the same bundles with AWS SDK v3 left to the runtime (`externalModules: ['@aws-sdk/*']`, CDK's default; locally Node loads it from the project's node_modules, as the runtime loads its own copy) are smaller but slower to import:",
    '',
    '| function | code KiB, SDK bundled | code KiB, runtime SDK | cold import ms, SDK bundled | cold import ms, runtime SDK |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.name} | ${kib(r.code)} | ${kib(r.sdkCode)} | ${spread(r.cold)} | ${spread(r.sdkCold)} |`),
    '',
    `tenders, one process against dynalite and s3rver (commune example, 1 lot), its PDFs rendered by the pdf-renderer bundle in a second process behind a local stand-in for Lambda's Invoke API (${tenders.invocations} signed invocations in all, two per generation: cctp.pdf and note-interne.pdf): cold import ${msf(tenders.importMs)} ms, then the first \`POST /tenders\` ${msf(tenders.first)} ms (loads the operations and the precompiled templates, which the import defers; the renderer's first PDF parses the five font faces; opens the SDK connections), then warm median ${msf(median(tenders.warm))} ms, p90 ${msf(p90(tenders.warm))} ms over ${WARM_RUNS} requests. In another fresh process, a first request that renders nothing (\`GET /tenders/{id}\`, not found) takes ${msf(tenders.firstGet)} ms.`,
    '',
  ];
  const report = lines.join('\n');
  console.log(report);

  let current = '';
  try {
    current = readFileSync(OUTPUT, 'utf8');
  } catch {
    current = '# Benchmarks\n';
  }
  const at = current.indexOf(`\n${SECTION}\n`);
  // Trailing blank lines trimmed either way, so that reruns do not pile them up before the section.
  const before = (at >= 0 ? current.slice(0, at) : current).replace(/\s*$/, '');
  // The sections written after this one (by hand or by other benches) stay as they are.
  const next = at >= 0 ? current.indexOf('\n## ', at + SECTION.length + 1) : -1;
  const after = next >= 0 ? `\n${current.slice(next).replace(/^\s*/, '')}` : '';
  writeFileSync(OUTPUT, `${before}\n\n${report}${after}`);
  rmSync(WORK, { recursive: true, force: true });
}

await main();
