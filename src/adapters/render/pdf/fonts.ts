/**
 * DejaVu Sans faces, parsed once per process and per directory with fontkit, plus the width
 * and shaping caches that every document shares.
 *
 * Why: PDFKit's standard fonts (Helvetica) lack ≥, ≤ and the narrow no-break space U+202F
 * that Intl fr-FR puts in amounts, and they cannot be loaded from a bundle. Registering a
 * font as a path or Buffer makes PDFKit re-parse it; passing fontkit Font objects does not.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import type { Glyph, GlyphPosition } from 'fontkit';
import { SizedCache, detach } from '#src/core/model/sized-cache.ts';
import { pairKerning, type KerningScript, type PairKerning } from './kerning.ts';
import { beforeFirstGlyph, deferPostGlyphNames, installSubsetGlyphCache, presetGlyphCodePoints, registerFontObject, shareLayoutCache as useLayoutCache } from './upstream.ts';

export type FaceName = 'regular' | 'bold' | 'italic' | 'boldItalic' | 'mono';

export interface Face {
  readonly name: FaceName;
  /** Name under which the face is registered in each PDFKit document. */
  readonly key: string;
  readonly font: fontkit.Font;
  /** Ascent above and descent below the baseline (positive), in em. */
  readonly ascent: number;
  readonly descent: number;
  /** Strings already shaped (process-wide, bounded by size: see ShapeCache). */
  readonly shapes: ShapeCache;
  /** Latin pairs already shaped (see pairOf), by their two UTF-16 units (first × 65 536 + second); null: not a plain pair. */
  readonly pairs: Map<number, Pair | null>;
  /** fontkit's glyph for each BMP character met by shapeLatinFromPairs (fontkit's own lookup walks the character map each call). */
  readonly glyphs: Map<number, Glyph>;
  /** The font's units per em (a getter reading the head table in fontkit). */
  readonly unitsPerEm: number;
  /** Readers of pair kerning from the face's tables (kerning.ts), by script, made on first use; null: none. */
  readonly kernings: Map<KerningScript, PairKerning | null>;
}

export interface FontSet {
  readonly dir: string;
  readonly faces: Readonly<Record<FaceName, Face>>;
}

const FILES: Readonly<Record<FaceName, string>> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  boldItalic: 'DejaVuSans-BoldOblique.ttf',
  mono: 'DejaVuSansMono.ttf',
};

/** Font file names a fonts directory must contain (for bundling scripts). */
export const FONT_FILES: readonly string[] = Object.values(FILES);

const fontSets = new Map<string, FontSet>();

let packageFontsDir: string | undefined;

/**
 * Directory of the TTF files shipped by the `dejavu-fonts-ttf` package, resolved once per process
 * (every document asks for it; resolving walks the module paths, ≈ 0.2 ms).
 */
export function defaultFontsDir(): string {
  packageFontsDir ??= path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return packageFontsDir;
}

/** The five faces from `dir` (default: the npm package), parsed on first use only. */
export function loadFonts(dir: string = defaultFontsDir()): FontSet {
  const key = path.resolve(dir);
  const cached = fontSets.get(key);
  if (cached) return cached;
  const faces = {} as Record<FaceName, Face>;
  for (const name of Object.keys(FILES) as FaceName[]) {
    const font = fontkit.openSync(path.join(key, FILES[name]));
    beforeFirstGlyph(font, () => createMappedGlyphs(font));
    installSubsetGlyphCache(font);
    deferPostGlyphNames(font);
    faces[name] = { name, key: `Cahier-${name}`, font, ascent: font.ascent / font.unitsPerEm, descent: -font.descent / font.unitsPerEm, shapes: new ShapeCache(MAX_SHAPE_CACHE_BYTES), pairs: new Map(), glyphs: new Map(), unitsPerEm: font.unitsPerEm, kernings: new Map() };
  }
  const set: FontSet = { dir: key, faces };
  fontSets.set(key, set);
  return set;
}

