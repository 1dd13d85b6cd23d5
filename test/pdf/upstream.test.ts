/**
 * Oracle tests of what the PDF renderer takes from PDFKit and fontkit beyond their documented
 * API (src/adapters/render/pdf/upstream.ts). Each internal has its own named test, and known
 * strings are rendered and read back with their glyph advances, so that upgrading either
 * package fails here, by name, rather than changing the documents silently. The expected
 * values were recorded with pdfkit 0.20.2 and fontkit 2.0.4 and DejaVu Sans 2.37.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { inflateSync } from 'node:zlib';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import type { Block, DocumentModel } from '#src/core/documents/blocks.ts';
import { defaultFontsDir, FONT_FILES, loadFonts, notPresentationForm, registerFonts, ShapeCache, shape as shapeText, shapedPair, shapeLatinFromPairs } from '#src/adapters/render/pdf/fonts.ts';
import { classPairMatrix, markCoverages, pairKerning, type KerningScript } from '#src/adapters/render/pdf/kerning.ts';
import { composable, writeTextLine } from '#src/adapters/render/pdf/glyph-runs.ts';
import { renderPdf } from '#src/adapters/render/pdf/render-pdf.ts';
import { attachFiles, type PdfAttachment } from '#src/adapters/render/pdf/archival.ts';
import {
  addAssociatedFile,
  beforeFirstGlyph,
  bufferPageContents,
  collectOutput,
  compositeComponents,
  currentFontSize,
  embeddedFont,
  deferPostGlyphNames,
  installSubsetGlyphCache,
  NO_DEFAULT_FONT,
  firstCodePoints,
  presetGlyphCodePoints,
  pageFontResources,
  shareLayoutCache,
  UPSTREAM_VERSIONS,
} from '#src/adapters/render/pdf/upstream.ts';
import { sampleDocument } from '../support/sample-document.ts';
import { EXAMPLES, example, generateFrom, realDeps } from '../support/pipeline.ts';
import { pdfText as pdfTextOf } from '../support/pdf-text.ts';

const require = createRequire(import.meta.url);

/** The version in the package.json of an installed package (whose exports hide package.json). */
function installedVersion(name: string): string {
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version: string };
      if (pkg.name === name) return pkg.version;
    } catch {
      // no package.json here
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json of ${name} not found`);
    dir = parent;
  }
}

const UNITS_PER_EM = 2048;

/** A fresh document with the faces registered, on an A4 page. */
function freshDocument(): PDFKit.PDFDocument {
  const pdf = new PDFDocument({ autoFirstPage: false, font: NO_DEFAULT_FONT });
  registerFonts(pdf, loadFonts());
  pdf.addPage({ size: 'A4' });
  return pdf;
}

describe('upstream versions', () => {
  it('pdfkit and fontkit are the versions upstream.ts was written for (re-run these oracles and update it on upgrade)', () => {
    expect({ pdfkit: installedVersion('pdfkit'), fontkit: installedVersion('fontkit') }).toEqual(UPSTREAM_VERSIONS);
  });
});

describe('fontkit 2.0.4 shaping (the widths Cahier lays out with)', () => {
  const { regular, bold } = loadFonts().faces;
  const shape = (face: typeof regular, text: string) => {
    const run = face.font.layout(text);
    return { glyphs: run.glyphs.map((g) => g.id), advances: run.positions.map((p) => p.xAdvance), offsets: run.positions.map((p) => p.xOffset) };
  };

  it('forms the ffi and fi ligatures', () => {
    expect(regular.font.unitsPerEm).toBe(UNITS_PER_EM);
    expect(shape(regular, 'office')).toEqual({ glyphs: [82, 5044, 70, 72], advances: [1253, 1980, 1126, 1260], offsets: [0, 0, 0, 0] });
    expect(shape(bold, 'efficace').glyphs).toEqual([72, 5040, 70, 68, 70, 72]);
    expect(shape(regular, '\ufb01').glyphs).toEqual([5042]);
  });

  it('places a combining acute accent with an offset and no advance', () => {
    expect(shape(regular, 'cafe\u0301')).toEqual({ glyphs: [70, 68, 73, 72, 690], advances: [1126, 1255, 721, 1260, 0], offsets: [0, 0, 0, 0, -86] });
  });

  it('has glyphs and advances for the no-break spaces U+00A0 and U+202F', () => {
    expect(shape(regular, '1\u202f234\u00a0€')).toEqual({
      glyphs: [20, 2834, 21, 22, 23, 98, 2948],
      advances: [1303, 409, 1303, 1303, 1303, 651, 1303],
      offsets: [0, 0, 0, 0, 0, 0, 0],
    });
  });

  it('orders a right-to-left word visually', () => {
    expect(shape(regular, 'שלום')).toEqual({ glyphs: [1332, 1324, 1331, 1344], advances: [1359, 558, 1164, 1451], offsets: [0, 0, 0, 0] });
  });
});

describe('shaping stops at a space (glyph-runs.ts draws "word " as the word measured, then the space)', () => {
  const faces = Object.values(loadFonts().faces);
  const run = (font: fontkit.Font, text: string) => {
    const r = font.layout(text);
    return r.glyphs.map((g, i) => `${g.id}:${r.positions[i]!.xAdvance}:${r.positions[i]!.xOffset}:${r.positions[i]!.yOffset}`);
  };

  it('for every character of the five faces, shaping it with a space gives its glyphs then the space’s', () => {
    // Arrange: each face's characters that composable() lets through.
    for (const face of faces) {
      const space = run(face.font, ' ');
      const broken: string[] = [];
      for (const codePoint of face.font.characterSet) {
        const ch = String.fromCodePoint(codePoint);
        if (!composable(ch)) continue;
        // Act + Assert
        if (run(face.font, `${ch} `).join() !== [...run(face.font, ch), ...space].join()) broken.push(codePoint.toString(16));
      }
      expect(broken, face.name).toEqual([]);
    }
  });

  it('holds for ligatures, kerned pairs and French signs too', () => {
    for (const face of faces) {
      for (const word of ['office', 'efficace', 'AVANT', 'Tél.', '«', 'L’', '1\u202f234\u00a0€', '≥', 'T', 'Wi-Fi', 'y,']) {
        expect(run(face.font, `${word} `).join(), `${face.name} ${word}`).toBe([...run(face.font, word), ...run(face.font, ' ')].join());
      }
    }
  });

  it('keeps words it cannot vouch for whole: right-to-left and astral characters', () => {
    expect(composable('שלום')).toBe(false);
    expect(composable('\u{1ee00}')).toBe(false);
    expect(composable('écran’s')).toBe(true);
  });
});

describe('Latin words shaped from their pairs (fonts.ts) are what fontkit gives', () => {
  const faces = Object.values(loadFonts().faces);
  const glyphsAndAdvances = (run: { glyphs: readonly { id: number }[]; positions: readonly { xAdvance: number; xOffset: number; yOffset: number }[] }) =>
    run.glyphs.map((g, i) => `${g.id}:${run.positions[i]!.xAdvance}:${run.positions[i]!.xOffset}:${run.positions[i]!.yOffset}`).join(' ');
  const compare = (words: Iterable<string>): { shortcut: number; differ: string[] } => {
    let shortcut = 0;
    const differ: string[] = [];
    for (const face of faces) {
      for (const word of words) {
        const fast = shapeLatinFromPairs(face, word);
        if (fast === null) continue;
        shortcut += 1;
        if (glyphsAndAdvances(fast) !== glyphsAndAdvances(face.font.layout(word))) differ.push(`${face.name}: ${word}`);
      }
    }
    return { shortcut, differ };
  };

  it('on every word of the examples’ documents (CCTP, note interne, RC)', async () => {
    // Arrange: the words the renderer measures, as text.ts splits them.
    const words = new Set<string>();
    for (const name of Object.keys(EXAMPLES) as (keyof typeof EXAMPLES)[]) {
      const { documents } = await generateFrom(example(name), await realDeps(), ['pdf', 'note', 'rc']);
      for (const doc of documents.filter((d) => d.name.endsWith('.pdf'))) for (const w of (await pdfTextOf(doc.content)).split(/[\s]+/)) if (w !== '') words.add(w);
    }
    // Act
    const { shortcut, differ } = compare(words);
    // Assert: most words take the shortcut, and none differs.
    expect(shortcut).toBeGreaterThan(words.size * 2);
    expect(differ).toEqual([]);
  }, 120_000);

  it('on generated words: letters, accents, ligature letters, digits, punctuation and French signs', () => {
    // Arrange: a fixed pseudo-random sequence over an alphabet heavy in what shaping changes.
    const alphabet = 'aAbcdeEéÉèêfFfiIjlLnoOœŒrstTuVvWwyY.,;:!?’\'-–«»€%≥≤°0123456789()/\u00a0\u202f';
    let state = 0x2545f491;
    const next = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 8) % alphabet.length;
    const words = Array.from({ length: 6000 }, () => Array.from({ length: 2 + (next() % 7) }, () => alphabet[next()]).join(''));
    // Act
    const { shortcut, differ } = compare(words);
    // Assert
    expect(shortcut).toBeGreaterThan(1000);
    expect(differ).toEqual([]);
  }, 120_000);

  it('on words of Common characters only (numbers, references, signs), which fontkit shapes in the default script', () => {
    // Arrange: a fixed pseudo-random sequence over digits, punctuation and French signs, no letter.
    const alphabet = '0123456789.,;:!?’\'-–—«»€%≥≤°()/×•…\u00a0\u202f';
    let state = 0x1b873593;
    const next = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 8) % alphabet.length;
    const words = ['2026', '1.2', '4.12', '30213200-7', '2016/679', '(2,4', '80 %', '≥ 80', '3.0.1', '»,', ...Array.from({ length: 3000 }, () => Array.from({ length: 2 + (next() % 7) }, () => alphabet[next()]).join(''))];
    // Act
    const { shortcut, differ } = compare(words);
    // Assert
    expect(shortcut).toBeGreaterThan(3000);
    expect(differ).toEqual([]);
  }, 120_000);

  it('shapes words with ligatures from the tables, each ligature glyph created with the characters it stands for', () => {
    // Prepare: faces no process has drawn with (their own directory), and fontkit's own shaping of fresh parses.
    const dir = mkdtempSync(path.join(tmpdir(), 'cahier-fonts-'));
    for (const file of FONT_FILES) symlinkSync(path.join(defaultFontsDir(), file), path.join(dir, file));
    const words = ['office', 'filtrage', 'affiche', 'fl', 'fff', 'ffi', 'Affluence', 'suffit.', 'l’efficacité', 'fi-fl', 'ﬁn'];

    for (const name of ['regular', 'bold', 'italic', 'boldItalic'] as const) {
      const face = loadFonts(dir).faces[name];
      const reference = fontkit.openSync(path.join(defaultFontsDir(), FONT_FILES[Object.keys(loadFonts().faces).indexOf(name)]!));
      for (const word of words) {
        // Act
        const read = shapeLatinFromPairs(face, word);
        const shaped = reference.layout(word);

        // Assess: the same glyphs at the same advances, the ligatures with the same code points.
        expect(read, `${name}: ${word}`).not.toBeNull();
        expect(glyphsAndAdvances(read!), `${name}: ${word}`).toBe(glyphsAndAdvances(shaped));
        expect(read!.glyphs.map((g) => [...g.codePoints]), `${name}: ${word}`).toEqual(shaped.glyphs.map((g) => [...g.codePoints]));
      }
      expect(shapeLatinFromPairs(face, 'office')!.glyphs.length, name).toBe(4);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves to fontkit what it cannot vouch for: combining marks, other scripts, ignorables', () => {
    const { regular } = loadFonts().faces;
    expect(shapeLatinFromPairs(regular, 'cafe\u0301')).toBeNull();
    expect(shapeLatinFromPairs(regular, 'шкала')).toBeNull();
    expect(shapeLatinFromPairs(regular, '\u0301')).toBeNull();
    expect(shapeLatinFromPairs(regular, '\u00ad')).toBeNull();
    expect(shapeLatinFromPairs(regular, 'a')).not.toBeNull();
    expect(shapeLatinFromPairs(regular, 'AVANT')).not.toBeNull();
  });

  it('shapes every Latin and Common character of the five faces alone as fontkit does, or leaves it to fontkit', () => {
    let direct = 0;
    const differ: string[] = [];
    for (const face of Object.values(loadFonts().faces)) {
      for (const codePoint of face.font.characterSet) {
        const ch = String.fromCodePoint(codePoint);
        if (codePoint > 0xffff || !/^[\p{Script=Latin}\p{Script=Common}]$/u.test(ch)) continue;
        const read = shapeLatinFromPairs(face, ch);
        if (read === null) continue;
        direct += 1;
        const { glyphs, positions, advanceWidth } = face.font.layout(ch);
        const same =
          glyphs.length === 1 && glyphs[0]!.id === read.glyphs[0]!.id && advanceWidth === read.advanceWidth && JSON.stringify({ ...positions[0] }) === JSON.stringify({ ...read.positions[0] });
        if (!same) differ.push(`${face.name}: U+${codePoint.toString(16)} read ${read.glyphs[0]!.id}/${read.advanceWidth}, fontkit ${glyphs.map((g) => g.id).join('+')}/${advanceWidth}`);
      }
    }
    expect(differ).toEqual([]);
    expect(direct).toBeGreaterThan(5 * 1000);
  }, 60_000);
});

describe('pair kerning read from the fonts’ tables (kerning.ts) is what fontkit gives', () => {
  // Printable ASCII, Latin-1, Latin Extended-A, French typography, ligature letters and things fontkit treats apart.
  const repertoire: string[] = [];
  for (let c = 0x21; c < 0x180; c++) if (c < 0x7f || c >= 0xa0) repertoire.push(String.fromCharCode(c));
  repertoire.push(...'’‘“”«»–—…€≥≤°\u00a0\u202f\u2009\u2011ﬁﬂ\u0301\u00ad\u200b');

  /**
   * Every pair of `characters` in each of the five faces, read from the tables (for `script`, as
   * fontkit picks it) and shaped by fontkit: how many pairs the tables answered, how many of those
   * are kerned, and every pair where the two disagree.
   */
  function comparePairs(characters: readonly string[], script?: KerningScript) {
    let direct = 0;
    let kerned = 0;
    const differ: string[] = [];
    for (const face of Object.values(loadFonts().faces)) {
      const kerning = pairKerning(face.font, script);
      expect(kerning, face.name).not.toBeNull();
      for (const a of characters) {
        for (const b of characters) {
          const ga = face.font.glyphForCodePoint(a.charCodeAt(0));
          const gb = face.font.glyphForCodePoint(b.charCodeAt(0));
          if (ga.id === 0 || gb.id === 0) continue;
          const read = kerning!({ id: ga.id, codePoint: a.charCodeAt(0) }, { id: gb.id, codePoint: b.charCodeAt(0) });
          if (read === null) continue;
          direct += 1;
          if (read !== 0) kerned += 1;
          // What fontkit's layout of the two characters gives (two glyphs, the first one's advance adjusted, nothing else).
          const shaped = shapedPair(face, a + b, ga, gb, script);
          if (shaped?.first !== read) differ.push(`${face.name}: ${JSON.stringify(a + b)} read ${read}, fontkit ${shaped ? shaped.first : 'not a plain pair'}`);
        }
      }
    }
    return { direct, kerned, differ };
  }

  it('for every pair of the French repertoire, in each of the five faces', () => {
    const { direct, kerned, differ } = comparePairs(repertoire);
    expect(differ).toEqual([]);
    expect(direct).toBeGreaterThan(5 * 0.95 * repertoire.length ** 2 * 0.9);
    expect(kerned).toBeGreaterThan(1000);
  }, 120_000);

  it('for every pair of Common characters, in the default script fontkit shapes them with, in each of the five faces', () => {
    const common = repertoire.filter((ch) => /^\p{Script=Common}$/u.test(ch));
    const { direct, differ } = comparePairs(common, 'zzzz');
    expect(differ).toEqual([]);
    expect(direct).toBeGreaterThan(5 * 0.8 * common.length ** 2);
  }, 120_000);

  it('reads each mark attachment lookup’s mark coverage from the bytes as fontkit parses it, and no other lookup', () => {
    type Parsed = { lookupType: number; subTables: { lookupType?: number; extension?: Parsed['subTables'][number]; markCoverage?: unknown; mark1Coverage?: unknown }[] };
    const glyphsOf = (coverage: unknown): number[] => {
      const c = coverage as { version: 1; glyphs: number[] } | { version: 2; rangeRecords: { start: number; end: number }[] };
      return c.version === 1 ? [...c.glyphs] : c.rangeRecords.flatMap((r) => Array.from({ length: r.end - r.start + 1 }, (_, i) => r.start + i));
    };
    let markLookups = 0;
    for (const file of FONT_FILES) {
      // A fresh parse each: what the bytes give must not depend on what fontkit parsed before.
      const font = fontkit.openSync(path.join(defaultFontsDir(), file)) as unknown as fontkit.Font & { GPOS: { lookupList: { length: number; get(i: number): Parsed } } };
      for (let index = 0; index < font.GPOS.lookupList.length; index++) {
        const lookup = font.GPOS.lookupList.get(index);
        const subs = lookup.subTables.map((t) => (lookup.lookupType === 9 ? { type: t.lookupType!, table: t.extension! } : { type: lookup.lookupType, table: t }));
        const read = markCoverages(font, index);
        if (!subs.every((s) => s.type >= 4 && s.type <= 6)) {
          expect(read, `${file} lookup ${index}`).toBeUndefined();
          continue;
        }
        markLookups += 1;
        const parsed = subs.map((s) => (s.type === 6 ? s.table.mark1Coverage : s.table.markCoverage)).filter((c) => c).map(glyphsOf);
        expect(read, `${file} lookup ${index}`).toEqual(parsed);
      }
    }
    expect(markLookups).toBeGreaterThan(5);
  });

  it('reads each class pair adjustment record from the bytes as fontkit parses it', () => {
    type Value = { xPlacement?: number; yPlacement?: number; xAdvance?: number; yAdvance?: number } | undefined;
    type Parsed = { lookupType: number; subTables: { version?: number; class1Count?: number; class2Count?: number; classRecords?: { get(i: number): { get(j: number): { value1?: Value; value2?: Value } } } }[] };
    let records = 0;
    for (const file of FONT_FILES) {
      const font = fontkit.openSync(path.join(defaultFontsDir(), file)) as unknown as fontkit.Font & { GPOS?: { lookupList: { length: number; get(i: number): Parsed } } };
      for (let index = 0; index < (font.GPOS?.lookupList.length ?? 0); index++) {
        const lookup = font.GPOS!.lookupList.get(index);
        lookup.subTables.forEach((table, k) => {
          const matrix = classPairMatrix(font, index, k);
          if (lookup.lookupType !== 2 || table.version !== 2) return expect(matrix, `${file} lookup ${index}`).toBeUndefined();
          expect(matrix, `${file} lookup ${index}`).toBeDefined();
          for (let c1 = 0; c1 < table.class1Count!; c1++) {
            for (let c2 = 0; c2 < table.class2Count!; c2++) {
              const { value1, value2 } = table.classRecords!.get(c1).get(c2);
              const moves = Boolean(value1?.xPlacement || value1?.yPlacement || value1?.yAdvance || value2?.xPlacement || value2?.yPlacement || value2?.xAdvance || value2?.yAdvance);
              const at = c1 * matrix!.class2Count + c2;
              expect([matrix!.advance[at], matrix!.moves[at] === 1], `${file} lookup ${index} (${c1}, ${c2})`).toEqual([value1?.xAdvance ?? 0, moves]);
              records += 1;
            }
          }
        });
      }
    }
    expect(records).toBeGreaterThan(5000);
  });

  it('reads DejaVu’s kerned pairs and leaves ligatures, marks and ignorables to fontkit', () => {
    const { regular, mono } = loadFonts().faces;
    const kerning = pairKerning(regular.font)!;
    const glyph = (face: typeof regular, ch: string) => ({ id: face.font.glyphForCodePoint(ch.charCodeAt(0)).id, codePoint: ch.charCodeAt(0) });
    expect(kerning(glyph(regular, 'A'), glyph(regular, 'V'))).toBeLessThan(0);
    expect(kerning(glyph(regular, 'i'), glyph(regular, 'n'))).toBe(0);
    expect(kerning(glyph(regular, 'f'), glyph(regular, 'i'))).toBeNull();
    expect(kerning(glyph(regular, 'e'), glyph(regular, '\u0301'))).toBeNull();
    expect(kerning(glyph(regular, 'a'), glyph(regular, '\u00ad'))).toBeNull();
    expect(pairKerning(mono.font)!(glyph(mono, 'A'), glyph(mono, 'V'))).toBe(0);
  });
});

describe('ShapeCache (shaped strings, bounded by size)', () => {
  it('drops its oldest entries down to half its budget once over it, and shapes them again on demand', () => {
    // Arrange: a face whose cache holds a few kilobytes.
    const { regular } = loadFonts().faces;
    const face = { ...regular, shapes: new ShapeCache(4096) };
    const words = Array.from({ length: 200 }, (_, i) => `mot${i}`);

    // Act
    for (const w of words) shapeText(face, w);

    // Assert: within budget, the newest kept, the oldest gone yet measured the same when asked again.
    expect(face.shapes.size.bytes).toBeLessThanOrEqual(4096);
    expect(face.shapes.get(words[199]!)).toBeDefined();
    expect(face.shapes.get(words[0]!)).toBeUndefined();
    expect(shapeText(face, words[0]!).width).toBe(regular.font.layout(words[0]!).advanceWidth / regular.font.unitsPerEm);
  });
});

describe('fontkit 2.0.4 internals: TTFFont and TTFSubset', () => {
  const subsetBytes = (font: fontkit.Font, text: string): Buffer => {
    const subset = (font as unknown as { createSubset(): { includeGlyph(id: number): number; encode(): Uint8Array } }).createSubset();
    for (const glyph of font.layout(text).glyphs) subset.includeGlyph(glyph.id);
    return Buffer.from(subset.encode());
  };

  it('installSubsetGlyphCache installs on DejaVu and the cached subset, written by Cahier, has the same bytes as fontkit’s own', () => {
    // Prepare: composite glyphs (é, ç, œ), a ligature, signs, another script; a subset of one glyph; every character of the file.
    for (const name of FONT_FILES) {
      const file = path.join(defaultFontsDir(), name);
      const plain = fontkit.openSync(file);
      const cached = fontkit.openSync(file);
      const every = String.fromCodePoint(...plain.characterSet.filter((c) => c > 0x20 && c < 0xffff));
      const texts = ['Élève ç œ è ü office ≥ ≤ 1\u202f234\u00a0€ שלום', '', every];

      // Act
      const installed = installSubsetGlyphCache(cached);

      // Assess: for each, the same bytes, twice (the second time from the cache).
      expect(installed).toBe(true);
      for (const text of texts) {
        const expected = subsetBytes(plain, text);
        expect(subsetBytes(cached, text).equals(expected), `${name}: ${text.slice(0, 20)}`).toBe(true);
        expect(subsetBytes(cached, text).equals(expected), `${name}: ${text.slice(0, 20)}`).toBe(true);
      }
    }
  }, 60_000);

  it('compositeComponents reads every glyph’s components from its bytes as fontkit decodes them, in the five faces', () => {
    let composites = 0;
    for (const name of FONT_FILES) {
      const font = fontkit.openSync(path.join(defaultFontsDir(), name)) as unknown as {
        numGlyphs: number;
        loca: { offsets: number[] };
        _getTableStream(tag: 'glyf'): { pos: number; readBuffer(length: number): Uint8Array };
        getGlyph(id: number): { _decode(): { numberOfContours: number; components?: { glyphID: number; pos: number }[] } | null };
      };
      for (let id = 0; id < font.numGlyphs; id++) {
        const stream = font._getTableStream('glyf');
        stream.pos += font.loca.offsets[id]!;
        const bytes = new Uint8Array(stream.readBuffer(font.loca.offsets[id + 1]! - font.loca.offsets[id]!));
        const decoded = font.getGlyph(id)._decode();
        const expected = decoded && decoded.numberOfContours < 0 ? (decoded.components ?? []).map(({ glyphID, pos }) => ({ glyphID, pos })) : null;
        expect(compositeComponents(bytes), `${name} glyph ${id}`).toEqual(expected);
        if (expected) composites += 1;
      }
    }
    expect(composites).toBeGreaterThan(1000);
  }, 60_000);

  it('deferPostGlyphNames gives each face the post table fontkit decodes, its glyph names only when asked', () => {
    for (const file of ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf', 'DejaVuSans-BoldOblique.ttf', 'DejaVuSansMono.ttf']) {
      // Prepare: two fresh parses of the same file.
      const plain = fontkit.openSync(path.join(defaultFontsDir(), file)) as unknown as { post: Record<string, unknown>; getGlyph(id: number): { name: string } };
      const deferred = fontkit.openSync(path.join(defaultFontsDir(), file)) as unknown as typeof plain & { _decodeTable(table: unknown): unknown };
      let decoded = 0;
      const decodeTable = deferred._decodeTable;
      deferred._decodeTable = function counting(this: unknown, table: unknown) {
        decoded += 1;
        return decodeTable.call(this, table);
      };

      // Act
      const installed = deferPostGlyphNames(deferred as unknown as fontkit.Font);
      const header = { isFixedPitch: deferred.post.isFixedPitch, italicAngle: deferred.post.italicAngle };
      const decodedForHeader = decoded;

      // Assess: PDFKit's two fields without decoding, then every field as fontkit has it.
      expect(installed).toBe(true);
      expect(deferred.post.version).toBe(2);
      expect(decodedForHeader).toBe(0);
      expect(header).toEqual({ isFixedPitch: plain.post.isFixedPitch, italicAngle: plain.post.italicAngle });
      expect({ ...deferred.post }).toEqual({ ...plain.post });
      expect(decoded).toBe(1);
      expect(deferred.getGlyph(36).name).toBe(plain.getGlyph(36).name);
    }
  });

  it('presetGlyphCodePoints creates glyphs with the code points of creating every mapped glyph first', () => {
    // Prepare: two fresh parses; text with ligatures, composites (their components are created by
    // id, with no code point), presentation forms, signs, another script, an unmapped character.
    const file = path.join(defaultFontsDir(), 'DejaVuSans.ttf');
    const eager = fontkit.openSync(file);
    const lazy = fontkit.openSync(file);
    const mapped = eager.characterSet.filter(notPresentationForm);
    const text = 'Élève ç œ è ` ü office ﬁ ≥ ≤ 1\u202f234\u00a0€ שלום \u{10FFFD}';
    const getGlyph = (f: fontkit.Font, id: number) => (f as unknown as { getGlyph(id: number): fontkit.Glyph }).getGlyph(id);
    const use = (f: fontkit.Font): Map<number, number[]> => {
      const ids = [0, ...f.layout(text).glyphs.map((g) => g.id), ...[...text].map((c) => f.glyphForCodePoint(c.codePointAt(0)!).id), 1, 2, 3, 100, 2000];
      return new Map(ids.map((id) => [id, [...getGlyph(f, id).codePoints]]));
    };
    for (const codePoint of mapped) eager.glyphForCodePoint(codePoint);

    // Act
    const installed = presetGlyphCodePoints(lazy, notPresentationForm);

    // Assess
    expect(installed).toBe(true);
    const created = Object.keys((lazy as unknown as { _glyphs: object })._glyphs).length;
    expect(use(lazy)).toEqual(use(eager));
    expect(created).toBe(0);
  });

  it('firstCodePoints reads the character map group by group as glyphForCodePoint maps each code point, in the five faces', () => {
    for (const file of FONT_FILES) {
      // Prepare: the oracle, fontkit's own lookup of each code point of the character set, in order.
      const font = fontkit.openSync(path.join(defaultFontsDir(), file));
      const lookup = (font as unknown as { _cmapProcessor: { lookup(codePoint: number): number } })._cmapProcessor;
      const expected = new Map<number, number>();
      for (const codePoint of font.characterSet.filter(notPresentationForm)) {
        const id = lookup.lookup(codePoint);
        if (!expected.has(id)) expected.set(id, codePoint);
      }

      // Act: on a fresh parse.
      const read = firstCodePoints(fontkit.openSync(path.join(defaultFontsDir(), file)), notPresentationForm);

      // Assess: the same glyphs, each with the same first code point, in the same order.
      expect(read && [...read], file).toEqual([...expected]);
      expect(expected.size, file).toBeGreaterThan(3000);
    }
  });

  it('beforeFirstGlyph runs once, before the first glyph is created, and serves .notdef to PDFKit without keeping it', () => {
    // Prepare: a fresh parse; glyph objects' code points are what the ToUnicode map is written from.
    const font = fontkit.openSync(path.join(defaultFontsDir(), 'DejaVuSans.ttf'));
    const glyphs = (font as unknown as { _glyphs: Record<number, { codePoints: number[] }> })._glyphs;
    let prepared = 0;
    const grave = font.glyphForCodePoint(0x60).id;
    // (a fresh parse for the test proper: the line above created glyphs)
    const lazy = fontkit.openSync(path.join(defaultFontsDir(), 'DejaVuSans.ttf'));
    const lazyGlyphs = (lazy as unknown as { _glyphs: Record<number, { codePoints: number[] }> })._glyphs;

    // Act
    const installed = beforeFirstGlyph(lazy, () => {
      prepared += 1;
      lazy.glyphForCodePoint(0x60);
    });
    const getGlyph = (f: fontkit.Font, id: number) => (f as unknown as { getGlyph(id: number): fontkit.Glyph }).getGlyph(id);
    const notdefWidth = getGlyph(lazy, 0).advanceWidth;

    // Assess: nothing created yet, .notdef read but not kept.
    expect(installed).toBe(true);
    expect(notdefWidth).toBe(getGlyph(font, 0).advanceWidth);
    expect(prepared).toBe(0);
    expect(Object.keys(lazyGlyphs)).toEqual([]);
    // The first glyph, created the way subsetting creates a component (no code point), comes after prepare's.
    expect(getGlyph(lazy, grave).codePoints).toEqual([0x60]);
    expect(prepared).toBe(1);
    expect(lazyGlyphs[0]!.codePoints).toEqual([]);
    lazy.glyphForCodePoint(0x41);
    expect(prepared).toBe(1);
    expect(glyphs[grave]!.codePoints).toEqual([0x60]);
    expect(lazyGlyphs[grave]!.codePoints).toEqual([0x60]);
  });
});

