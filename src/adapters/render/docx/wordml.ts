/**
 * The smallest XML writer WordprocessingML needs: text and attribute escaping, and elements pushed
 * as strings into one array joined once at the end (no DOM, no tree of objects).
 *
 * Escaping drops what XML 1.0 cannot carry at all (xmlSafe, shared with the SpreadsheetML
 * writer). A carriage return is written as a character reference, which XML parsers keep,
 * where a literal one would be read back as a line feed.
 */
import { xmlSafe } from '#src/adapters/render/xml-text.ts';

const TEXT_SPECIAL = /[&<>"\r]/g;
const ATTRIBUTE_SPECIAL = /[&<>"'\t\n\r]/g;
const NEEDS_WORK = /[&<>"'\t\n\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};
const entity = (c: string): string => ENTITIES[c]!;

/** Character data: `&`, `<`, `>` and `"` escaped (as Word writes them), carriage returns as references, invalid characters dropped. */
export function escapeText(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  return xmlSafe(text).replace(TEXT_SPECIAL, entity);
}

/** An attribute value between double quotes: also quotes and the whitespace attribute normalisation would turn into spaces. */
export function escapeAttribute(value: string): string {
  if (!NEEDS_WORK.test(value)) return value;
  return xmlSafe(value).replace(ATTRIBUTE_SPECIAL, entity);
}

type Attributes = Readonly<Record<string, string | number>>;

function attributes(attrs: Attributes | undefined): string {
  if (!attrs) return '';
  let out = '';
  for (const name in attrs) {
    const value = attrs[name]!;
    out += ` ${name}="${typeof value === 'number' ? value : escapeAttribute(value)}"`;
  }
  return out;
}

/** `<name a="…">` + already-written content + `</name>`. */
function element(name: string, attrs: Attributes | undefined, content: string): string {
  return `<${name}${attributes(attrs)}>${content}</${name}>`;
}

/** `<name a="…">escaped text</name>`. */
export function textElement(name: string, attrs: Attributes | undefined, text: string): string {
  return element(name, attrs, escapeText(text));
}

/** `<w:name w:val="…"/>`, the most common WordprocessingML property element. */
export function val(name: string, value: string | number): string {
  return `<${name} w:val="${typeof value === 'number' ? value : escapeAttribute(value)}"/>`;
}

/** Strings pushed in document order and joined once: a part is built in one pass, without a tree. */
export class XmlOut {
  private readonly chunks: string[] = [];

  /** Appends markup already written (from the helpers above or constants). */
  push(...markup: string[]): this {
    for (const m of markup) this.chunks.push(m);
    return this;
  }

  toString(): string {
    return this.chunks.join('');
  }
}