/**
 * fontkit keeps one Glyph object per glyph id, carrying the code points it was first created
 * for, and PDFKit writes those code points into the font's ToUnicode map (what copy-paste and
 * text extraction read). When PDFKit writes a font subset, the components of accented glyphs
 * ("è" = "e" + the grave accent glyph) are created with no code point. With Font objects shared
 * between documents, a later document drawing that component on its own ("`") would then map
 * it to nothing, and the ToUnicode map would depend on what the process rendered before.
 * Creating every glyph of the character map once, with its code point, before any other glyph
 * of the face prevents both; fontkit is told those code points instead (presetGlyphCodePoints),
 * so that each glyph is created when first used with what creating them all would have given it
 * (creating them all cost ≈ 100 ms per process for the five faces; still the fallback, done right
 * before a face's first glyph). Presentation forms (ligatures
 * such as U+FB01 "ﬁ") are left to shaping, which creates them with the code points they stand
 * for ("f", "i").
 */
function createMappedGlyphs(font: fontkit.Font): void {
  // The same glyphs, each created when first used (a cold command draws a few hundred of them).
  if (presetGlyphCodePoints(font, notPresentationForm)) return;
  for (const codePoint of font.characterSet) if (notPresentationForm(codePoint)) font.glyphForCodePoint(codePoint);
}

/** Characters outside the Alphabetic and Arabic presentation forms (U+FB00–FDFF, U+FE70–FEFF). */
export function notPresentationForm(codePoint: number): boolean {
  return !((codePoint >= 0xfb00 && codePoint <= 0xfdff) || (codePoint >= 0xfe70 && codePoint <= 0xfeff));
}

/** Advance width of `text` in em (multiply by the font size), with the same shaping PDFKit uses. */
export function measure(face: Face, text: string): number {
  if (text.length > LONG_TEXT) return measureChars(face, text);
  return shape(face, text).width;
}

/**
 * A string shaped by fontkit in one face, independent of any document: its advance width in em,
 * its glyphs and the kerning adjustments of a TJ operator (in thousandths of an em, as PDFKit
 * writes them) after the glyphs at `adjustAfter`. `offset` is true when shaping moved a glyph off
 * the pen position (combining marks), which the text operators of glyph-runs.ts cannot express.
 */
export interface Shaped {
  readonly width: number;
  readonly glyphs: readonly Glyph[];
  readonly adjustAfter: readonly number[];
  readonly adjust: readonly string[];
  readonly offset: boolean;
}

/**
 * `text` shaped in `face`, once per process while the face's cache holds it. The line breaker
 * measures each word with this and glyph-runs.ts draws the same shaped word, so a word new to
 * the process is shaped once, not once to measure and again to draw.
 */
export function shape(face: Face, text: string): Shaped {
  let shaped = face.shapes.get(text);
  if (shaped === undefined) {
    const { glyphs, positions, advanceWidth } = shapeLatinFromPairs(face, text) ?? face.font.layout(text);
    const scale = 1000 / face.unitsPerEm;
    const adjustAfter: number[] = [];
    const adjust: string[] = [];
    let offset = false;
    for (let i = 0; i < positions.length; i++) {
      const pos = positions[i]!;
      if (pos.xOffset || pos.yOffset) offset = true;
      // Same arithmetic as PDFKit: both advances scaled to thousandths of an em, then subtracted.
      const advance = pos.xAdvance * scale - glyphs[i]!.advanceWidth * scale;
      if (advance !== 0) {
        adjustAfter.push(i);
        adjust.push(fmt(-advance));
      }
    }
    shaped = { width: advanceWidth / face.unitsPerEm, glyphs, adjustAfter, adjust, offset };
    // A word is usually a slice of a line or a paragraph (see detach).
    face.shapes.set(detach(text), shaped);
  }
  return shaped;
}

/** How fontkit shapes two characters side by side: the first one's advance adjustment (font units). */
export interface Pair {
  readonly first: number;
}