describe('pdfkit 0.20.2 internals', () => {
  it('starts a document without a default font when given font: null', () => {
    // Act
    const pdf = new PDFDocument({ autoFirstPage: false, font: NO_DEFAULT_FONT });

    // Assess
    expect((pdf as unknown as { _font: unknown })._font ?? null).toBeNull();
  });

  it('accepts parsed fontkit Fonts in registerFont and exposes the EmbeddedFont members glyph-runs.ts writes with', () => {
    // Prepare
    const pdf = freshDocument();
    const { regular } = loadFonts().faces;

    // Act
    const font = embeddedFont(pdf, regular.key);

    // Assess
    expect(font).not.toBeNull();
    expect(font!.id).toMatch(/^F\d+$/);
    expect(font!.scale).toBeCloseTo(1000 / UNITS_PER_EM, 9);
    const gid = font!.subset.includeGlyph(5044);
    expect(gid).toBeGreaterThan(0);
    expect(Array.isArray(font!.widths)).toBe(true);
    expect(Array.isArray(font!.unicode)).toBe(true);
    expect(font!.ref()).toBe(font!.ref());
  });

  it('keeps the font size in _fontSize and the page fonts in page.fonts', () => {
    // Prepare
    const pdf = freshDocument();

    // Act
    pdf.fontSize(13.5);

    // Assess
    expect(currentFontSize(pdf)).toBe(13.5);
    expect(pageFontResources(pdf)).toEqual(expect.any(Object));
  });

  it('keeps each font’s shaping cache in layoutCache, so documents can share it', () => {
    // Prepare
    const pdf = freshDocument();
    const { bold } = loadFonts().faces;
    const entries: Record<string, unknown> = Object.create(null);
    pdf.font(bold.key);

    // Act
    const shared = shareLayoutCache(pdf, bold.font, entries);
    pdf.text('Partagé', 50, 50, { lineBreak: false });

    // Assess
    expect(shared).toBe(true);
    expect(Object.keys(entries).length).toBeGreaterThan(0);
  });

  it('writes Latin text through the fast path, and only right-to-left text and combining marks through text()', () => {
    // Prepare
    const pdf = freshDocument();
    const { regular } = loadFonts().faces;
    pdf.fontSize(10);
    const fallbacks: string[] = [];
    const line = (text: string) => writeTextLine(pdf, [{ face: regular, text, x: 0 }], 50, 100, (_f, t) => fallbacks.push(t));

    // Act
    line('Élève, office ≥ 32 Go ; 1\u202f234,50\u00a0€');
    line('שלום');
    line('cafe\u0301');

    // Assess
    expect(fallbacks).toEqual(['שלום', 'cafe\u0301']);
  });

  it('writes every byte through _write and counts them in _offset, so collectOutput gives the bytes the stream gives', async () => {
    // Prepare
    const make = () => {
      const pdf = new PDFDocument({ autoFirstPage: false, font: NO_DEFAULT_FONT, tagged: true, info: { CreationDate: new Date('2026-01-02T03:04:05Z') } });
      registerFonts(pdf, loadFonts());
      return pdf;
    };
    const draw = (pdf: PDFKit.PDFDocument) => {
      pdf.addPage({ size: 'A4' });
      pdf.fontSize(12).text('Élève, « œuvre », 1\u202f234,50\u00a0€', 50, 50, { lineBreak: false });
      pdf.addPage({ size: 'A4' }).rect(10, 10, 100, 100).fill('#336699');
      pdf.end();
    };
    const streamed = make();
    const chunks: Uint8Array[] = [];
    const viaStream = new Promise<Buffer>((resolve) => {
      streamed.on('data', (c: Uint8Array) => chunks.push(c));
      streamed.on('end', () => resolve(Buffer.concat(chunks)));
    });
    const collected = make();
    const viaWrite = collectOutput(collected);
    const internals = collected as unknown as { _write: unknown; _offset: unknown };

    // Act
    draw(streamed);
    draw(collected);

    // Assess
    expect(typeof internals._write).toBe('function');
    expect(typeof internals._offset).toBe('number');
    const [expected, actual] = await Promise.all([viaStream, viaWrite]);
    expect(actual.subarray(0, 8).toString('latin1')).toBe('%PDF-1.3');
    expect(actual.equals(expected)).toBe(true);
  });

  it('keeps each page’s content in page.content (buffer, write, end, finalize), so bufferPageContents gives PDFKit’s streams, deflated at its own level', async () => {
    // Prepare
    const make = (buffered: boolean) => {
      const pdf = new PDFDocument({ autoFirstPage: false, font: NO_DEFAULT_FONT, tagged: true, info: { CreationDate: new Date('2026-01-02T03:04:05Z') } });
      registerFonts(pdf, loadFonts());
      if (buffered) bufferPageContents(pdf);
      return { pdf, output: collectOutput(pdf) };
    };
    const draw = (pdf: PDFKit.PDFDocument) => {
      for (let page = 0; page < 3; page++) {
        pdf.addPage({ size: 'A4' });
        const content = (pdf.page as unknown as { content: { buffer: unknown; finalize: unknown } }).content;
        expect(Array.isArray(content.buffer)).toBe(true);
        expect(typeof content.finalize).toBe('function');
        pdf.markContent('Artifact', { type: 'Pagination' });
        pdf.fontSize(12).text(`Page ${page + 1} : « œuvre », 1\u202f234,50\u00a0€`, 50, 50, { lineBreak: false });
        pdf.endMarkedContent();
        pdf.addContent(Buffer.from('0 0 m\n10 10 l\nS\n', 'latin1'));
        pdf.rect(10, 10, 100, 100).fill('#336699');
      }
      pdf.end();
    };
    const plain = make(false);
    const buffered = make(true);

    // Act
    draw(plain.pdf);
    draw(buffered.pdf);

    // Assess
    const [expected, actual] = await Promise.all([plain.output, buffered.output]);
    const streams = (file: Buffer): Buffer[] => {
      const text = file.toString('latin1');
      const found: Buffer[] = [];
      for (const m of text.matchAll(/\/Length (\d+)(?:(?!>>\nstream)[\s\S])*>>\nstream\n/g)) {
        const start = m.index + m[0].length;
        found.push(inflateSync(file.subarray(start, start + Number(m[1]))));
      }
      return found;
    };
    const objects = (file: Buffer) => file.toString('latin1').match(/\d+ 0 obj\n/g)!.length;
    expect(streams(actual)).toEqual(streams(expected));
    expect(streams(actual).length).toBeGreaterThan(3);
    expect(objects(actual)).toBe(objects(expected));
  });

  it('keeps the catalog in _root.data, so attachFiles writes the objects file() writes, byte for byte', async () => {
    // Prepare
    const date = new Date('2026-01-02T03:04:05Z');
    const bytes = new TextEncoder().encode(`${JSON.stringify({ ocid: 'ocds-abc-1', note: 'données « ouvertes »' }, null, 2)}\n`);
    const attachment: PdfAttachment = { name: 'tender.ocds.json', mediaType: 'application/json', description: 'Données ouvertes (OCDS 1.1)', relationship: 'Data', bytes };
    const make = () => new PDFDocument({ autoFirstPage: false, font: NO_DEFAULT_FONT, info: { CreationDate: date } });
    const byPdfkit = make();
    const byCahier = make();
    const outputs = [collectOutput(byPdfkit), collectOutput(byCahier)] as const;

    // Act
    byPdfkit.file(Buffer.from(bytes), {
      name: attachment.name,
      type: attachment.mediaType,
      description: attachment.description,
      creationDate: date,
      modifiedDate: date,
      ...({ relationship: attachment.relationship } as object),
    });
    attachFiles(byCahier, [attachment], date);
    for (const pdf of [byPdfkit, byCahier]) pdf.addPage({ size: 'A4' }).end();

    // Assess
    const [expected, actual] = await Promise.all(outputs);
    expect(actual.toString('latin1')).toContain('/AF [');
    expect(actual.toString('latin1')).toContain('/Subtype /application#2Fjson');
    expect(actual.equals(expected)).toBe(true);
    expect(() => addAssociatedFile({} as PDFKit.PDFDocument, byCahier.ref({}))).toThrow(/_root is missing/);
  });
});

