/**
 * How every function of the route table is bundled: esbuild on this machine (no Docker), one ESM
 * file per function, minified, AWS SDK v3 included. The stack, the bundle smoke
 * test and `npm run bench:bundles` all build through these options, so they measure what deploys.
 *
 * Asset layout (the asset directory is /var/task in Lambda):
 *
 *   functions/<name>/index.mjs                    the bundle; handler `functions/<name>/index.handler`
 *   templates/precompiled.cjs                     (tenders, documents) the Handlebars templates, precompiled
 *   node_modules/dejavu-fonts-ttf/{package.json,LICENSE,ttf/<5 faces>}   (pdf-renderer) the fonts
 *   functions/pdf-renderer/data/sRGB_IEC61966_2_1.icc  (pdf-renderer) pdfkit's colour profile, the PDF/A output intent
 *   functions/openapi/openapi.json                (openapi) the OpenAPI document, written at bundling time
 *   index.mjs.LEGAL.txt                           licence comments of the bundled packages
 *
 * Why the bundle sits two folders down: the application finds its files relative to its own
 * module URL, as source files do (`new URL('../../templates/', import.meta.url)` in
 * src/adapters/handlebars/template-engine.ts, `require.resolve('dejavu-fonts-ttf/package.json')` in
 * src/adapters/render/pdf/fonts.ts). Placed where its entry point sits in the repository, the bundle finds
 * the templates and the fonts the same way, and no application code changes for Lambda.
 *
 * pdfkit 0.20 cannot be inlined as CommonJS (upstream #1801): the ESM build (`mainFields`
 * module first, ESM output) works. The documents are created with `font: null` and the embedded
 * DejaVu faces, so pdfkit's standard fonts (which a bundle cannot load) are never touched. Its
 * PDF/A output intent reads `./data/sRGB_IEC61966_2_1.icc` relative to the module, which in a
 * bundle is the bundle itself: the profile is copied next to it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { transformSync } from 'esbuild';
import { PRECOMPILED_FILE, precompileTemplates } from '#src/adapters/handlebars/template-engine.ts';
import { openApiDocument } from '#src/adapters/http/openapi.ts';
import { OPENAPI_FILE } from '#src/adapters/http/operations/openapi.ts';
import { FUNCTIONS, type FunctionName } from '#src/adapters/http/routes.ts';
import { FONT_FILES } from '#src/adapters/render/pdf/fonts.ts';
import type { DocumentName } from '#src/core/documents/document-models.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Every Lambda function: one per function of the route table, the scheduled gc (functions/gc) and
 * the pdf-renderer (functions/pdf-renderer), which the functions that write PDFs invoke.
 */
export type LambdaName = FunctionName | 'gc' | 'pdf-renderer';
export const LAMBDA_NAMES: readonly LambdaName[] = [...(Object.keys(FUNCTIONS) as FunctionName[]), 'gc', 'pdf-renderer'];

/**
 * Code budget of every function (issue #19): the bundle plus its precompiled templates, minified,
 * in KiB. test/infra/bundle-smoke.test.ts fails on a function over it; `npm run bench:bundles`
 * reports it with the cold import time.
 */
export const CODE_BUDGET_KIB = 700;

/**
 * Functions over the budget today, each with the reason. The test fails as well when one of them
 * comes within the budget, so that the exception goes with the reason.
 */
export const OVER_CODE_BUDGET: Readonly<Partial<Record<LambdaName, string>>> = {
  tenders:
    'about 1 MiB of API path once the PDF engine moved to pdf-renderer (both SDK clients ≈ 350 KiB, zod, markdown-it, the templates’ document models, the law records, rules and request schemas that validation runs): BENCHMARKS.md « Where the tenders bundle goes »; under its own cap (OVER_CODE_CAPS_KIB)',
  documents:
    'the Office writers (Cahier’s own WordprocessingML and SpreadsheetML writers, ≈ 60 KiB with their renderers) on top of everything the tenders function builds documents with: a generation with a Word or Excel file builds all its files there, the PDFs’ models included (their open data lists the Office files’ hashes)',
};