/**
 * Latin words: a Latin letter, and otherwise only Latin or Common characters of the BMP; and
 * words of Common characters only (numbers, references, signs), which fontkit shapes with the
 * features of the fonts' default script rather than Latin's.
 */
const LATIN_LETTER = /\p{Script=Latin}/u;
const LATIN_WORD = /^[\p{Script=Latin}\p{Script=Common}]+$/u;
const SURROGATE = /[\ud800-\udfff]/;
/**
 * Beyond this many pairs per face the pair cache starts again (≈ 100 bytes a pair by estimate,
 * more in the heap). 40 000 until 2026-12-07: with the shape cache's bound below, the caches were
 * still filling after 1 000 tenders of unseen words (retained heap 50 → 107 MB, RSS past 300 MB;
 * BENCHMARKS.md « Memory over 1 000 tenders »); French text has a few thousand distinct pairs.
 */
const MAX_PAIRS = 10_000;

/**
 * A Latin word shaped as fontkit shapes it, from its character pairs: each character's glyph
 * from the character map, each advance adjusted by the kerning fontkit applies to the pair it
 * starts. fontkit runs every OpenType lookup over every glyph of every word (≈ 40 µs a word
 * warm, several times that in a fresh process: 60 % of rendering a document of unseen words);
 * a word's pairs repeat across words, so most words need no shaping at all.
 *
 * It holds for DejaVu because, on Latin text, its substitutions (ligatures: fi, ffi…) and
 * positions (pair kerning) look at two glyphs at a time: a pair that shapes to anything but its
 * two mapped glyphs, or that moves the second glyph, sends the word to fontkit whole.
 * A single character is its glyph at its own advance when no lookup can act on it alone
 * (PairKerning's `alone`): digits, signs, « à », spaces, which a document of unseen words meets
 * again each time the shape cache has let them go.
 *
 * test/pdf/upstream.test.ts compares this with fontkit on every word of the examples' documents,
 * on generated words and on every character alone; null when the word does not qualify.
 */
export function shapeLatinFromPairs(face: Face, text: string): { glyphs: Glyph[]; positions: GlyphPosition[]; advanceWidth: number } | null {
  if (text.length === 0 || SURROGATE.test(text) || !LATIN_WORD.test(text)) return null;
  const script: KerningScript = LATIN_LETTER.test(text) ? 'latn' : 'zzzz';
  if (text.length === 1) {
    const codePoint = text.charCodeAt(0);
    const glyph = glyphOf(face, codePoint);
    if (glyph.id === 0 || !kerningOf(face, script)?.alone({ id: glyph.id, codePoint })) return null;
    return kerned([glyph], () => 0);
  }
  const glyphs: Glyph[] = [];
  for (let i = 0; i < text.length; i++) {
    const glyph = glyphOf(face, text.charCodeAt(i));
    if (glyph.id === 0) return null;
    glyphs.push(glyph);
  }
  // A pair that is not plain (« fi ») sends the word to the ligatures' path.
  return kerned(glyphs, (i) => pairOf(face, text.charCodeAt(i), text.charCodeAt(i + 1), script)?.first ?? null) ?? shapeLigated(face, text, glyphs, script);
}

/** `glyphs` at their own advances, each but the last adjusted by `kern(i)`; null as soon as `kern` gives null. */
function kerned(glyphs: Glyph[], kern: (i: number) => number | null): { glyphs: Glyph[]; positions: GlyphPosition[]; advanceWidth: number } | null {
  const positions: GlyphPosition[] = [];
  let advanceWidth = 0;
  for (let i = 0; i < glyphs.length; i++) {
    let xAdvance = glyphs[i]!.advanceWidth;
    if (i + 1 < glyphs.length) {
      const adjust = kern(i);
      if (adjust === null) return null;
      xAdvance += adjust;
    }
    positions.push({ xAdvance, yAdvance: 0, xOffset: 0, yOffset: 0 });
    advanceWidth += xAdvance;
  }
  return { glyphs, positions, advanceWidth };
}

