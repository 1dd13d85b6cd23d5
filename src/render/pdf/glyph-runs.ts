/**
 * Writes laid-out lines as PDF text operators, one content-stream write per line, instead of
 * one PDFKit `text()` call per segment.
 *
 * Why: `text()` costs ≈ 14 µs a call (options set-up, re-measuring the string, re-shaping and
 * re-encoding it word by word, one `addContent` per operator), and a 17-page tender makes
 * ≈ 1 800 of them, while text.ts already knows every segment's position. Here each distinct
 * word of a document is encoded once, through PDFKit's own `EmbeddedFont.encode` (which shapes
 * with fontkit, adds the glyphs to the font subset and records their widths and ToUnicode code
 * points exactly as `text()` does), and the encoded word is reused for every occurrence. The
 * operators written are those of PDFKit's `_fragment` (flip the y axis, `Tf`, `Tm`, `TJ` with
 * the same kerning adjustments), so the pages look and extract the same.
 *
 * It relies on three PDFKit 0.20 internals, checked on first use so that another version falls
 * back to `text()` rather than writing wrong output: the document's current font object
 * (`_font`, with `id`, `encode` and `ref`), the current font size (`_fontSize`) and the page's
 * font resources (`page.fonts`). Text whose shaping moves glyphs off the baseline (combining
 * marks) or that contains right-to-left scripts also goes through `text()`.
 */
import type { Face } from './fonts.ts';

/** What this module uses of PDFKit's EmbeddedFont. */
interface EmbeddedFont {
  readonly id: string;
  encode(text: string): [string[], GlyphPosition[]];
  ref(): unknown;
}

interface GlyphPosition {
  xAdvance: number;
  advanceWidth: number;
  xOffset: number;
  yOffset: number;
}

/** PDFKit document internals read here (see the module comment). */
interface PdfInternals {
  _font?: unknown;
  _fontSize?: unknown;
  page?: { fonts?: Record<string, unknown>; height: number };
}

/**
 * One word (with its trailing space) encoded for one document: glyph ids of the document's
 * font subset as hex, split where a kerning adjustment follows. `adjust[i]` follows `hex[i]`;
 * the last group has no adjustment when `adjust` is one shorter than `hex`.
 */
interface EncodedWord {
  readonly hex: readonly string[];
  readonly adjust: readonly string[];
}

/** Per document and face: the embedded font and the words already encoded (null: not drawable here). */
interface DocumentFace {
  readonly font: EmbeddedFont;
  readonly words: Map<string, EncodedWord | null>;
}

const documents = new WeakMap<PDFKit.PDFDocument, Map<Face, DocumentFace | null>>();

/** Text needing PDFKit's full path: right-to-left scripts (see text.ts). */
const RIGHT_TO_LEFT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;

/** A segment of text in one face at an x position (points, from the line's origin). */
export interface PlacedText {
  readonly face: Face;
  readonly text: string;
  readonly x: number;
}

/**
 * Draws `segments`, placed from `originX`, with their baseline at `baseline` (points from the
 * page top) at the current
 * font size and fill colour. Falls back to PDFKit's `text()` (through `fallback`) for any
 * segment it cannot write itself.
 */
