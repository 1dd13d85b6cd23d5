import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import type HandlebarsCompiler from 'handlebars';
import HandlebarsRuntime from 'handlebars/runtime';
import { escapeMarkup } from '#src/core/documents/markup.ts';
import type { TemplateRenderer } from '#src/core/documents/templates.ts';

/**
 * The templates of a directory compiled ahead of time, as a CommonJS module written by
 * `precompileTemplates` (the Lambda bundles carry this file instead of the `.hbs` sources, and
 * the Handlebars runtime instead of its compiler). When present, the engine uses it.
 */
export const PRECOMPILED_FILE = 'precompiled.cjs';

type Handlebars = typeof HandlebarsCompiler;
type TemplateSpec = ReturnType<Handlebars['precompile']>;
const runtime = HandlebarsRuntime as unknown as Handlebars;

/** Markup written by a helper of ours; passed through unescaped. Buyer text never becomes one. */
type SafeMarkup = InstanceType<Handlebars['SafeString']>;

/**
 * A Handlebars compiler whose `{{value}}` escapes for the document markup instead of HTML.
 * Handlebars reads its escape function from a module-wide object, so rather than patching it
 * for the whole process we give this environment its own compiler, which emits a call to our
 * `escapeMarkup` helper wherever Handlebars would have HTML-escaped. The compiler is loaded only
 * to compile (tests, CLI, local server, and at build time for the bundles): the escaping lives
 * in the code it generates, so precompiled templates escape exactly as freshly compiled ones.
 */
function createCompiler(): Handlebars {
  // Not a static import: the Lambda bundles must not carry the compiler (they read precompiled
  // templates), and esbuild leaves this require alone.
  const full = createRequire(import.meta.url)('handlebars') as Handlebars;
  const env = full.create() as Handlebars & { JavaScriptCompiler: new () => object };
  class MarkupCompiler extends env.JavaScriptCompiler {
    appendEscaped(this: MarkupCompilerInternals): void {
      // The trailing `{}` stands where Handlebars' helper wrapper expects its options object.
      this.pushSource(this.appendToBuffer([this.aliasable('helpers.escapeMarkup'), '(', this.popStack(), ', {})']));
    }
  }
  (MarkupCompiler.prototype as unknown as { compiler: unknown }).compiler = MarkupCompiler;
  env.JavaScriptCompiler = MarkupCompiler;
  return env;
}

/** The runtime environment templates run in: the helpers the compiled code calls. */
function createRuntime(): Handlebars {
  const env = runtime.create();
  env.registerHelper('escapeMarkup', (value: unknown): string => {
    if (value == null) return '';
    if (value instanceof env.SafeString) return value.toString();
    return escapeMarkup(String(value));
  });
  // Buyer text with blank lines between paragraphs keeps them, each escaped.
  env.registerHelper('paragraphs', (value: unknown): SafeMarkup => {
    const text = value == null ? '' : String(value);
    const paragraphs = text
      .split(/\n\s*\n/)
      .map((p) => escapeMarkup(p))
      .filter((p) => p !== '');
    return new env.SafeString(paragraphs.join('\n\n'));
  });
  return env;
}

/** The parts of Handlebars' compiler API the override uses (not in its type definitions). */
interface MarkupCompilerInternals {
  pushSource(source: unknown): void;
  appendToBuffer(source: unknown[]): unknown;
  aliasable(name: string): unknown;
  popStack(): unknown;
}

const COMPILE_OPTIONS = {
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: { paragraphs: true },
  preventIndent: true,
  noEscape: false,
} as const;

/** Where compiled templates come from: a precompiled module, or the sources compiled on demand. */
interface TemplateSpecs {
  partials(): Record<string, TemplateSpec>;
  document(name: string): TemplateSpec;
}

function partialFiles(dir: string): Array<[name: string, file: string]> {
  const partialsDir = join(dir, 'partials');
  return readdirSync(partialsDir)
    .filter((f) => f.endsWith('.md.hbs'))
    .sort()
    .map((f) => [basename(f, '.md.hbs'), join(partialsDir, f)]);
}

function compiledSpecs(dir: string): TemplateSpecs {
  const compiler = createCompiler();
  // precompile() returns the source of a template specification object; evaluating it is what
  // compile() does internally.
  const spec = (file: string): TemplateSpec => new Function(`return ${String(compiler.precompile(readFileSync(file, 'utf8'), COMPILE_OPTIONS))}`)() as TemplateSpec;
  return {
    partials: () => Object.fromEntries(partialFiles(dir).map(([name, file]) => [name, spec(file)])),
    document: (name) => spec(join(dir, `${name}.md.hbs`)),
  };
}

function precompiledSpecs(file: string): TemplateSpecs {
  const module = createRequire(import.meta.url)(file) as { partials: Record<string, TemplateSpec>; documents: Record<string, TemplateSpec> };
  return {
    partials: () => module.partials,
    document: (name) => {
      const spec = module.documents[name];
      if (!spec) throw new Error(`${file} has no template ${name}`);
      return spec;
    },
  };
}

/**
 * The source of a CommonJS module holding every template of `dir` precompiled with the markup
 * compiler (PRECOMPILED_FILE): what the Lambda bundling writes next to the bundle. With `only`,
 * the partials and those document templates alone (a function that renders fewer documents).
 */
export function precompileTemplates(dir: string, only?: readonly string[]): string {
  const compiler = createCompiler();
  const entry = ([name, file]: [string, string]) => `    ${JSON.stringify(name)}: ${String(compiler.precompile(readFileSync(file, 'utf8'), COMPILE_OPTIONS))}`;
  const documents = readdirSync(dir)
    .filter((f) => f.endsWith('.md.hbs'))
    .sort()
    .map((f): [string, string] => [basename(f, '.md.hbs'), join(dir, f)])
    .filter(([name]) => !only || only.includes(name));
  const missing = (only ?? []).filter((name) => !documents.some(([known]) => known === name));
  if (missing.length) throw new Error(`no template ${missing.join(', ')} in ${dir}`);
  return [
    `// Generated by precompileTemplates (src/adapters/handlebars/template-engine.ts) from ${basename(dir)}/; do not edit.`,
    'module.exports = {',
    `  partials: {\n${partialFiles(dir).map(entry).join(',\n')}\n  },`,
    `  documents: {\n${documents.map(entry).join(',\n')}\n  },`,
    '};',
    '',
  ].join('\n');
}

/**
 * The templates of a directory: `<name>.md.hbs` files are documents, files under `partials/`
 * are partials named after their file; or, when the directory holds PRECOMPILED_FILE, that
 * module. Nothing is read or compiled before the first render; each template compiles once.
 */
export class TemplateEngine implements TemplateRenderer {
  private readonly env = createRuntime();
  private readonly templates = new Map<string, HandlebarsTemplateDelegate>();
  private specs: TemplateSpecs | undefined;

  constructor(private readonly dir: string) {}

  private load(): TemplateSpecs {
    if (!this.specs) {
      const precompiled = join(this.dir, PRECOMPILED_FILE);
      const specs = existsSync(precompiled) ? precompiledSpecs(precompiled) : compiledSpecs(this.dir);
      for (const [name, spec] of Object.entries(specs.partials())) this.env.registerPartial(name, this.env.template(spec));
      this.specs = specs;
    }
    return this.specs;
  }

  /** Renders a document template with a plain-data context into markup. */
  render(name: string, context: object): string {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`invalid template name ${JSON.stringify(name)}`);
    let template = this.templates.get(name);
    if (!template) {
      template = this.env.template(this.load().document(name));
      this.templates.set(name, template);
    }
    return template(context, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
  }
}
