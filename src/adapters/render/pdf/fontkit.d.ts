/**
 * The small part of fontkit 2 the PDF renderer uses (fontkit ships no type declarations).
 * PDFKit accepts these Font objects wherever it accepts a font source.
 */
declare module 'fontkit' {
  export interface Glyph {
    id: number;
    advanceWidth: number;
    codePoints: number[];
  }

  export interface GlyphPosition {
    xAdvance: number;
    yAdvance: number;
    xOffset: number;
    yOffset: number;
  }

  export interface GlyphRun {
    glyphs: Glyph[];
    positions: GlyphPosition[];
    advanceWidth: number;
  }

  export interface Font {
    postscriptName: string;
    unitsPerEm: number;
    ascent: number;
    descent: number;
    lineGap: number;
    /** Every code point the character map covers. */
    readonly characterSet: number[];
    /** `script`: an OpenType script tag (detected from the text when absent). */
    layout(text: string, features?: string[], script?: string): GlyphRun;
    glyphForCodePoint(codePoint: number): Glyph;
    /** Glyph `id`, created with `codePoints` if the font has not created it yet (one object per id). */
    getGlyph(id: number, codePoints?: number[]): Glyph;
  }

  export function openSync(path: string, postscriptName?: string): Font;
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