/**
 * A Latin word with ligatures (« filtrage », « offre », « affiche »: ≈ 2 % of French words,
 * and two thirds of a cold CCTP's calls to fontkit's layout) shaped as fontkit shapes it: its
 * glyphs after the ligature substitutions (PairKerning's `ligate`), each ligature created with
 * the characters it stands for, as fontkit creates it (what the ToUnicode map reads), and each
 * advance adjusted by the pair kerning of the glyph after it. null when the tables cannot vouch
 * for the word: fontkit shapes it.
 */
function shapeLigated(face: Face, text: string, mapped: readonly Glyph[], script: KerningScript): { glyphs: Glyph[]; positions: GlyphPosition[]; advanceWidth: number } | null {
  const kerning = kerningOf(face, script);
  const ligated = kerning?.ligate(mapped.map((glyph, i) => ({ id: glyph.id, codePoint: text.charCodeAt(i) })));
  if (!kerning || !ligated) return null;
  const glyphs = ligated.map((g) => {
    const own = g.codePoints.length === 1 ? glyphOf(face, g.codePoints[0]!) : undefined;
    return own?.id === g.id ? own : face.font.getGlyph(g.id, [...g.codePoints]);
  });
  const glyphAt = (i: number) => ({ id: ligated[i]!.id, codePoint: ligated[i]!.codePoints[0]! });
  return kerned(glyphs, (i) => kerning(glyphAt(i), glyphAt(i + 1)));
}

function kerningOf(face: Face, script: KerningScript): PairKerning | null {
  let kerning = face.kernings.get(script);
  if (kerning === undefined) {
    kerning = pairKerning(face.font, script);
    face.kernings.set(script, kerning);
  }
  return kerning;
}

/**
 * Two characters shaped as fontkit shapes them as Latin text; null unless they stay two mapped
 * glyphs and only the first moves. Read from the font's kerning lookups (kerning.ts) when it can
 * vouch for them, which is nearly every pair of French text; otherwise shaped by fontkit.
 */
function pairOf(face: Face, a: number, b: number, script: KerningScript): Pair | null {
  // Above 2³² for the default script: a pair of Common characters shapes differently in a Latin word.
  const key = a * 0x10000 + b + (script === 'latn' ? 0 : 0x100000000);
  let pair = face.pairs.get(key);
  if (pair === undefined) {
    const ga = glyphOf(face, a);
    const gb = glyphOf(face, b);
    const kerning = kerningOf(face, script);
    const first = { id: ga.id, codePoint: a };
    const second = { id: gb.id, codePoint: b };
    const direct = kerning?.(first, second) ?? null;
    // A pair the tables show to ligate (« fi ») is not a plain pair either: no need to ask fontkit.
    pair = direct !== null ? { first: direct } : kerning?.ligate([first, second]) ? null : shapedPair(face, String.fromCharCode(a, b), ga, gb, script);
    if (face.pairs.size >= MAX_PAIRS) face.pairs.clear();
    face.pairs.set(key, pair);
  }
  return pair;
}

/** fontkit's glyph for the BMP character `code` in `face` (the same object fontkit returns each time). */
function glyphOf(face: Face, code: number): Glyph {
  let glyph = face.glyphs.get(code);
  if (glyph === undefined) {
    glyph = face.font.glyphForCodePoint(code);
    face.glyphs.set(code, glyph);
  }
  return glyph;
}

/** The pair `key` (glyphs `ga`, `gb`) shaped by fontkit in `script`; null unless it stays two glyphs of which only the first moves. */
export function shapedPair(face: Face, key: string, ga: Glyph, gb: Glyph, script: KerningScript = 'latn'): Pair | null {
  const { glyphs, positions } = face.font.layout(key, [], script);
  const plain =
    glyphs.length === 2 &&
    glyphs[0]!.id === ga.id &&
    glyphs[1]!.id === gb.id &&
    positions.every((p) => p.xOffset === 0 && p.yOffset === 0 && p.yAdvance === 0) &&
    positions[1]!.xAdvance === gb.advanceWidth;
  return plain ? { first: positions[0]!.xAdvance - ga.advanceWidth } : null;
}

