/**
 * `npm run build:cli` (also run by `npm ci` through `prepare`, and before `npm test`): compiles
 * the command line to JavaScript in dist/, so that `cahier` starts without a TypeScript loader
 * (issue #19: the loader alone cost ≈ 0.5 s a command).
 *
 *   dist/cli/cahier.mjs         src/entry/cli-main.ts and what it imports, bundled (ESM, minified)
 *   dist/cli/chunk-*.mjs        what it loads on demand: each format's renderer (PDFKit and
 *                               fontkit, the Word writer, the workbooks, OCDS) and `cahier gc`, split by esbuild
 *                               at their `import()` so a PDF-only run never parses the others
 *   dist/cli/data/sRGB_IEC61966_2_1.icc   PDFKit's colour profile, the PDF/A output intent
 *   dist/templates/precompiled.cjs   the Handlebars templates, precompiled as for Lambda
 *
 * The bundle sits two folders below the project root, as src/entry/ does, so the paths of
 * src/entry/paths.ts (catalogue, templates sources) and the fonts' package resolve the same.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transformSync, type Plugin } from 'esbuild';
import { PRECOMPILED_FILE, precompileTemplates } from '#src/adapters/handlebars/template-engine.ts';
import { ICC_FILE } from '../infra/bundling/bundling.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = path.join(ROOT, 'dist');

/**
 * fontkit 2.0.4 builds the Unicode tables of its Arabic, Indic and Universal shapers, and
 * linebreak 1.1.0 (PDFKit's line breaker, which Cahier's layout does not call) its class table,
 * when their modules load: ≈ 10 ms of inflating data in every cold command, for tables a French
 * document never reads. Each is built on its first `get` instead (the only method either package
 * calls on them). The count of rewritten tables is checked, so an upgrade that changes them
 * fails the build here rather than quietly loading them again.
 */
const LAZY_TRIES: Record<string, number> = { fontkit: 3, linebreak: 1 };
const lazyUnicodeTries: Plugin = {
  name: 'lazy-unicode-tries',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]node_modules[\\/](fontkit|linebreak)[\\/]dist[\\/]module\.mjs$/ }, (args) => {
      const pkg = /[\\/]node_modules[\\/](fontkit|linebreak)[\\/]/.exec(args.path)![1]!;
      let rewritten = 0;
      const contents = readFileSync(args.path, 'utf8').replace(/^const (\$\w+\$var\$(?:trie|classTrie)) = (new [^;\n]+);$/gm, (_, name: string, construct: string) => {
        rewritten += 1;
        return `let ${name}$built; const ${name} = { get: (codePoint) => (${name}$built ??= ${construct}).get(codePoint) };`;
      });
      if (rewritten !== LAZY_TRIES[pkg]) throw new Error(`lazy-unicode-tries: expected ${LAZY_TRIES[pkg]} tables in ${pkg}, found ${rewritten}; check the package's version`);
      return { contents, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

rmSync(path.join(DIST, 'cli'), { recursive: true, force: true });
await build({
  entryPoints: { cahier: path.join(ROOT, 'src/entry/cli-main.ts') },
  outdir: path.join(DIST, 'cli'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // pdfkit 0.20 only bundles from its ESM build (see infra/bundling/bundling.ts).
  mainFields: ['module', 'main'],
  // `npm run build:cli -- --no-minify` keeps names, for profiles (node --cpu-prof bin/cahier.js …).
  minify: !process.argv.includes('--no-minify'),
  charset: 'utf8',
  legalComments: 'external',
  alias: {
    // The Handlebars compiler's optional source maps; the compiler itself is not loaded when the
    // precompiled templates are there.
    'source-map': path.join(ROOT, 'infra/bundling/unavailable.cjs'),
    // fontkit's WOFF2 decoder (≈ 475 KB, parsed whenever fontkit loads): the fonts are TTF.
    'brotli/decompress.js': path.join(ROOT, 'infra/bundling/no-woff2.cjs'),
  },
  // CommonJS dependencies (handlebars, fontkit's) call require().
  banner: { js: "import { createRequire as __cahierCreateRequire } from 'node:module'; const require = __cahierCreateRequire(import.meta.url);" },
  plugins: [lazyUnicodeTries],
  logLevel: 'warning',
});

// PDFKit reads the PDF/A output intent's colour profile from ./data next to the module that runs
// it, here dist/cli (as the tenders Lambda's bundle does from its own folder).
mkdirSync(path.join(DIST, 'cli', 'data'), { recursive: true });
copyFileSync(path.join(path.dirname(createRequire(import.meta.url).resolve('pdfkit')), 'data', ICC_FILE), path.join(DIST, 'cli', 'data', ICC_FILE));

const templates = path.join(DIST, 'templates');
mkdirSync(templates, { recursive: true });
const source = precompileTemplates(path.join(ROOT, 'templates'));
writeFileSync(path.join(templates, PRECOMPILED_FILE), transformSync(source, { minify: true, format: 'cjs', platform: 'node', charset: 'utf8', legalComments: 'none' }).code);
