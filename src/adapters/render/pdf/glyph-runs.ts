/**
 * Writes laid-out lines as PDF text operators, one content-stream write per line, instead of
 * one PDFKit `text()` call per segment.
 *
 * Why: `text()` costs ≈ 14 µs a call (options set-up, re-measuring the string, re-shaping and
 * re-encoding it word by word, one `addContent` per operator), and a 17-page tender makes
 * ≈ 1 800 of them, while text.ts already knows where every segment goes. Here:
 * - each word (with its trailing space, as PDFKit splits text) is the word the line breaker
 *   measured, shaped once per process and face by fonts.ts (`shape`), followed by the shaped
 *   space: DejaVu neither kerns nor substitutes across a space (test/pdf/shaping.test.ts checks
 *   it for every character of the five faces), so this is what shaping "word " gives, without
 *   shaping each new word a second time;
 * - each distinct word is encoded once per document: its glyphs are added to the document's
 *   font subset and written as hex glyph ids, as PDFKit's `EmbeddedFont.encode` does (same
 *   subset, same widths, same ToUnicode code points);
 * - the operators are those of PDFKit's `_fragment` (`Tf`, `Tm`, `TJ` with the same kerning
 *   adjustments), except that the text matrix flips the glyphs upright in PDFKit's top-down
 *   page space (`1 0 0 -1 x y Tm`, y = the baseline) where `_fragment` wraps each call in
 *   `q 1 0 0 -1 0 H cm … Q`: the same transformation, so pages look and extract as with
 *   `text()`.
 *
 * It relies on PDFKit 0.20 internals, reached through upstream.ts and checked on first use so
 * that another version falls back to `text()` rather than writing wrong output: the document's
 * current font object, the current font size and the page's font resources. Words whose
 * shaping moves glyphs off the pen position (combining marks) and right-to-left text also go
 * through `text()`.
 */
import type { Glyph } from 'fontkit';
import { fmt, shape, type Face } from './fonts.ts';
import { currentFontSize, embeddedFont, pageFontResources, type EmbeddedFont } from './upstream.ts';

export { fmt };

/** A word as the TJ operator writes it: glyphs, and kerning adjustments after `adjustAfter`. */
interface ShapedWord {
  readonly glyphs: readonly Glyph[];
  readonly adjustAfter: readonly number[];
  readonly adjust: readonly string[];
}

/**
 * A word encoded for one document: glyph ids of the document's font subset as hex, split
 * where a kerning adjustment follows: `adjust[i]` follows `hex[i]`; the last group has no
 * adjustment when `adjust` is one shorter than `hex`.
 */
interface EncodedWord {
  readonly hex: readonly string[];
  readonly adjust: readonly string[];
}

