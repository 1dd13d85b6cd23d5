/**
 * Writes a Spreadsheet (spreadsheet.ts) as an .xlsx package: [Content_Types].xml, the
 * relationships, docProps core and app, xl/workbook.xml, a part per sheet (with its notes),
 * xl/styles.xml and xl/sharedStrings.xml, zipped with fflate. Deterministic: the bytes depend on
 * the model and its date only (every zip entry and docProps date is `createdAt`).
 *
 * In memory (packSpreadsheet) for the bidder templates, whose size is bounded by the tender; or
 * streamed (streamSpreadsheet) for reports whose last sheet grows with a catalogue: those rows
 * are written as they come, as inline strings without style, and compressed on the way, so the
 * memory held is a batch of rows and the deflate window, not the workbook.
 *
 * Text is escaped for XML 1.0 and characters XML 1.0 cannot hold (control characters, lone
 * surrogates, U+FFFE, U+FFFF) are dropped; a carriage return is kept as a character reference
 * (a parser turns a literal one into a line feed) and a literal « _x0041_ » is escaped as
 * « _x005F_x0041_ », since spreadsheets read that pattern as an escaped character.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Zip, ZipDeflate } from 'fflate';
import { APP_PROPERTIES_OPEN, coreDates, CORE_PROPERTIES_OPEN, writePackage, zipDate, type PackageParts } from '#src/adapters/render/office-package.ts';
import { XML_DECLARATION, xmlSafe } from '#src/adapters/render/xml-text.ts';
import { cellRef, quoteSheet, type Cell, type CellStyle, type CellValue, type Spreadsheet, type Worksheet } from './spreadsheet.ts';

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const DEFAULT_FONT = { name: 'Calibri', family: 2, size: 11 } as const;
/** Number formats every spreadsheet knows by id (ECMA-376 part 1, 18.8.30). */
const BUILTIN_FORMATS: Readonly<Record<string, number>> = { General: 0, '0': 1, '0.00': 2, '#,##0': 3, '#,##0.00': 4, '0%': 9, '0.00%': 10 };

/** Element content. */
function escapeText(text: string): string {
  return xmlSafe(text).replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
}