export function writeTextLine(
  pdf: PDFKit.PDFDocument,
  segments: readonly PlacedText[],
  originX: number,
  baseline: number,
  fallback: (face: Face, text: string, x: number) => void,
): void {
  const internals = pdf as unknown as PdfInternals;
  const size = internals._fontSize;
  const page = internals.page;
  if (typeof size !== 'number' || !page || typeof page.height !== 'number' || typeof page.fonts !== 'object') {
    for (const seg of segments) if (seg.text !== '') fallback(seg.face, seg.text, originX + seg.x);
    return;
  }
  const y = fmt(page.height - baseline);
  const sizeText = fmt(size);
  let ops = '';
  let currentFont: EmbeddedFont | null = null;
  for (const seg of segments) {
    const encoded = seg.text === '' ? null : encodeSegment(pdf, seg.face, seg.text);
    if (encoded === null) {
      if (seg.text === '') continue;
      if (ops !== '') {
        pdf.addContent(`${ops}ET\nQ`);
        ops = '';
        currentFont = null;
      }
      fallback(seg.face, seg.text, originX + seg.x);
      continue;
    }
    const { font, tj } = encoded;
    if (ops === '') ops = `q\n1 0 0 -1 0 ${fmt(page.height)} cm\nBT\n`;
    if (font !== currentFont) {
      const fonts = page.fonts!;
      if (fonts[font.id] == null) fonts[font.id] = font.ref();
      ops += `/${font.id} ${sizeText} Tf\n`;
      currentFont = font;
    }
    ops += `1 0 0 1 ${fmt(originX + seg.x)} ${y} Tm\n[${tj}] TJ\n`;
  }
  if (ops !== '') pdf.addContent(`${ops}ET\nQ`);
}

/** The TJ array body for `text` in `face`, or null when `text()` must draw it. */
function encodeSegment(pdf: PDFKit.PDFDocument, face: Face, text: string): { font: EmbeddedFont; tj: string } | null {
  if (RIGHT_TO_LEFT.test(text)) return null;
  const docFace = documentFace(pdf, face);
  if (docFace === null) return null;
  let tj = '';
  let pending = '';
  let start = 0;
  while (start < text.length) {
    // Words end after a space, as PDFKit splits them (its shaping cache is keyed so).
    const space = text.indexOf(' ', start);
    const end = space === -1 ? text.length : space + 1;
    const word = wordOf(docFace, text.slice(start, end));
    if (word === null) return null;
    const { hex, adjust } = word;
    for (let i = 0; i < hex.length; i++) {
      pending += hex[i];
      if (i < adjust.length) {
        tj += `${tj === '' ? '' : ' '}<${pending}> ${adjust[i]}`;
        pending = '';
      }
    }
    start = end;
  }
  if (pending !== '') tj += `${tj === '' ? '' : ' '}<${pending}> 0`;
  return { font: docFace.font, tj };
}

function documentFace(pdf: PDFKit.PDFDocument, face: Face): DocumentFace | null {
  let faces = documents.get(pdf);
  if (!faces) {
    faces = new Map();
    documents.set(pdf, faces);
  }
  let docFace = faces.get(face);
  if (docFace === undefined) {
    const font = pdf.font(face.key) && (pdf as unknown as PdfInternals)._font;
    const usable = typeof font === 'object' && font !== null && typeof (font as EmbeddedFont).encode === 'function' && typeof (font as EmbeddedFont).ref === 'function' && typeof (font as EmbeddedFont).id === 'string';
    docFace = usable ? { font: font as EmbeddedFont, words: new Map() } : null;
    faces.set(face, docFace);
  }
  return docFace;
}

function wordOf(docFace: DocumentFace, text: string): EncodedWord | null {
  let word = docFace.words.get(text);
  if (word === undefined) {
    word = encodeWord(docFace.font, text);
    docFace.words.set(text, word);
  }
  return word;
}

/** Encodes a word as `_fragment` does; null if a glyph is moved off its pen position. */
function encodeWord(font: EmbeddedFont, text: string): EncodedWord | null {
  const [glyphs, positions] = font.encode(text);
  const hex: string[] = [];
  const adjust: string[] = [];
  let group = '';
  for (let i = 0; i < positions.length; i++) {
    const pos = positions[i]!;
    if (pos.xOffset || pos.yOffset) return null;
    group += glyphs[i];
    const advance = pos.xAdvance - pos.advanceWidth;
    if (advance !== 0) {
      hex.push(group);
      adjust.push(fmt(-advance));
      group = '';
    }
  }
  if (group !== '') hex.push(group);
  return { hex, adjust };
}

/** Numbers as PDFKit writes them in content streams (at most six decimals). */
function fmt(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}