/**
 * The most each function named in OVER_CODE_BUDGET may weigh, bundle file alone, in KiB: what it
 * weighed on 2026-12-07 once the PDF engine (pdfkit, fontkit and the layout code, ≈ 455 KiB of
 * each) moved to the pdf-renderer function and the X-Ray subsegments came from Cahier's own
 * middleware instead of Powertools Tracer (≈ 89 KiB of each): tenders 958.5, documents 1 060.6
 * (`npm run bench:bundle-inputs -- <name>`), plus about 4 %. catalogues, 702.2 then, came within
 * the budget once mnemonist's cache gave way to a stand-in (STUBBED_PACKAGES).
 */
export const OVER_CODE_CAPS_KIB: Readonly<Partial<Record<LambdaName, number>>> = { tenders: 1000, documents: 1105 };

/**
 * Caps, bundle file alone in KiB, of the functions that answer without data and must stay far
 * below the budget (issue #19): what they weighed on 2026-12-07 once health stopped importing the
 * OpenAPI builder and the OpenAPI schemas stopped importing the use cases (health 146.7, openapi
 * 257.1; `npm run bench:bundle-inputs -- health`) plus about 9 %. Both had carried markdown-it,
 * the law records and the document models (≈ 390 KiB each) through one import; the smoke test
 * fails if either grows back. Since 2026-12-08 openapi serves the document written at bundling
 * time and bundles no builder and no request schema: 146.9 KiB, health's cap.
 */
export const HEALTH_CODE_CAP_KIB = 160;
/**
 * pdf-renderer is the PDF engine alone (fontkit 227, pdfkit 127, the layout code 42 KiB, no SDK,
 * no zod, no tracer): 457 KiB on 2026-12-07 plus about 7 %. Anything else it imports is a mistake.
 */
export const PDF_RENDERER_CODE_CAP_KIB = 490;
export const SMALL_CODE_CAPS_KIB: Readonly<Partial<Record<LambdaName, number>>> = { health: HEALTH_CODE_CAP_KIB, openapi: HEALTH_CODE_CAP_KIB, 'pdf-renderer': PDF_RENDERER_CODE_CAP_KIB };

/**
 * The functions that build document models from the templates: they carry the precompiled
 * templates. catalogues builds the PDF summary of a report in code (src/core/products/summary-document.ts),
 * so it carries none (it did until 2026-12-07: 166.6 KiB of templates it never loaded).
 */
export const DOCUMENT_FUNCTIONS: readonly LambdaName[] = ['tenders', 'documents'];

/**
 * The functions that lay PDFs out: pdfkit, fontkit, the five DejaVu faces and the sRGB profile
 * travel with pdf-renderer alone. The document functions invoke it, one synchronous invoke per PDF
 * (src/adapters/render/pdf-engine.ts).
 */
export const PDF_ENGINE_FUNCTIONS: readonly LambdaName[] = ['pdf-renderer'];

/**
 * The document templates a rendering function carries when it renders fewer than all of them
 * (absent: every template). tenders renders the formats that are not deferred to the documents
 * function (OFFICE_FORMATS): pdf (cctp.pdf), note (note-interne.pdf) and json (no template); the
 * RC, CCAP, acte d’engagement and annexe RGPD come with a Word file, so the documents function
 * renders them. The precompiled templates of all six weigh 166.6 KiB minified, these two 66.8.
 */
export const TEMPLATES_OF: Readonly<Partial<Record<LambdaName, readonly DocumentName[]>>> = { tenders: ['cctp', 'note-interne'] };

/** The functions that bundle the Word and workbook renderers (definesOf leaves them out elsewhere). */
export const OFFICE_FUNCTIONS: readonly LambdaName[] = ['documents'];

/** Source entry point of a function. */
export function entryOf(name: LambdaName): string {
  return path.join(PROJECT_ROOT, 'functions', name, 'handler.ts');
}

/** Path of the bundle inside the asset, and the Lambda handler setting that points at it. */
export function bundlePathOf(name: LambdaName): string {
  return `functions/${name}/index.mjs`;
}
export function handlerOf(name: LambdaName): string {
  return `functions/${name}/index.handler`;
}

