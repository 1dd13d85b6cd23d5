/**
 * A bidder's workbook read as data, never as a program: the cells of the sheets asked for, each
 * with its text, its kind and its formula if it has one (formulas are reported, never evaluated;
 * the value a formula cell carries is the one the bidder's spreadsheet last cached). Refuses what
 * a plain answer file never holds: macros (415), links to other workbooks, DTDs (entity bombs),
 * sheets beyond a row bound, cells beyond a length bound, and a parse that runs out of time.
 *
 * SpreadsheetML is read with bounded regular expressions over each part's text (no DOM), because
 * the parts are bounded in size by SafeZip and the few elements read (sheet, row, c, f, v, is, t,
 * si) never nest into one another.
 */
import type { CellKind, SheetCell, SheetCells } from '#src/core/offers/cells.ts';
import { bidFileError } from '#src/core/offers/errors.ts';
import { DEFAULT_ZIP_LIMITS, SafeZip, type ZipLimits } from '#src/adapters/files/safe-zip.ts';

export interface XlsxLimits extends ZipLimits {
  /** Rows of one sheet (the highest row number counts, so a stray cell in row 200 000 does too). */
  maxRows: number;
  /** Columns of one sheet. */
  maxColumns: number;
  /** Characters of one cell. */
  maxCellChars: number;
  /** Wall time of the whole read, in milliseconds. */
  maxMillis: number;
}

export const DEFAULT_XLSX_LIMITS: XlsxLimits = {
  ...DEFAULT_ZIP_LIMITS,
  maxRows: 5_000,
  maxColumns: 64,
  maxCellChars: 32_767,
  maxMillis: 5_000,
};

const MAIN_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml';
const decoder = new TextDecoder('utf-8', { fatal: false });

export class SafeWorkbook {
  readonly sheetNames: string[];
  private readonly sheetParts = new Map<string, string>();
  /** Each read (the package, then each sheet) has `maxMillis` of its own. */
  private deadline: number;
  private sharedStrings: string[] | undefined;
  private styles: Array<'percent' | 'date' | undefined> | undefined;
  /** Document title (docProps/core.xml), when there is one. */
  readonly title: string | undefined;