/** Per document and face: the embedded font, its glyphs' hex ids and the words encoded. */
interface DocumentFace {
  readonly font: EmbeddedFont;
  /** Hex subset id by glyph id of the full font. */
  readonly glyphHex: (string | undefined)[];
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
 * page top) at the current font size and fill colour. Falls back to PDFKit's `text()`
 * (through `fallback`) for any segment it cannot write itself. `trailing`: a space drawn after
 * the line (invisible; it keeps the words of a wrapped line apart when the text is read back),
 * at `x` = the line's width: written in the last segment's TJ, where the pen already is, rather
 * than placed with its own text matrix (≈ 35 bytes less per wrapped line, a tenth of a tagged
 * CCTP's content streams).
 */
export function writeTextLine(
  pdf: PDFKit.PDFDocument,
  segments: readonly PlacedText[],
  originX: number,
  baseline: number,
  fallback: (face: Face, text: string, x: number) => void,
  trailing?: PlacedText,
): void {
  const size = currentFontSize(pdf);
  const fonts = pageFontResources(pdf);
  if (size === null || fonts === null) {
    for (const seg of segments) if (seg.text !== '') fallback(seg.face, seg.text, originX + seg.x);
    if (trailing) fallback(trailing.face, trailing.text, originX + trailing.x);
    return;
  }
  const y = fmt(baseline);
  const sizeText = fmt(size);
  let ops = '';
  let currentFont: EmbeddedFont | null = null;
  /** Whether the pen stands at the end of what was drawn last (written here, not by `text()`). */
  let penAtEnd = false;
  // The segments, then the trailing space (a loop rather than a closure: this runs for every line).
  const count = segments.length + (trailing ? 1 : 0);
  for (let i = 0; i < count; i++) {
    const seg = i < segments.length ? segments[i]! : trailing!;
    if (seg.text === '') continue;
    const atPen = i === segments.length && penAtEnd;
    const docFace = documentFace(pdf, seg.face);
    const tj = docFace === null ? null : encodeSegment(docFace, seg.face, seg.text);
    if (tj === null) {
      if (ops !== '') {
        write(pdf, ops);
        ops = '';
        currentFont = null;
      }
      fallback(seg.face, seg.text, originX + seg.x);
      penAtEnd = false;
      continue;
    }
    const font = docFace!.font;
    if (ops === '') ops = 'BT\n';
    if (font !== currentFont) {
      if (fonts[font.id] == null) fonts[font.id] = font.ref();
      ops += `/${font.id} ${sizeText} Tf\n`;
      currentFont = font;
    }
    ops += atPen ? `[${tj}] TJ\n` : `1 0 0 -1 ${fmt(originX + seg.x)} ${y} Tm\n[${tj}] TJ\n`;
    penAtEnd = true;
  }
  if (ops !== '') write(pdf, ops);
}

/**
 * Appends a text block to the page's content stream, which bufferPageContents (upstream.ts) keeps
 * as one buffer written natively: a string followed by a line feed, as PDFKit writes strings.
 */
function write(pdf: PDFKit.PDFDocument, ops: string): void {
  pdf.addContent(`${ops}ET`);
}

/** The TJ array body for `text` in `face`, or null when `text()` must draw it. */
function encodeSegment(docFace: DocumentFace, face: Face, text: string): string | null {
  if (RIGHT_TO_LEFT.test(text)) return null;
  let tj = '';
  let pending = '';
  let start = 0;
  while (start < text.length) {
    // Words end after a space, as PDFKit splits them.
    const space = text.indexOf(' ', start);
    const end = space === -1 ? text.length : space + 1;
    const word = encodedWord(docFace, face, text.slice(start, end));
    if (word === null) return null;
    const { hex, adjust } = word;
    for (let i = 0; i < hex.length; i++) {
      pending += hex[i];
      if (i < adjust.length) {
        tj += `${tj === '' ? '' : ' '}(${pending}) ${adjust[i]}`;
        pending = '';
      }
    }
    start = end;
  }
  if (pending !== '') tj += `${tj === '' ? '' : ' '}(${pending}) 0`;
  return tj;
}

function documentFace(pdf: PDFKit.PDFDocument, face: Face): DocumentFace | null {
  let faces = documents.get(pdf);
  if (!faces) {
    faces = new Map();
    documents.set(pdf, faces);
  }
  let docFace = faces.get(face);
  if (docFace === undefined) {
    const font = embeddedFont(pdf, face.key);
    docFace = font ? { font, glyphHex: [], words: new Map() } : null;
    faces.set(face, docFace);
  }
  return docFace;
}

function encodedWord(docFace: DocumentFace, face: Face, text: string): EncodedWord | null {
  let word = docFace.words.get(text);
  if (word === undefined) {
    const shaped = shapedWord(face, text);
    word = shaped === null ? null : encodeWord(docFace, shaped);
    docFace.words.set(text, word);
  }
  return word;
}

/** Adds the word's glyphs to the document's subset, as `EmbeddedFont.encode` does. */
function encodeWord(docFace: DocumentFace, shaped: ShapedWord): EncodedWord {
  const { font, glyphHex } = docFace;
  const hex: string[] = [];
  let group = '';
  let next = 0;
  const { glyphs, adjustAfter } = shaped;
  for (let i = 0; i < glyphs.length; i++) {
    const glyph = glyphs[i]!;
    let glyphId = glyphHex[glyph.id];
    if (glyphId === undefined) {
      const gid = font.subset.includeGlyph(glyph.id);
      if (font.widths[gid] == null) font.widths[gid] = glyph.advanceWidth * font.scale;
      if (font.unicode[gid] == null) font.unicode[gid] = glyph.codePoints;
      glyphId = byteChar(gid >> 8) + byteChar(gid & 0xff);
      glyphHex[glyph.id] = glyphId;
    }
    group += glyphId;
    if (adjustAfter[next] === i) {
      hex.push(group);
      group = '';
      next += 1;
    }
  }
  if (group !== '') hex.push(group);
  return { hex, adjust: shaped.adjust };
}

/**
 * A word as PDFKit's `EmbeddedFont.layoutRun` shapes it; null if a glyph is offset. A word with
 * its trailing space is put together from the word and the space as shaped for measuring.
 */
function shapedWord(face: Face, text: string): ShapedWord | null {
  const last = text.length - 1;
  if (last > 0 && text.charCodeAt(last) === 32 && text.charCodeAt(last - 1) !== 32 && composable(text)) {
    const word = shape(face, text.slice(0, last));
    const space = shape(face, ' ');
    return word.offset || space.offset ? null : withSpace(word, space);
  }
  const shaped = shape(face, text);
  return shaped.offset ? null : shaped;
}

function withSpace(word: ShapedWord, space: ShapedWord): ShapedWord {
  const n = word.glyphs.length;
  return {
    glyphs: [...word.glyphs, ...space.glyphs],
    adjustAfter: [...word.adjustAfter, ...space.adjustAfter.map((i) => i + n)],
    adjust: [...word.adjust, ...space.adjust],
  };
}

/**
 * Characters whose shaping may reach across a following space, or that the tests of every
 * face's characters do not cover: right-to-left scripts (drawn by `text()` anyway), the Arabic
 * mathematical letters of U+1EE00 (DejaVu Sans shapes them with the space), any astral character
 * (a surrogate pair). Words holding one are shaped whole, with their space, as before.
 */
const NOT_COMPOSABLE = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\ud800-\udfff]/;

/** Whether a word followed by a space may be drawn as the word's glyphs and the space's. */
export function composable(text: string): boolean {
  return !NOT_COMPOSABLE.test(text);
}

/**
 * One byte of a PDF literal string, as a character of a latin1 string: the glyph ids are
 * written as two-byte literal strings rather than PDFKit's four hex digits, which halves the
 * content streams to deflate. Parentheses and backslash are escaped, and line ends too (a
 * reader turns a raw CR or CR LF inside a string into LF).
 */
function byteChar(byte: number): string {
  switch (byte) {
    case 0x28:
      return '\\(';
    case 0x29:
      return '\\)';
    case 0x5c:
      return '\\\\';
    case 0x0d:
      return '\\r';
    case 0x0a:
      return '\\n';
    default:
      return String.fromCharCode(byte);
  }
}
