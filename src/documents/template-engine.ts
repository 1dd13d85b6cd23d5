import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { escapeMarkup } from './markup.ts';

export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** Markup written by a helper of ours; passed through unescaped. Buyer text never becomes one. */
type SafeMarkup = InstanceType<typeof Handlebars.SafeString>;

/**
 * A Handlebars environment whose `{{value}}` escapes for the document markup instead of HTML.
 * Handlebars reads its escape function from a module-wide object, so rather than patching it
 * for the whole process we give this environment its own compiler, which emits a call to our
 * `escapeMarkup` helper wherever Handlebars would have HTML-escaped.
 */
function createEnvironment(): typeof Handlebars {
  const env = Handlebars.create() as typeof Handlebars & { JavaScriptCompiler: new () => object };
  class MarkupCompiler extends env.JavaScriptCompiler {
    appendEscaped(this: MarkupCompilerInternals): void {
      // The trailing `{}` stands where Handlebars' helper wrapper expects its options object.
      this.pushSource(this.appendToBuffer([this.aliasable('helpers.escapeMarkup'), '(', this.popStack(), ', {})']));
    }
  }
  (MarkupCompiler.prototype as unknown as { compiler: unknown }).compiler = MarkupCompiler;
  env.JavaScriptCompiler = MarkupCompiler;

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

export type TemplateName = 'cctp' | 'rc-extract';

/**
 * Compiles the templates of a directory once: `<name>.md.hbs` files are documents,
 * files under `partials/` are partials named after their file.
 */
export class TemplateEngine {
  private readonly env = createEnvironment();
  private readonly templates = new Map<string, Handlebars.TemplateDelegate>();

  constructor(private readonly dir: string = DEFAULT_TEMPLATES_DIR) {
    const partialsDir = join(dir, 'partials');
    for (const file of readdirSync(partialsDir).filter((f) => f.endsWith('.md.hbs')).sort()) {
      const source = readFileSync(join(partialsDir, file), 'utf8');
      this.env.registerPartial(basename(file, '.md.hbs'), this.env.compile(source, COMPILE_OPTIONS));
    }
  }

  /** Renders a document template with a plain-data context into markup. */
  render(name: TemplateName, context: object): string {
    let template = this.templates.get(name);
    if (!template) {
      const source = readFileSync(join(this.dir, `${name}.md.hbs`), 'utf8');
      template = this.env.compile(source, COMPILE_OPTIONS);
      this.templates.set(name, template);
    }
    return template(context, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
  }
}

let shared: TemplateEngine | undefined;

/** One engine per process for the default templates: compiling is the slow part. */
export function defaultTemplateEngine(): TemplateEngine {
  shared ??= new TemplateEngine();
  return shared;
}
