/**
 * Line breaking of styled runs, done here rather than by PDFKit's `text(…, { width })`:
 * the layout needs exact heights before drawing (keep-with-next, table rows, the TOC page
 * count), mixed fonts inside one line (bold, italic, code) and table cells, and words longer
 * than a line split in linear time. The resulting lines are written as text operators by
 * glyph-runs.ts (PDFKit's `text()` only for right-to-left text), so PDFKit never wraps or adds
 * pages by itself.
 *
 * Lines break at ordinary spaces (U+0020), at explicit line feeds and after the dots, hyphens
 * and slashes of long words; never at the no-break spaces of French typography (U+00A0,
 * U+202F), nor at plain spaces that French typography wants unbreakable (see
 * glueFrenchSpaces), nor inside a requirement reference (`L1-TAB-03`, see REFERENCE) or a run
 * marked `noBreak`. Text is left-aligned: PDFKit justifies by splitting on /\s+/, which would
 * drop those no-break spaces from the text.
 */
import type { Run } from '#src/core/documents/blocks.ts';
import { SizedCache, detach } from '#src/core/model/sized-cache.ts';
import { measure, type Face, type FontSet } from './fonts.ts';
import { writeTextLine, type PlacedText } from './glyph-runs.ts';
import { SINGLE_LINE_TEXT_OPTIONS } from './upstream.ts';

/** A measured piece of one word, in one face; width in em. */
interface Piece {
  readonly face: Face;
  readonly text: string;
  readonly width: number;
}

/**
 * Unbreakable sequence of pieces (a word, possibly in several faces), a space, a line feed, or
 * a break opportunity inside a long word (after the dots of "laptop.battery.autonomy").
 */
type Token =
  | { readonly kind: 'box'; readonly pieces: readonly Piece[]; readonly width: number }
  | { readonly kind: 'space'; readonly piece: Piece }
  | { readonly kind: 'soft'; readonly piece: Piece }
  | { readonly kind: 'break'; readonly face: Face };

/** Runs turned into measured tokens once, then laid out at any width and size. */
export interface PreparedText {
  readonly tokens: readonly Token[];
  /** Widest box, in em: the narrowest width that needs no hard split. */
  readonly minWidth: number;
  /** Widest line when only line feeds break, in em. */
  readonly naturalWidth: number;
  /** Width of each line when only line feeds break, in em. */
  readonly hardLines: readonly number[];
}

/** A same-face part of a laid-out line; x and width in points from the line start. */
export interface Segment {
  readonly face: Face;
  text: string;
  readonly x: number;
  width: number;
}

export interface Line {
  readonly segments: Segment[];
  /** Width in points, without trailing spaces. */
  width: number;
  /**
   * The space the line broke at, drawn after the line (invisible, outside `width`) so that text
   * read back from the structure tree or copied keeps its words apart (« de tablettes », not
   * « detablettes »).
   */
  trailing?: Face;
}

export function faceOf(fonts: FontSet, run: Run, forceBold = false): Face {
  const f = fonts.faces;
  if (run.code) return f.mono;
  const bold = forceBold || run.bold === true;
  if (bold && run.italic) return f.boldItalic;
  if (bold) return f.bold;
  if (run.italic) return f.italic;
  return f.regular;
}

const SPLIT = /(\n| +)/;

/**
 * Words longer than this may break after - . / _ \ followed by a letter (identifiers, URLs,
 * compound names), as browsers do after hyphens; shorter ones ("Wi-Fi", "Mbit/s") never do.
 */
const SOFT_BREAK_MIN_LENGTH = 12;
const SOFT_BREAK = /(?<=[\p{L}\p{N}][-./_\\])(?=\p{L})/u;
/** The characters SOFT_BREAK breaks after: a word without any needs no split (the look-behind costs ≈ 1 µs a word). */
const SOFT_BREAK_AFTER = /[-./_\\]/;

/**
 * A requirement reference (`L1-TAB-03`, `L10-WIFI-12`, `TAB-01`: capitals and digits joined by
 * hyphens), possibly inside brackets or before punctuation: a word never broken after its
 * hyphens, so that it reads and copies as one token.
 */