  constructor(
    bytes: Uint8Array,
    private readonly file: string,
    private readonly limits: XlsxLimits = DEFAULT_XLSX_LIMITS,
  ) {
    this.deadline = Date.now() + limits.maxMillis;
    if (/\.xl[sa]m$/i.test(file)) throw bidFileError('unsupported', file, 'macro-enabled workbooks (.xlsm) are not accepted; send the .xlsx file');
    this.zip = new SafeZip(bytes, limits, file);
    const names = this.zip.names();
    const types = this.text('[Content_Types].xml');
    if (types === undefined) throw bidFileError('unsupported', file, 'not an .xlsx workbook (no [Content_Types].xml)');
    if (/macroEnabled/i.test(types) || names.some((n) => /vbaProject\.bin$/i.test(n) || /\.bin$/i.test(n) && /^xl\/activeX\//i.test(n))) {
      throw bidFileError('unsupported', file, 'the workbook contains macros; send the .xlsx file as Cahier generated it');
    }
    if (!types.includes(MAIN_TYPE)) throw bidFileError('unsupported', file, 'not an .xlsx workbook (another kind of Office package)');
    if (names.some((n) => n.startsWith('xl/externalLinks/'))) {
      throw bidFileError('invalid', file, 'the workbook links to other workbooks (external links); remove them and send it again');
    }
    const rels = this.text('xl/_rels/workbook.xml.rels') ?? '';
    if (/\/externalLink"/.test(rels) || /TargetMode\s*=\s*"External"/i.test(rels)) {
      throw bidFileError('invalid', file, 'the workbook links to other workbooks (external links); remove them and send it again');
    }
    const targets = new Map<string, string>();
    for (const m of rels.matchAll(/<Relationship\b([^>]*)\/?>/g)) {
      const id = attribute(m[1]!, 'Id');
      const target = attribute(m[1]!, 'Target');
      if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
    }
    const book = this.text('xl/workbook.xml');
    if (book === undefined) throw bidFileError('unsupported', file, 'not an .xlsx workbook (no xl/workbook.xml)');
    this.sheetNames = [];
    for (const m of book.matchAll(/<sheet\b([^>]*)\/?>/g)) {
      const name = attribute(m[1]!, 'name');
      const id = attribute(m[1]!, 'r:id');
      if (name === undefined || id === undefined) continue;
      this.sheetNames.push(name);
      const part = targets.get(id);
      if (part) this.sheetParts.set(name, part);
    }
    const core = this.zip.has('docProps/core.xml') ? this.text('docProps/core.xml') : undefined;
    const title = core?.match(/<dc:title>([^<]*)<\/dc:title>/)?.[1];
    this.title = title === undefined ? undefined : unescapeXml(title);
  }

  private readonly zip: SafeZip;

  /** The cells of a sheet; undefined when the workbook has no sheet of that name. */
  sheet(name: string): SheetCells | undefined {
    const part = this.sheetParts.get(name);
    if (part === undefined) return undefined;
    this.deadline = Date.now() + this.limits.maxMillis;
    const xml = this.text(part);
    if (xml === undefined) throw bidFileError('invalid', `${this.file}!${name}`, 'the sheet is missing from the package');
    const cells: SheetCells = new Map();
    const strings = () => (this.sharedStrings ??= this.readSharedStrings());
    let n = 0;
    for (const element of elements(xml, 'c', `${this.file}!${name}`)) {
      if (++n % 2048 === 0) this.checkTime();
      const { attributes, inner } = element;
      const ref = attribute(attributes, 'r');
      const position = ref === undefined ? undefined : parseRef(ref);
      if (ref === undefined || position === undefined) throw bidFileError('invalid', `${name}`, 'a cell has no address');
      const path = `${name}!${ref}`;
      if (position.row > this.limits.maxRows) {
        throw bidFileError('invalid', path, `the sheet goes beyond row ${this.limits.maxRows}`);
      }
      if (position.column > this.limits.maxColumns) throw bidFileError('invalid', path, `the sheet goes beyond column ${this.limits.maxColumns}`);
      // XML escapes take up to 6 characters per character: beyond that the cell is too long whatever it holds.
      if (inner.length > this.limits.maxCellChars * 6 + 512) {
        throw bidFileError('invalid', path, `the cell holds more than ${this.limits.maxCellChars} characters`);
      }
      const type = attribute(attributes, 't') ?? 'n';
      const formulaMatch = inner.match(/<f\b[^>]*?(?:\/>|>([\s\S]*?)<\/f>)/);
      const value = inner.match(/<v\b[^>]*>([\s\S]*?)<\/v>/)?.[1];
      let text: string;
      let kind: CellKind;
      if (type === 's') {
        const index = Number(value);
        const shared = Number.isInteger(index) ? strings()[index] : undefined;
        if (shared === undefined) throw bidFileError('invalid', path, 'the cell points to a shared string that does not exist');
        text = shared;
        kind = 'string';
      } else if (type === 'inlineStr') {
        text = richText(inner);
        kind = 'string';
      } else if (type === 'str') {
        text = decodeXstring(unescapeXml(value ?? ''));
        kind = 'string';
      } else if (type === 'b') {
        text = value === '1' ? 'TRUE' : 'FALSE';
        kind = 'boolean';
      } else if (type === 'e') {
        text = unescapeXml(value ?? '');
        kind = 'error';
      } else {
        if (value === undefined && !formulaMatch) continue;
        text = unescapeXml(value ?? '');
        kind = 'number';
      }
      if (text.length > this.limits.maxCellChars) {
        throw bidFileError('invalid', path, `the cell holds ${text.length} characters; at most ${this.limits.maxCellChars} are accepted`);
      }
      if (text === '' && !formulaMatch) continue;
      const cell: SheetCell = { ref, row: position.row, column: position.column, kind, text };
      if (formulaMatch) cell.formula = formulaMatch[1] === undefined ? '(formule partagée)' : decodeXstring(unescapeXml(formulaMatch[1]));
      const style = kind === 'number' ? attribute(attributes, 's') : undefined;
      if (style !== undefined) {
        const shownAs = (this.styles ??= this.readStyles())[Number(style)];
        if (shownAs !== undefined) cell.shownAs = shownAs;
      }
      let row = cells.get(position.row);
      if (!row) cells.set(position.row, (row = new Map()));
      row.set(position.column, cell);
    }
    return cells;
  }

  /**
   * How each cell style (its index, a cell's `s`) shows a number, when it shows it as a percentage
   * or a date rather than as written: built-in formats 9-10 (percent), 14-22 and 45-47 (dates and
   * times), or a custom format whose code has « % », or day, month or year letters, outside quotes.
   */
  private readStyles(): Array<'percent' | 'date' | undefined> {
    if (!this.zip.has('xl/styles.xml')) return [];
    const xml = this.text('xl/styles.xml')!;
    const custom = new Map<number, string>();
    for (const m of xml.matchAll(/<numFmt\b([^>]*)\/?>/g)) {
      const id = attribute(m[1]!, 'numFmtId');
      const code = attribute(m[1]!, 'formatCode');
      if (id !== undefined && code !== undefined) custom.set(Number(id), code);
    }
    const shownAs = (id: number): 'percent' | 'date' | undefined => {
      const code = custom.get(id);
      if (code === undefined) return id === 9 || id === 10 ? 'percent' : (id >= 14 && id <= 22) || (id >= 45 && id <= 47) ? 'date' : undefined;
      const bare = code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '');
      return bare.includes('%') ? 'percent' : /[dmyhs]/i.test(bare.replace(/General/gi, '')) ? 'date' : undefined;
    };
    const xfs = xml.match(/<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/)?.[1] ?? '';
    return [...xfs.matchAll(/<xf\b([^>]*?)\/?>/g)].map((m) => shownAs(Number(attribute(m[1]!, 'numFmtId') ?? 0)));
  }