/** Attribute value, double-quoted. */
function escapeAttribute(text: string): string {
  return xmlSafe(text).replace(/[&<>"\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A <t> element of a shared or inline string. */
function textElement(text: string): string {
  // Every underscore that opens an « _xHHHH_ », overlapping ones included (« _x0041_x0041_ »).
  const escaped = escapeText(text).replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_');
  return /^\s|\s$/.test(escaped) || escaped.includes('&#13;') ? `<t xml:space="preserve">${escaped}</t>` : `<t>${escaped}</t>`;
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`a cell cannot hold ${n}`);
  return String(n);
}

/** Days since 1899-12-30, the 1900 date system's serial number. */
function dateSerial(date: Date): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError('a cell cannot hold an invalid date');
  return ms / 86_400_000 + 25_569;
}

/** JSON with sorted keys at every depth: equal styles, equal keys. */
function canonical(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/** The deduplicated tables of styles.xml: each distinct cell style is one xf. */
class StyleTable {
  private readonly fonts = new Map<string, number>([['{}', 0]]);
  private readonly fills = new Map<string, number>();
  private readonly borders = new Map<string, number>();
  private readonly formats = new Map<string, number>();
  private readonly xfs = new Map<string, number>([['{}', 0]]);
  private readonly xfXml = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'];
  private readonly dxfs: string[] = [];
  private readonly fontXml = new Map<number, NonNullable<CellStyle['font']>>();

  xf(style: CellStyle): number {
    const key = canonical(style);
    const known = this.xfs.get(key);
    if (known !== undefined) return known;
    const font = style.font ? this.index(this.fonts, canonical(style.font)) : 0;
    if (style.font) this.fontXml.set(font, style.font);
    const fill = style.fill === undefined ? 0 : 2 + this.index(this.fills, style.fill);
    const border = style.border === undefined ? 0 : 1 + this.index(this.borders, style.border);
    const format = style.numFmt === undefined ? 0 : (BUILTIN_FORMATS[style.numFmt] ?? 164 + this.index(this.formats, style.numFmt));
    const a = style.alignment;
    const alignment = a
      ? `<alignment${a.horizontal ? ` horizontal="${a.horizontal}"` : ''}${a.vertical ? ` vertical="${a.vertical === 'middle' ? 'center' : a.vertical}"` : ''}${a.wrapText ? ' wrapText="1"' : ''}${a.indent ? ` indent="${a.indent}"` : ''}/>`
      : '';
    const protection = style.unlocked ? '<protection locked="0"/>' : '';
    const applied = [format && 'applyNumberFormat', font && 'applyFont', fill && 'applyFill', border && 'applyBorder', alignment && 'applyAlignment', protection && 'applyProtection']
      .filter(Boolean)
      .map((name) => ` ${name}="1"`)
      .join('');
    const inner = alignment + protection;
    this.xfXml.push(`<xf numFmtId="${format}" fontId="${font}" fillId="${fill}" borderId="${border}" xfId="0"${applied}${inner ? `>${inner}</xf>` : '/>'}`);
    this.xfs.set(key, this.xfXml.length - 1);
    return this.xfXml.length - 1;
  }

  /** A conditional format's fill, as a dxf index. */
  dxf(fill: string): number {
    this.dxfs.push(`<dxf><fill><patternFill patternType="solid"><bgColor rgb="${escapeAttribute(fill)}"/></patternFill></fill></dxf>`);
    return this.dxfs.length - 1;
  }

  private index(table: Map<string, number>, key: string): number {
    let i = table.get(key);
    if (i === undefined) table.set(key, (i = table.size));
    return i;
  }

  xml(): string {
    const formats = [...this.formats].map(([code, i]) => `<numFmt numFmtId="${164 + i}" formatCode="${escapeAttribute(code)}"/>`);
    const fonts = [...this.fonts.values()].map((i) => {
      const f = this.fontXml.get(i) ?? {};
      const color = f.color ? `<color rgb="${escapeAttribute(f.color)}"/>` : '';
      return `<font>${f.bold ? '<b/>' : ''}${f.italic ? '<i/>' : ''}<sz val="${f.size ?? DEFAULT_FONT.size}"/>${color}<name val="${DEFAULT_FONT.name}"/><family val="${DEFAULT_FONT.family}"/></font>`;
    });
    const fills = [
      '<fill><patternFill patternType="none"/></fill>',
      '<fill><patternFill patternType="gray125"/></fill>',
      ...[...this.fills.keys()].map((rgb) => `<fill><patternFill patternType="solid"><fgColor rgb="${escapeAttribute(rgb)}"/><bgColor indexed="64"/></patternFill></fill>`),
    ];
    const borders = [
      '<border><left/><right/><top/><bottom/><diagonal/></border>',
      ...[...this.borders.keys()].map((rgb) => {
        const side = (name: string) => `<${name} style="thin"><color rgb="${escapeAttribute(rgb)}"/></${name}>`;
        return `<border>${side('left')}${side('right')}${side('top')}${side('bottom')}<diagonal/></border>`;
      }),
    ];
    const list = (name: string, items: string[]) => `<${name} count="${items.length}">${items.join('')}</${name}>`;
    return (
      `${XML_DECLARATION}<styleSheet xmlns="${MAIN_NS}">` +
      (formats.length > 0 ? list('numFmts', formats) : '') +
      list('fonts', fonts) +
      list('fills', fills) +
      list('borders', borders) +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      list('cellXfs', this.xfXml) +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
      list('dxfs', this.dxfs) +
      '</styleSheet>'
    );
  }
}

class SharedStrings {
  private readonly index = new Map<string, number>();
  private readonly items: string[] = [];
  private count = 0;

  add(key: string, item: () => string): number {
    this.count += 1;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.items.push(item()) - 1;
      this.index.set(key, i);
    }
    return i;
  }

  xml(): string {
    return `${XML_DECLARATION}<sst xmlns="${MAIN_NS}" count="${this.count}" uniqueCount="${this.items.length}">${this.items.join('')}</sst>`;
  }
}

interface Context {
  styles: StyleTable;
  strings: SharedStrings;
}

function cellXml(ref: string, cell: Cell, context: Context): string {
  const style = Object.keys(cell.style).length > 0 ? context.styles.xf(cell.style) : 0;
  const s = style > 0 ? ` s="${style}"` : '';
  const value: CellValue = cell.value;
  if (value === null) return `<c r="${ref}"${s}/>`;
  if (typeof value === 'string') {
    return `<c r="${ref}"${s} t="s"><v>${context.strings.add(`s${value}`, () => `<si>${textElement(value)}</si>`)}</v></c>`;
  }
  if (typeof value === 'number') return `<c r="${ref}"${s}><v>${numberText(value)}</v></c>`;
  if (typeof value === 'boolean') return `<c r="${ref}"${s} t="b"><v>${value ? 1 : 0}</v></c>`;
  if (value instanceof Date) return `<c r="${ref}"${s}><v>${numberText(dateSerial(value))}</v></c>`;
  if ('richText' in value) {
    const runs = value.richText;
    const index = context.strings.add(`r${JSON.stringify(runs)}`, () => {
      const font = `<rFont val="${DEFAULT_FONT.name}"/><family val="${DEFAULT_FONT.family}"/>`;
      return `<si>${runs.map((r) => `<r><rPr>${font}${r.bold ? '<b/>' : ''}<sz val="${DEFAULT_FONT.size}"/></rPr>${textElement(r.text)}</r>`).join('')}</si>`;
    });
    return `<c r="${ref}"${s} t="s"><v>${index}</v></c>`;
  }
  const formula = `<f>${escapeText(value.formula)}</f>`;
  const result = value.result;
  if (result === undefined) return `<c r="${ref}"${s}>${formula}</c>`;
  if (typeof result === 'number') return `<c r="${ref}"${s}>${formula}<v>${numberText(result)}</v></c>`;
  if (typeof result === 'boolean') return `<c r="${ref}"${s} t="b">${formula}<v>${result ? 1 : 0}</v></c>`;
  return `<c r="${ref}"${s} t="str">${formula}<v>${escapeText(result)}</v></c>`;
}

function rowXml(row: number, cells: string, height: number | undefined): string {
  return `<row r="${row}"${height === undefined ? '' : ` ht="${height}" customHeight="1"`}>${cells}</row>`;
}

/** A streamed row: strings inline, numbers as numbers, no style. */
function plainRowXml(row: number, values: ReadonlyArray<string | number>): string {
  let cells = '';
  values.forEach((value, i) => {
    const ref = cellRef(row, i + 1);
    if (typeof value === 'number') cells += `<c r="${ref}"><v>${numberText(value)}</v></c>`;
    else if (value !== '') cells += `<c r="${ref}" t="inlineStr"><is>${textElement(value)}</is></c>`;
  });
  return rowXml(row, cells, undefined);
}

interface SheetXml {
  head: string;
  /** The next row number after the model's rows. */
  next: number;
  tail: string;
  extraParts: Array<[string, string]>;
}

function sheetXml(sheet: Worksheet, index: number, context: Context): SheetXml {
  const sheetPr = `<sheetPr>${sheet.tabColor ? `<tabColor rgb="${escapeAttribute(sheet.tabColor)}"/>` : ''}${sheet.print ? '<pageSetUpPr fitToPage="1"/>' : ''}</sheetPr>`;
  let pane = '';
  const frozen = sheet.frozen;
  if (frozen) {
    const x = frozen.columns ?? 0;
    const y = frozen.rows;
    const active = x > 0 && y > 0 ? 'bottomRight' : y > 0 ? 'bottomLeft' : 'topRight';
    const topLeft = frozen.topLeftCell ?? cellRef(y + 1, x + 1);
    const activeCell = frozen.activeCell ?? topLeft;
    pane =
      `<pane${x > 0 ? ` xSplit="${x}"` : ''}${y > 0 ? ` ySplit="${y}"` : ''} topLeftCell="${topLeft}" activePane="${active}" state="frozen"/>` +
      `<selection pane="${active}" activeCell="${activeCell}" sqref="${activeCell}"/>`;
  }
  const view = `<sheetViews><sheetView${index === 0 ? ' tabSelected="1"' : ''} workbookViewId="0">${pane}</sheetView></sheetViews>`;
  const cols = sheet.widths.flatMap((width, i) => (width === undefined ? [] : [`<col min="${i + 1}" max="${i + 1}" width="${width}" customWidth="1"/>`]));
  let body = '';
  const numbers = sheet.rowNumbers();
  for (const r of numbers) {
    const cells = sheet.rows.get(r)!;
    const columns = [...cells.keys()].sort((a, b) => a - b);
    body += rowXml(r, columns.map((c) => cellXml(cellRef(r, c), cells.get(c)!, context)).join(''), sheet.heights.get(r));
  }
  const head =
    `${XML_DECLARATION}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">${sheetPr}${view}<sheetFormatPr defaultRowHeight="15"/>` +
    (cols.length > 0 ? `<cols>${cols.join('')}</cols>` : '') +
    `<sheetData>${body}`;

  let tail = '</sheetData>';
  if (sheet.protection) {
    tail += `<sheetProtection sheet="1" objects="1" scenarios="1" formatColumns="0" formatRows="0"${sheet.protection.autoFilter ? ' autoFilter="0"' : ''}/>`;
  }
  if (sheet.autoFilter) tail += `<autoFilter ref="${sheet.autoFilter}"/>`;
  if (sheet.merges.length > 0) tail += `<mergeCells count="${sheet.merges.length}">${sheet.merges.map((m) => `<mergeCell ref="${m}"/>`).join('')}</mergeCells>`;
  let priority = 0;
  for (const format of sheet.conditionalFormats) {
    const rules = format.rules.map(
      (rule) =>
        `<cfRule type="expression" dxfId="${context.styles.dxf(rule.fill)}" priority="${++priority}"${rule.stopIfTrue ? ' stopIfTrue="1"' : ''}><formula>${escapeText(rule.formula)}</formula></cfRule>`,
    );
    tail += `<conditionalFormatting sqref="${format.range}">${rules.join('')}</conditionalFormatting>`;
  }
  if (sheet.validations.length > 0) {
    const items = sheet.validations.map((v) => {
      const attributes: Array<[string, string | boolean | undefined]> = [
        ['type', v.type],
        ['errorStyle', v.errorStyle],
        ['operator', v.operator],
        ['allowBlank', v.allowBlank],
        ['showInputMessage', v.showInputMessage],
        ['showErrorMessage', v.showErrorMessage],
        ['errorTitle', v.errorTitle],
        ['error', v.error],
        ['promptTitle', v.promptTitle],
        ['prompt', v.prompt],
        ['sqref', v.range],
      ];
      const written = attributes
        .filter(([, value]) => value !== undefined && value !== false)
        .map(([name, value]) => ` ${name}="${value === true ? '1' : escapeAttribute(value as string)}"`)
        .join('');
      return `<dataValidation${written}>${v.formulae.map((f, i) => `<formula${i + 1}>${escapeText(f)}</formula${i + 1}>`).join('')}</dataValidation>`;
    });
    tail += `<dataValidations count="${items.length}">${items.join('')}</dataValidations>`;
  }
  if (sheet.print) {
    tail +=
      '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>' +
      '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>' +
      `<headerFooter><oddFooter>${escapeText(`&L${sheet.print.footer.replaceAll('&', '&&')}&RPage &P / &N`)}</oddFooter></headerFooter>`;
  }
  const extraParts: Array<[string, string]> = [];
  if (sheet.notes.length > 0) {
    const n = index + 1;
    tail += '<legacyDrawing r:id="rId2"/>';
    extraParts.push(
      [
        `xl/worksheets/_rels/sheet${n}.xml.rels`,
        `${XML_DECLARATION}<Relationships xmlns="${PKG_REL_NS}">` +
          `<Relationship Id="rId1" Type="${REL_NS}/comments" Target="../comments${n}.xml"/>` +
          `<Relationship Id="rId2" Type="${REL_NS}/vmlDrawing" Target="../drawings/vmlDrawing${n}.vml"/></Relationships>`,
      ],
      [`xl/comments${n}.xml`, commentsXml(sheet)],
      [`xl/drawings/vmlDrawing${n}.vml`, vmlXml(sheet, n)],
    );
  }
  tail += '</worksheet>';
  return { head, next: (numbers.at(-1) ?? 0) + 1, tail, extraParts };
}

function commentsXml(sheet: Worksheet): string {
  const comments = sheet.notes.map((note) => `<comment ref="${cellRef(note.row, note.column)}" authorId="0"><text><r>${textElement(note.text)}</r></text></comment>`);
  return `${XML_DECLARATION}<comments xmlns="${MAIN_NS}"><authors><author>Cahier</author></authors><commentList>${comments.join('')}</commentList></comments>`;
}

/** The legacy drawing Excel needs to show the notes: a hidden text box per note. */
function vmlXml(sheet: Worksheet, n: number): string {
  const shapes = sheet.notes.map(
    (note, i) =>
      `<v:shape id="_x0000_s${1024 * n + i + 1}" type="#_x0000_t202" style="position:absolute;margin-left:60pt;margin-top:2pt;width:108pt;height:60pt;z-index:${i + 1};visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">` +
      '<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>' +
      '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>' +
      `<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>${note.column}, 15, ${note.row - 1}, 10, ${note.column + 2}, 15, ${note.row + 3}, 4</x:Anchor>` +
      `<x:AutoFill>False</x:AutoFill><x:Row>${note.row - 1}</x:Row><x:Column>${note.column - 1}</x:Column></x:ClientData></v:shape>`,
  );
  return (
    '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">' +
    `<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="${n}"/></o:shapelayout>` +
    '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>' +
    `${shapes.join('')}</xml>`
  );
}

/** The parts that do not depend on the cells: content types, relationships, properties, workbook. */
function frameParts(book: Spreadsheet): Array<[string, string]> {
  const { meta, sheets } = book;
  const withNotes = sheets.flatMap((s, i) => (s.notes.length > 0 ? [i + 1] : []));
  const contentTypes =
    `${XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
    (withNotes.length > 0 ? '<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>' : '') +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    sheets.map((_s, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('') +
    withNotes.map((n) => `<Override PartName="/xl/comments${n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/>`).join('') +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>';
  const rels =
    `${XML_DECLARATION}<Relationships xmlns="${PKG_REL_NS}">` +
    `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/>` +
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
    `<Relationship Id="rId3" Type="${REL_NS}/extended-properties" Target="docProps/app.xml"/></Relationships>`;
  const app =
    `${XML_DECLARATION}${APP_PROPERTIES_OPEN}` +
    `<Application>Cahier</Application><Company>${escapeText(meta.author)}</Company></Properties>`;
  const core =
    `${XML_DECLARATION}${CORE_PROPERTIES_OPEN}` +
    `<dc:title>${escapeText(meta.title)}</dc:title><dc:subject>${escapeText(meta.subject)}</dc:subject><dc:creator>${escapeText(meta.author)}</dc:creator>` +
    `<cp:keywords>${escapeText(meta.keywords.join(', '))}</cp:keywords><cp:lastModifiedBy>Cahier</cp:lastModifiedBy>` +
    (meta.language ? `<dc:language>${escapeText(meta.language)}</dc:language>` : '') +
    `${coreDates(meta.createdAt)}</cp:coreProperties>`;
  const names: string[] = [];
  sheets.forEach((sheet, i) => {
    if (sheet.autoFilter) {
      const [from, to] = sheet.autoFilter.split(':').map((ref) => ref.replace(/^([A-Z]+)(\d+)$/, '$$$1$$$2'));
      names.push(`<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${escapeText(`${quoteSheet(sheet.name)}!${from}:${to ?? from}`)}</definedName>`);
    }
    if (sheet.print) {
      const r = sheet.print.titleRow;
      names.push(`<definedName name="_xlnm.Print_Titles" localSheetId="${i}">${escapeText(`${quoteSheet(sheet.name)}!$${r}:$${r}`)}</definedName>`);
    }
  });
  const workbook =
    `${XML_DECLARATION}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><workbookPr/>` +
    (book.lockStructure ? '<workbookProtection lockStructure="1"/>' : '') +
    '<bookViews><workbookView activeTab="0"/></bookViews>' +
    `<sheets>${sheets.map((s, i) => `<sheet name="${escapeAttribute(s.name)}" sheetId="${i + 1}"${s.state === 'visible' ? '' : ` state="${s.state}"`} r:id="rId${i + 1}"/>`).join('')}</sheets>` +
    (names.length > 0 ? `<definedNames>${names.join('')}</definedNames>` : '') +
    // Readers that trust the cached results see them; Excel recomputes every formula on opening.
    '<calcPr calcId="191029" fullCalcOnLoad="1"/></workbook>';
  const n = sheets.length;
  const workbookRels =
    `${XML_DECLARATION}<Relationships xmlns="${PKG_REL_NS}">` +
    sheets.map((_s, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
    `<Relationship Id="rId${n + 1}" Type="${REL_NS}/styles" Target="styles.xml"/>` +
    `<Relationship Id="rId${n + 2}" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;
  return [
    ['[Content_Types].xml', contentTypes],
    ['_rels/.rels', rels],
    ['docProps/app.xml', app],
    ['docProps/core.xml', core],
    ['xl/workbook.xml', workbook],
    ['xl/_rels/workbook.xml.rels', workbookRels],
  ];
}

/** A part's text, or a sheet's head and tail, between which streamSpreadsheet writes its rows. */
type PartContent = string | SheetXml;

const wholePart = (content: PartContent): string => (typeof content === 'string' ? content : content.head + content.tail);

/**
 * The package's parts in the order both writers zip them: the frame, each sheet followed by its
 * notes, then styles and shared strings, built lazily so they hold every sheet's.
 */
function* packageParts(book: Spreadsheet): Generator<[string, PartContent]> {
  if (book.sheets.length === 0) throw new Error('a workbook needs at least one sheet');
  if (book.sheets[0]!.state !== 'visible') throw new Error('the first sheet of a workbook must be visible');
  const context: Context = { styles: new StyleTable(), strings: new SharedStrings() };
  yield* frameParts(book);
  for (const [i, sheet] of book.sheets.entries()) {
    const xml = sheetXml(sheet, i, context);
    yield [`xl/worksheets/sheet${i + 1}.xml`, xml];
    yield* xml.extraParts;
  }
  yield ['xl/styles.xml', context.styles.xml()];
  yield ['xl/sharedStrings.xml', context.strings.xml()];
}

const encoder = new TextEncoder();

/** The workbook as .xlsx bytes, built in memory. */
export function packSpreadsheet(book: Spreadsheet): Uint8Array {
  const parts: PackageParts = new Map();
  for (const [name, content] of packageParts(book)) parts.set(name, encoder.encode(wholePart(content)));
  return writePackage(parts, book.meta.createdAt);
}

/** Rows of a streamed sheet joined into one deflate push. */
const ROWS_PER_PUSH = 200;

/**
 * Writes the workbook to `out` and ends it, the last sheet followed by `rows` (after its model
 * rows, unstyled: strings inline, numbers as numbers), read once as they come. Waits for `out`
 * to drain whenever it asks, so the memory held is bounded by a batch of rows.
 */
export async function streamSpreadsheet(book: Spreadsheet, out: Writable, rows: AsyncIterable<ReadonlyArray<string | number>>): Promise<void> {
  const mtime = zipDate(book.meta.createdAt);
  const pending: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, data) => {
    if (error) failure = error;
    else pending.push(data);
  });
  const flush = async () => {
    if (failure) throw failure;
    while (pending.length > 0) {
      if (!out.write(pending.shift()!)) await once(out, 'drain');
    }
  };
  const entry = (name: string) => {
    const file = new ZipDeflate(name, { level: 6 });
    file.mtime = mtime;
    zip.add(file);
    return file;
  };
  const streamRows = async (file: ZipDeflate, xml: SheetXml) => {
    file.push(encoder.encode(xml.head));
    let row = xml.next;
    let batch = '';
    let count = 0;
    for await (const values of rows) {
      batch += plainRowXml(row++, values);
      if (++count % ROWS_PER_PUSH === 0) {
        file.push(encoder.encode(batch));
        batch = '';
        await flush();
      }
    }
    file.push(encoder.encode(batch + xml.tail), true);
  };
  const lastSheet = `xl/worksheets/sheet${book.sheets.length}.xml`;
  for (const [name, content] of packageParts(book)) {
    if (name === lastSheet && typeof content !== 'string') await streamRows(entry(name), content);
    else entry(name).push(encoder.encode(wholePart(content)), true);
    await flush();
  }
  zip.end();
  await flush();
  out.end();
  if (!out.writableFinished) await once(out, 'finish');
}