const REFERENCE = /^[\p{Ps}\p{Pi}"']*[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+[\p{Pe}\p{Pf}"'.,;:!?]*$/u;

/**
 * Bytes of prepared texts each font set may keep, by the estimate of preparedCost. A CCTP's cells
 * and paragraphs are mostly the pinned criteria's texts and the templates' fixed wording, the same
 * from one tender to the next: the medium tender's CCTP and note interne prepare ≈ 520 texts,
 * 2.8 MB by this estimate, and each tender of new buyer's texts adds 0.1–0.2 MB. Bounded with the
 * memory goal in mind (BENCHMARKS.md « Memory »: 1 000 tenders in a row under 256 MB).
 */
const MAX_PREPARED_BYTES = 6 * 1024 * 1024;

/** Prepared texts by runs and options, per font set (the tokens hold its faces). */
const preparedTexts = new WeakMap<FontSet, SizedCache<PreparedText>>();

/**
 * What a prepared text is estimated to hold: its key, and each token with its pieces and their
 * texts, 240 bytes as measured (120 until 2026-12-07, half of it; see ShapeCache).
 */
const preparedCost = (key: string, prepared: PreparedText): number => 200 + key.length * 2 + prepared.tokens.length * 240;

/** Run style as one character of a key: bold, italic, code and noBreak as bits. */
const styleCode = (run: Run): string =>
  String.fromCharCode(65 + (run.bold === true ? 1 : 0) + (run.italic === true ? 2 : 0) + (run.code === true ? 4 : 0) + (run.noBreak === true ? 8 : 0));

/** One key per distinct input: each run as its style, its length and its text, so no two inputs share a key. */
function preparedKey(runs: readonly Run[], bold: boolean): string {
  let key = bold ? 'B' : 'R';
  for (const run of runs) key += `${styleCode(run)}${run.text.length}:${run.text}`;
  return key;
}

/**
 * Measures runs once; `bold` forces bold faces (table header cells, headings). The result depends
 * only on the runs, the option and the font set, and is never changed by its users (layout reads
 * it at any width and size): it is kept for the process (see MAX_PREPARED_BYTES), so a text the
 * process has prepared before, in this document or another, is not split and measured again.
 */
export function prepare(runs: readonly Run[], fonts: FontSet, options: { bold?: boolean } = {}): PreparedText {
  let cache = preparedTexts.get(fonts);
  if (!cache) {
    cache = new SizedCache(MAX_PREPARED_BYTES, preparedCost);
    preparedTexts.set(fonts, cache);
  }
  const key = preparedKey(runs, options.bold === true);
  let prepared = cache.get(key);
  if (prepared === undefined) {
    prepared = prepareRuns(runs, fonts, options);
    // The key is a concatenation of the runs' texts, each maybe cut from a larger string (see detach).
    cache.set(detach(key), prepared);
  }
  return prepared;
}

function prepareRuns(runs: readonly Run[], fonts: FontSet, options: { bold?: boolean }): PreparedText {
  const raw: Token[] = [];
  let box: Piece[] = [];
  const closeBox = (): void => {
    if (box.length === 0) return;
    raw.push({ kind: 'box', pieces: box, width: sumWidths(box) });
    box = [];
  };
  for (const run of runs) {
    const face = faceOf(fonts, run, options.bold);
    // The pieces are slices of this text, and the cache keeps them: a copy of its own (see detach).
    const text = detach(run.text.replace(/\r\n?/g, '\n').replace(/\t/g, ' '));
    if (run.noBreak === true) {
      // One piece, glued to the text around it: whitespace folds to single spaces, never a break.
      const whole = text.replace(/\s+/g, ' ');
      if (whole !== '') box.push({ face, text: whole, width: measure(face, whole) });
      continue;
    }
    for (const part of text.split(SPLIT)) {
      if (part === '') continue;
      if (part === '\n') {
        closeBox();
        raw.push({ kind: 'break', face });
      } else if (part.charCodeAt(0) === 32) {
        closeBox();
        // Runs of spaces collapse to one, as in HTML.
        if (raw[raw.length - 1]?.kind !== 'space') raw.push({ kind: 'space', piece: { face, text: ' ', width: measure(face, ' ') } });
      } else if (part.length > SOFT_BREAK_MIN_LENGTH && SOFT_BREAK_AFTER.test(part) && !REFERENCE.test(part)) {
        part.split(SOFT_BREAK).forEach((sub, i) => {
          if (i > 0) {
            closeBox();
            raw.push({ kind: 'soft', piece: { face, text: '', width: 0 } });
          }
          box.push({ face, text: sub, width: measure(face, sub) });
        });
      } else {
        box.push({ face, text: part, width: measure(face, part) });
      }
    }
  }
  closeBox();
  const tokens = glueFrenchSpaces(raw);

  let minWidth = 0;
  let lineWidth = 0;
  const hardLines: number[] = [];
  for (const token of tokens) {
    if (token.kind === 'box') {
      minWidth = Math.max(minWidth, token.width);
      lineWidth += token.width;
    } else if (token.kind === 'space') {
      lineWidth += token.piece.width;
    } else if (token.kind === 'break') {
      hardLines.push(lineWidth);
      lineWidth = 0;
    }
  }
  if (tokens.length > 0) hardLines.push(lineWidth);
  return { tokens, minWidth, naturalWidth: hardLines.reduce((a, b) => Math.max(a, b), 0), hardLines };
}

const sumWidths = (pieces: readonly Piece[]): number => pieces.reduce((w, p) => w + p.width, 0);

/** Punctuation that French typography never separates from the preceding word. */
const NO_BREAK_BEFORE = /^[;:!?»%€]/;
/** Signs never separated from the following word. */
const NO_BREAK_AFTER = /[«≥≤<>=±]$/;

/**
 * Makes ordinary spaces non-breaking where French typography wants a no-break space (before
 * ; : ! ? » and after «, ≥, ≤), so that "année ;" or "≥ 32" never end up split over two lines
 * even when the source text used plain spaces.
 */
function glueFrenchSpaces(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const prev = out[out.length - 1];
    const next = tokens[i + 1];
    if (token.kind === 'space' && prev?.kind === 'box' && next?.kind === 'box') {
      const before = prev.pieces[prev.pieces.length - 1]!.text;
      const after = next.pieces[0]!.text;
      if (NO_BREAK_AFTER.test(before) || NO_BREAK_BEFORE.test(after)) {
        const pieces = [...prev.pieces, token.piece, ...next.pieces];
        out[out.length - 1] = { kind: 'box', pieces, width: sumWidths(pieces) };
        i += 1;
        continue;
      }
    }
    out.push(token);
  }
  return out;
}

