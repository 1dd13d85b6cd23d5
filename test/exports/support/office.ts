/**
 * Reading the Office files back in tests: zip parts with fflate, paragraphs and cells of
 * word/document.xml with small regular expressions (the XML is machine-written and regular),
 * workbooks with exceljs.
 */
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';

const decoder = new TextDecoder();

export function zipParts(bytes: Uint8Array): Map<string, string> {
  return new Map(Object.entries(unzipSync(bytes)).map(([name, data]) => [name, decoder.decode(data)]));
}

/** The DOS date-times of the zip entries (local file headers), as "YYYY-MM-DD hh:mm:ss". */
export function zipEntryTimes(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const times: string[] = [];
  for (let i = 0; i + 30 <= bytes.length; ) {
    if (view.getUint32(i, true) !== 0x04034b50) break;
    const time = view.getUint16(i + 10, true);
    const date = view.getUint16(i + 12, true);
    const compressed = view.getUint32(i + 18, true);
    const nameLength = view.getUint16(i + 26, true);
    const extraLength = view.getUint16(i + 28, true);
    const pad = (n: number) => String(n).padStart(2, '0');
    times.push(
      `${(date >> 9) + 1980}-${pad((date >> 5) & 15)}-${pad(date & 31)} ${pad(time >> 11)}:${pad((time >> 5) & 63)}:${pad((time & 31) * 2)}`,
    );
    i += 30 + nameLength + extraLength + compressed;
  }
  return times;
}

export function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');
}

/** Text of a WordprocessingML fragment: w:t contents, run tabs as "\t". */
export function wordText(xml: string): string {
  let out = '';
  for (const match of xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:tab\/>/g)) {
    out += match[0] === '<w:tab/>' ? '\t' : unescapeXml(match[1]!);
  }
  return out;
}

export interface WordParagraph {
  style: string | null;
  text: string;
}

/** Body paragraphs of word/document.xml in order (table cells included), with their style. */
export function wordParagraphs(documentXml: string): WordParagraph[] {
  const paragraphs: WordParagraph[] = [];
  for (const match of documentXml.matchAll(/<w:p(?:\s[^>]*)?>([\s\S]*?)<\/w:p>/g)) {
    const inner = match[1]!;
    const style = /<w:pStyle w:val="([^"]+)"\/>/.exec(inner)?.[1] ?? null;
    paragraphs.push({ style, text: wordText(inner) });
  }
  return paragraphs;
}

/** Rows of each w:tbl as arrays of cell texts, plus whether the first row is a repeated header. */
export function wordTables(documentXml: string): Array<{ headerRow: boolean; rows: string[][] }> {
  const tables: Array<{ headerRow: boolean; rows: string[][] }> = [];
  for (const table of documentXml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)) {
    const rows = [...table[1]!.matchAll(/<w:tr(?:\s[^>]*)?>([\s\S]*?)<\/w:tr>/g)].map((r) => r[1]!);
    tables.push({
      headerRow: rows.length > 0 && /<w:tblHeader\/>/.test(rows[0]!),
      rows: rows.map((row) => [...row.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((c) => wordText(c[1]!))),
    });
  }
  return tables;
}

export async function readWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return workbook;
}

/** Plain text of a cell value (rich text joined, formulas by their result). */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('formula' in value || 'sharedFormula' in value) return String((value as ExcelJS.CellFormulaValue).result ?? '');
    if (value instanceof Date) return value.toISOString();
    if ('text' in value) return String(value.text);
  }
  return String(value);
}