describe('oracle: known strings rendered and read back', () => {
  interface Item {
    str: string;
    width: number;
    x: number;
    y: number;
  }

  async function renderItems(blocks: Block[]): Promise<Item[][]> {
    const model: DocumentModel = { ...sampleDocument({ requirementRows: 0 }), blocks };
    const proxy = await getDocumentProxy(new Uint8Array(await renderPdf(model)));
    const pages: Item[][] = [];
    for (let p = 2; p <= proxy.numPages; p++) {
      const content = await (await proxy.getPage(p)).getTextContent();
      const items: Item[] = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str === '') continue;
        items.push({ str: item.str, width: item.width, x: item.transform[4] as number, y: item.transform[5] as number });
      }
      // the footer is the last two items of every page
      pages.push(items.filter((i) => i.y > 60));
    }
    return pages;
  }

  /** Body text at 10 pt: advance in font units → points. */
  const points = (units: number): number => (units / UNITS_PER_EM) * 10;

  it('reads back ligatures as their letters, with the ligature glyphs’ advances', async () => {
    // Act
    const [page] = await renderItems([{ type: 'paragraph', runs: [{ text: 'office' }] }]);

    // Assess
    const item = page!.find((i) => i.str.normalize('NFKC').includes('office'))!;
    expect(item.str.normalize('NFKC')).toBe('office');
    expect(item.width).toBeCloseTo(points(1253 + 1980 + 1126 + 1260), 2);
  });

  it('reads back a combining accent after its letter, drawn by PDFKit’s text()', async () => {
    // Act
    const [page] = await renderItems([{ type: 'paragraph', runs: [{ text: 'cafe\u0301' }] }]);

    // Assess
    const text = page!.map((i) => i.str).join('');
    expect(text.normalize('NFC')).toContain('café');
    const item = page!.find((i) => i.str.normalize('NFC').includes('caf'))!;
    expect(item.width).toBeCloseTo(points(1126 + 1255 + 721 + 1260), 2);
  });

  it('reads back U+00A0 and U+202F with their own advances', async () => {
    // Act
    const [page] = await renderItems([{ type: 'paragraph', runs: [{ text: '1\u202f234\u00a0€' }] }]);

    // Assess
    const item = page!.find((i) => i.str.startsWith('1'))!;
    expect(item.str.replace(/\s/gu, ' ')).toBe('1 234 €');
    expect(item.width).toBeCloseTo(points(1303 + 409 + 1303 * 3 + 651 + 1303), 2);
  });

  it('reads back a 10 000-character word whole, split over lines, with the sum of its advances', async () => {
    // Prepare
    const word = 'ab'.repeat(5_000);

    // Act
    const pages = await renderItems([{ type: 'paragraph', runs: [{ text: word }] }]);

    // Assess
    const items = pages.flat().filter((i) => /^[ab]+$/.test(i.str));
    expect(items.map((i) => i.str).join('')).toBe(word);
    expect(items.length).toBeGreaterThan(50);
    const total = items.reduce((w, i) => w + i.width, 0);
    expect(total).toBeCloseTo(points(5_000 * (1255 + 1300)), 0);
  });

  it('reads back right-to-left text with its advances', async () => {
    // Act
    const [page] = await renderItems([{ type: 'paragraph', runs: [{ text: 'שלום' }] }]);

    // Assess
    const item = page!.find((i) => /[\u0590-\u05ff]/.test(i.str))!;
    expect(['שלום', 'םולש']).toContain(item.str);
    expect(item.width).toBeCloseTo(points(1359 + 558 + 1164 + 1451), 2);
  });
});