/**
 * Hebrew, Arabic and neighbouring right-to-left scripts. Words containing them are drawn by
 * separate text() calls: fontkit orders the glyphs of a right-to-left word itself, but a text
 * item that mixes directions is reordered by PDF readers (pdf.js drops characters such as "<").
 */
const RIGHT_TO_LEFT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;

/** Tolerance for rounding when checking whether something fits, in points. */
const EPSILON = 0.01;

class LineBuilder {
  readonly lines: Line[] = [];
  private current: Line = { segments: [], width: 0 };

  constructor(private readonly size: number) {}

  get width(): number {
    return this.current.width;
  }

  get empty(): boolean {
    return this.current.segments.length === 0;
  }

  /** Appends text measured at `widthEm` (em) to the current line, merging same-face segments. */
  add(face: Face, text: string, widthEm: number): void {
    if (text === '') return;
    const width = widthEm * this.size;
    const segs = this.current.segments;
    const last = segs[segs.length - 1];
    const rtl = RIGHT_TO_LEFT.test(text);
    if (last && last.face === face && !rtl && !this.lastRtl) {
      last.text += text;
      last.width += width;
    } else {
      segs.push({ face, text, x: this.current.width, width });
    }
    this.lastRtl = rtl;
    this.current.width += width;
  }

  private lastRtl = false;

  /** Ends the current line, which broke at a space of `face`. */
  breakAtSpace(face: Face): void {
    this.current.trailing = face;
    this.newLine();
  }

  newLine(): void {
    this.lastRtl = false;
    this.lines.push(this.current);
    this.current = { segments: [], width: 0 };
  }

  finish(): Line[] {
    if (!this.empty) this.newLine();
    return this.lines;
  }
}

/**
 * Breaks prepared text into lines no wider than `width` points at font `size`. A word wider
 * than a line is split between characters (at least one character per line, so this always
 * terminates). An empty text gives no lines.
 */