  private readSharedStrings(): string[] {
    if (!this.zip.has('xl/sharedStrings.xml')) return [];
    const xml = this.text('xl/sharedStrings.xml')!;
    const out: string[] = [];
    let n = 0;
    for (const element of elements(xml, 'si', `${this.file}:xl/sharedStrings.xml`)) {
      if (++n % 2048 === 0) this.checkTime();
      out.push(richText(element.inner));
    }
    return out;
  }

  /** A part as text; parts other than sheets and shared strings are small, and bounded to 1 MB. */
  private text(name: string): string | undefined {
    this.checkTime();
    const bytes = this.zip.read(name);
    if (bytes === undefined) return undefined;
    const large = /^xl\/(worksheets\/|sharedStrings\.xml$)/.test(name);
    if (!large && bytes.length > 1024 * 1024) throw bidFileError('too-large', `${this.file}:${name}`, 'this part of the package is far larger than an answer file needs');
    const xml = decoder.decode(bytes);
    if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw bidFileError('invalid', `${this.file}:${name}`, 'the package declares a DTD or entities, which an .xlsx never needs');
    return xml;
  }

  private checkTime(): void {
    if (Date.now() > this.deadline) throw bidFileError('invalid', this.file, `reading the workbook took more than ${this.limits.maxMillis} ms for one part`);
  }
}

/**
 * The elements `<tag …>…</tag>` and `<tag …/>` of a part, in order, found with indexOf so the scan
 * stays linear whatever the bidder wrote (a lazy regular expression over an unclosed element
 * would rescan the rest of the part at every start). The element must not nest in itself.
 */
function* elements(xml: string, tag: string, path: string): Generator<{ attributes: string; inner: string }> {
  const open = `<${tag}`;
  const close = `</${tag}>`;
  let at = xml.indexOf(open);
  while (at >= 0) {
    const after = xml.charCodeAt(at + open.length);
    // `<c` must be followed by a space, `>` or `/` (not `<col`, `<cfRule`).
    if (after !== 32 && after !== 62 && after !== 47 && after !== 9 && after !== 10 && after !== 13) {
      at = xml.indexOf(open, at + open.length);
      continue;
    }
    const end = xml.indexOf('>', at);
    if (end < 0) throw bidFileError('invalid', path, `damaged XML (unclosed <${tag}>)`);
    if (xml.charCodeAt(end - 1) === 47) {
      yield { attributes: xml.slice(at + open.length, end - 1), inner: '' };
      at = xml.indexOf(open, end);
      continue;
    }
    const closing = xml.indexOf(close, end);
    if (closing < 0) throw bidFileError('invalid', path, `damaged XML (no </${tag}>)`);
    yield { attributes: xml.slice(at + open.length, end), inner: xml.slice(end + 1, closing) };
    at = xml.indexOf(open, closing + close.length);
  }
}

/** Text of a string item: its <t> runs, phonetic runs (<rPh>) left out. */
function richText(xml: string): string {
  let plain = xml;
  for (let at = plain.indexOf('<rPh'); at >= 0; at = plain.indexOf('<rPh', at)) {
    const end = plain.indexOf('</rPh>', at);
    plain = end < 0 ? plain.slice(0, at) : plain.slice(0, at) + plain.slice(end + '</rPh>'.length);
  }
  let text = '';
  for (const t of elements(plain, 't', 'string')) text += t.inner;
  return decodeXstring(unescapeXml(text));
}

/**
 * A string as the spreadsheet shows it, from SpreadsheetML's escaped form (ECMA-376 Part 1,
 * 22.9.2.19 ST_Xstring): « _xHHHH_ » stands for the UTF-16 code unit HHHH. Excel writes a carriage
 * return as « _x000D_ », a control character likewise, and a literal « _x0041_ » with its first
 * underscore escaped, « _x005F_x0041_ ». One pass from left to right, so an escaped underscore is
 * never read again as the start of an escape; a surrogate left unpaired becomes U+FFFD.
 */
export function decodeXstring(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_all, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(LONE_SURROGATE, '\uFFFD');
}
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function attribute(attributes: string, name: string): string | undefined {
  const m = attributes.match(new RegExp(`(?:^|\\s)${name.replace(':', '\\:')}\\s*=\\s*"([^"]*)"`));
  return m ? unescapeXml(m[1]!) : undefined;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: '\'' };

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|lt|gt|amp|quot|apos);/g, (all, entity: string) => {
    if (entity.startsWith('#x')) return safeCodePoint(parseInt(entity.slice(2), 16), all);
    if (entity.startsWith('#')) return safeCodePoint(parseInt(entity.slice(1), 10), all);
    return ENTITIES[entity]!;
  });
}

function safeCodePoint(code: number, fallback: string): string {
  return code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

/** « F12 » → row 12, column 6. */
export function parseRef(ref: string): { row: number; column: number } | undefined {
  const m = /^\$?([A-Z]{1,3})\$?(\d{1,7})$/.exec(ref);
  if (!m) return undefined;
  let column = 0;
  for (const ch of m[1]!) column = column * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]), column };
}