/** pdfkit's sRGB profile, which its PDF/A output intent embeds. */
export const ICC_FILE = 'sRGB_IEC61966_2_1.icc';
/** Where the profile sits in the asset: beside the bundle, where pdfkit looks for it. */
export function iccPathOf(name: LambdaName): string {
  return `${path.posix.dirname(bundlePathOf(name))}/data/${ICC_FILE}`;
}

/** Where the fonts travel in the asset (what `defaultFontsDir()` resolves from the bundle). */
export const FONTS_PACKAGE_DIR = 'node_modules/dejavu-fonts-ttf';

const UNAVAILABLE = path.join(PROJECT_ROOT, 'infra', 'bundling', 'unavailable.cjs');
const NO_WOFF2 = path.join(PROJECT_ROOT, 'infra', 'bundling', 'no-woff2.cjs');
const ENV_CREDENTIALS = path.join(PROJECT_ROOT, 'infra', 'bundling', 'env-credentials.mjs');
const LRU_CACHE = path.join(PROJECT_ROOT, 'infra', 'bundling', 'lru-cache.mjs');

/**
 * Packages the functions import but never run, replaced by stubs (esbuild aliases):
 * - `source-map`: optional in Handlebars' compiler, which catches the stub's error and falls
 *   back to plain strings.
 * - `brotli/decompress.js`: fontkit's WOFF2 decoder (≈ 475 KB), imported when fontkit loads;
 *   its stub loads and throws only if called. The fonts are TTF.
 * - `@aws-sdk/credential-provider-node`: the SDK's default credential chain, replaced by its
 *   first link, the environment variables in which Lambda passes the role's credentials (the
 *   other links and their nested STS/SSO clients, ≈ 100 KiB, never answer in Lambda).
 * - `mnemonist/lru-cache`: the cache of DynamoDB's endpoint discovery (@aws-sdk/endpoint-cache),
 *   which every DynamoDB client builds and Cahier never turns on; a Map-based cache with the same
 *   answers stands in (≈ 7 KiB less in every function with a DynamoDB client).
 *
 * Not a stub but absent all the same: the Handlebars compiler. The templates are precompiled at
 * bundling time with the same markup-escaping compiler (`precompileTemplates`) and the bundle
 * runs them on the Handlebars runtime; src/adapters/handlebars/template-engine.ts loads the compiler only
 * when no precompiled file sits in its templates directory.
 */
export const STUBBED_PACKAGES: Readonly<Record<string, string>> = {
  'source-map': UNAVAILABLE,
  'brotli/decompress.js': NO_WOFF2,
  '@aws-sdk/credential-provider-node': ENV_CREDENTIALS,
  'mnemonist/lru-cache': LRU_CACHE,
};

/**
 * Constants replaced at bundling time. Outside the Office functions, `CAHIER_OFFICE_BUNDLED` is
 * 'false', which turns each `import()` of a Word or Excel renderer in
 * src/adapters/render/registry.ts into dead code that esbuild leaves out: the tenders function
 * defers those formats to the documents function, so their sources (≈ 30 KiB) were dead weight.
 * Outside pdf-renderer, `CAHIER_PDF_BUNDLED` is 'false' likewise: src/adapters/render/pdf-engine.ts
 * then invokes the pdf-renderer function, and its `import()` of the in-process engine (pdfkit,
 * fontkit, the layout code: ≈ 450 KiB) is dead code. In openapi, `CAHIER_OPENAPI_WRITTEN` is
 * 'true': src/adapters/http/operations/openapi.ts then reads the document written beside the
 * bundle at bundling time (afterBundling), and its `import()` of the builder is dead code.
 */
export function definesOf(name: LambdaName): Record<string, string> {
  return {
    ...(OFFICE_FUNCTIONS.includes(name) ? {} : { 'process.env.CAHIER_OFFICE_BUNDLED': JSON.stringify('false') }),
    ...(PDF_ENGINE_FUNCTIONS.includes(name) ? {} : { 'process.env.CAHIER_PDF_BUNDLED': JSON.stringify('false') }),
    ...(name === 'openapi' ? { 'process.env.CAHIER_OPENAPI_WRITTEN': JSON.stringify('true') } : {}),
  };
}