export function layoutLines(text: PreparedText, width: number, size: number): Line[] {
  const out = new LineBuilder(size);
  const max = Math.max(width, 0) + EPSILON;
  let pendingSpace: Piece | null = null;
  for (const token of text.tokens) {
    if (token.kind === 'break') {
      // A line feed of the text reads back as a space, as a wrapped line does.
      out.breakAtSpace(token.face);
      pendingSpace = null;
    } else if (token.kind === 'space' || token.kind === 'soft') {
      if (!out.empty) pendingSpace = token.piece;
    } else {
      const boxWidth = token.width * size;
      const spaceWidth = pendingSpace ? pendingSpace.width * size : 0;
      if (!out.empty && out.width + spaceWidth + boxWidth <= max) {
        if (pendingSpace) out.add(pendingSpace.face, pendingSpace.text, pendingSpace.width);
      } else if (!out.empty) {
        if (pendingSpace && pendingSpace.text !== '') out.breakAtSpace(pendingSpace.face);
        else out.newLine();
      }
      pendingSpace = null;
      if (out.width + boxWidth <= max) {
        for (const p of token.pieces) out.add(p.face, p.text, p.width);
      } else {
        splitBox(out, token.pieces, max, size);
      }
    }
  }
  return out.finish();
}

/** Places a too-wide word on as many lines as needed, cutting between characters. */
function splitBox(out: LineBuilder, pieces: readonly Piece[], max: number, size: number): void {
  for (const piece of pieces) {
    let chunk = '';
    let chunkWidth = 0;
    for (const ch of piece.text) {
      const w = measure(piece.face, ch);
      if (out.width + (chunkWidth + w) * size > max && (chunk !== '' || !out.empty)) {
        if (chunk !== '') out.add(piece.face, chunk, chunkWidth);
        out.newLine();
        chunk = '';
        chunkWidth = 0;
      }
      chunk += ch;
      chunkWidth += w;
    }
    if (chunk !== '') out.add(piece.face, chunk, chunkWidth);
  }
}

/** Horizontal offset of a line of `lineWidth` inside `boxWidth` for an alignment. */
export function alignOffset(align: 'left' | 'center' | 'right', boxWidth: number, lineWidth: number): number {
  if (align === 'right') return Math.max(0, boxWidth - lineWidth);
  if (align === 'center') return Math.max(0, (boxWidth - lineWidth) / 2);
  return 0;
}

/** Distance from the top of a line box to the baseline, centring the font's extent in the line. */
export function baselineOffset(face: Face, size: number, lineHeight: number): number {
  return (lineHeight - (face.ascent + face.descent) * size) / 2 + face.ascent * size;
}

/**
 * Draws one laid-out line with its baseline at `baseline`, at the current font size and fill
 * colour (see glyph-runs.ts: one content-stream write per line).
 */
export function drawLine(pdf: PDFKit.PDFDocument, line: Line, x: number, baseline: number): void {
  const trailing = line.trailing ? { face: line.trailing, text: ' ', x: line.width } : undefined;
  writeTextLine(pdf, line.segments, x, baseline, (face, text, at) => drawWithPdfKit(pdf, face, text, at, baseline), trailing);
}

/** Marks the last of `lines` as followed by a space of `face` (see Line.trailing); returns `lines`. */
export function endWithSpace(lines: Line[], face: Face): Line[] {
  const last = lines[lines.length - 1];
  if (last) last.trailing = face;
  return lines;
}

/** Draws `text` followed by a space (invisible: keeps it apart from what follows when read back). */
export function drawWord(pdf: PDFKit.PDFDocument, face: Face, text: string, x: number, baseline: number): void {
  drawText(pdf, face, `${text} `, x, baseline);
}

/** Draws `text` in one face on a single line, without any wrapping. */
export function drawText(pdf: PDFKit.PDFDocument, face: Face, text: string, x: number, baseline: number): void {
  SINGLE[0] = { face, text, x: 0 };
  writeTextLine(pdf, SINGLE, x, baseline, (f, t, at) => drawWithPdfKit(pdf, f, t, at, baseline));
}

const SINGLE: PlacedText[] = [];

/** PDFKit's own path, for what glyph-runs.ts does not write itself (right-to-left, marks). */
function drawWithPdfKit(pdf: PDFKit.PDFDocument, face: Face, text: string, x: number, baseline: number): void {
  pdf.font(face.key).text(text, x, baseline, SINGLE_LINE_TEXT_OPTIONS);
}