/** Numbers as PDFKit writes them in content streams (at most six decimals). */
export function fmt(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}

/**
 * Bytes of shaped strings each face may keep, by the estimate below (five faces: at most 5 × this).
 * 8 MiB until 2026-12-07, then 2 MiB while the estimate counted about half of what an entry holds;
 * 3.5 MiB since it counts all of it, for the same entries (BENCHMARKS.md « Issue #19, 2026-12-07
 * (late night) »).
 */
const MAX_SHAPE_CACHE_BYTES = 3.5 * 1024 * 1024;

/**
 * Shaped strings by text (see SizedCache). The estimate counts the key (two bytes a UTF-16
 * unit), the arrays (eight bytes a slot: glyphs are shared fontkit objects, owned by the font)
 * and a fixed overhead per entry: the Map's slot, the entry's objects and array headers, 360 bytes
 * as measured (heap freed by emptying the caches after 300 tenders: 0.84–1.09 times the estimate,
 * test/unit/cache-retention.test.ts).
 */
export class ShapeCache extends SizedCache<Shaped> {
  constructor(maxBytes: number) {
    super(maxBytes, (text, shaped) => 360 + text.length * 2 + shaped.glyphs.length * 8 + shaped.adjustAfter.length * 48);
  }
}

/**
 * Sum of the widths of the characters of `text` (no kerning): used for very long strings,
 * which are never worth shaping or caching whole, and when hard-splitting a word.
 */
export function measureChars(face: Face, text: string): number {
  let width = 0;
  for (const ch of text) width += measure(face, ch);
  return width;
}

/** Strings longer than this are measured character by character. */
const LONG_TEXT = 200;

/**
 * Registers the faces in a PDFKit document under their keys and selects the regular face.
 * The document must have been created with `font: null` so that PDFKit never loads Helvetica.
 */
export function registerFonts(pdf: PDFKit.PDFDocument, fonts: FontSet): void {
  for (const face of Object.values(fonts.faces)) {
    registerFontObject(pdf, face.key, face.font);
    pdf.font(face.key);
    shareLayoutCache(pdf, face);
  }
  pdf.font(fonts.faces.regular.key);
}

/** Shaped runs per face, kept across documents (see shareLayoutCache). */
const layoutCaches = new Map<Face, { entries: Record<string, unknown>; documents: number }>();

/** Documents written between two checks of the size of a shared layout cache. */
const CACHE_CHECK_EVERY = 16;
const MAX_CACHED_LAYOUTS = 20_000;

/**
 * PDFKit shapes every word it draws with fontkit (≈ 40 µs each) and caches the result per
 * document, in the `layoutCache` of its font object, keyed by text. The result depends only on
 * the fontkit Font, which is shared, so one cache per face can serve every document: a warm
 * 20-page document then spends no time shaping (only what PDFKit's own `text()` draws: the
 * right-to-left fallback). PDFKit treats cached runs as read-only. The cache is a PDFKit
 * internal (see upstream.ts); without it PDFKit keeps its own per-document cache.
 */
function shareLayoutCache(pdf: PDFKit.PDFDocument, face: Face): void {
  let shared = layoutCaches.get(face);
  if (!shared || (shared.documents % CACHE_CHECK_EVERY === 0 && Object.keys(shared.entries).length > MAX_CACHED_LAYOUTS)) {
    shared = { entries: Object.create(null) as Record<string, unknown>, documents: 0 };
    layoutCaches.set(face, shared);
  }
  if (useLayoutCache(pdf, face.font, shared.entries)) shared.documents += 1;
}