/** The bundling options of one function, as the stack passes them to NodejsFunction. */
export function bundlingOptions(name: LambdaName): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    mainFields: ['module', 'main'],
    minify: true,
    sourceMap: false,
    // AWS SDK v3 is bundled, not taken from the runtime: the bundled, tree-shaken clients import
    // in about half the time (BENCHMARKS.md, Bundle budget: catalogue-read 182 → 97 ms), and the
    // function runs the SDK version the tests ran (package-lock.json), presigner included.
    bundleAwsSDK: true,
    externalModules: [],
    define: definesOf(name),
    // CommonJS dependencies (handlebars, markdown-it's deps, fontkit's) call require().
    banner: "import { createRequire as __cahierCreateRequire } from 'node:module'; const require = __cahierCreateRequire(import.meta.url);",
    esbuildArgs: {
      '--alias': Object.entries(STUBBED_PACKAGES).map(([pkg, stub]) => `${pkg}=${stub}`),
      // French strings stay UTF-8 instead of \u escapes; licence comments go to a side file
      // (not counted as code).
      '--charset': 'utf8',
      '--legal-comments': 'external',
    },
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir, outputDir) => afterBundling(name, inputDir, outputDir),
    },
  };
}

function afterBundling(name: LambdaName, inputDir: string, outputDir: string): string[] {
  const out = (p: string) => q(path.join(outputDir, p));
  const commands = [`mkdir -p ${out(path.dirname(bundlePathOf(name)))}`, `mv ${out('index.mjs')} ${out(bundlePathOf(name))}`];
  if (DOCUMENT_FUNCTIONS.includes(name)) {
    // Written now, at synth time, with the same compiler the sources would use; copied in after bundling.
    const precompiled = path.join(mkdtempSync(path.join(os.tmpdir(), 'cahier-templates-')), PRECOMPILED_FILE);
    // Minified like the bundle: the generated code is verbose (≈ 70 KiB as written, ≈ 25 minified).
    const source = precompileTemplates(path.join(PROJECT_ROOT, 'templates'), TEMPLATES_OF[name]);
    writeFileSync(precompiled, transformSync(source, { minify: true, format: 'cjs', platform: 'node', charset: 'utf8', legalComments: 'none' }).code);
    commands.push(`mkdir -p ${out('templates')}`, `cp ${q(precompiled)} ${out(`templates/${PRECOMPILED_FILE}`)}`);
  }
  if (name === 'openapi') {
    // The document the function serves, written now from the route table and the zod schemas, as the sources build it.
    const written = path.join(mkdtempSync(path.join(os.tmpdir(), 'cahier-openapi-')), OPENAPI_FILE);
    writeFileSync(written, JSON.stringify(openApiDocument()));
    commands.push(`cp ${q(written)} ${out(`${path.posix.dirname(bundlePathOf(name))}/${OPENAPI_FILE}`)}`);
  }
  if (PDF_ENGINE_FUNCTIONS.includes(name)) {
    const fontsPackage = path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json'));
    commands.push(
      `mkdir -p ${out(`${FONTS_PACKAGE_DIR}/ttf`)}`,
      `cp ${q(path.join(fontsPackage, 'package.json'))} ${q(path.join(fontsPackage, 'LICENSE'))} ${out(FONTS_PACKAGE_DIR)}`,
      `cp ${FONT_FILES.map((f) => q(path.join(fontsPackage, 'ttf', f))).join(' ')} ${out(`${FONTS_PACKAGE_DIR}/ttf`)}`,
      `mkdir -p ${out(path.dirname(iccPathOf(name)))}`,
      `cp ${q(path.join(path.dirname(createRequire(import.meta.url).resolve('pdfkit')), 'data', ICC_FILE))} ${out(iccPathOf(name))}`,
    );
  }
  return commands;
}

/** POSIX single-quoted shell word. */
function q(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
