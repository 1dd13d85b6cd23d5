import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { loadFonts, shape, ShapeCache } from '#src/adapters/render/pdf/fonts.ts';
import { prepare } from '#src/adapters/render/pdf/text.ts';
import { escapeMarkup, parseMarkup } from '#src/core/documents/markup.ts';
import { detach } from '#src/core/model/sized-cache.ts';

/**
 * The process-wide caches keep what they are given only: a text cut from a larger one (a word of
 * a paragraph, a chunk of a document's markup) must not keep the larger one alive once the cache
 * holds it. Each case hands a cache a short slice of a unique 8 MB string, drops the string, and
 * reads the heap after full collections: it must be back within 2 MB of where it started.
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterCollection = (): number => {
  // V8 keeps the subject of the last successful regular-expression match (RegExp.input): one string,
  // replaced at the next match, not a cache. A match on a constant lets the slice go.
  /a/.test('a');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const MB = 1024 * 1024;

/** `head` followed by 8 MB of characters no other string shares: a stand-in for a tender's markup or request body. */
const unique = (head: string): string => `${head}${randomBytes(4 * MB).toString('hex')}`;

/** Heap growth, after collections, of handing `use` a slice of a unique 8 MB string starting with `head`. */
function retainedBy(head: string, use: (slice: string) => unknown): number {
  const kept: unknown[] = [];
  const before = heapAfterCollection();
  (() => {
    const big = unique(head);
    kept.push(use(big.slice(0, head.length)));
  })();
  const after = heapAfterCollection();
  expect(kept).toHaveLength(1);
  return after - before;
}

describe('what the process-wide caches retain', () => {
  const fonts = loadFonts();
  // A face's first words parse its tables and create its glyphs (fonts.ts): done before measuring.
  for (const face of [fonts.faces.regular, fonts.faces.bold]) shape(face, 'Échauffement des tables de la police, à côté');
  prepare([{ text: 'Échauffement' }, { text: 'des tables', bold: true }], fonts);

  it('a slice keeps the string it was cut from alive, a detached copy does not (the premise)', () => {
    expect(retainedBy('Paragraphe découpé dans un texte plus long', (slice) => slice)).toBeGreaterThan(7 * MB);
    expect(retainedBy('Paragraphe découpé dans un texte plus long', (slice) => detach(slice))).toBeLessThan(2 * MB);
  });

  it('escapeMarkup keeps an escaped text, not the value it was cut from', () => {
    expect(retainedBy('Valeur imprimée par un modèle, sans ponctuation', (slice) => escapeMarkup(slice))).toBeLessThan(2 * MB);
    expect(retainedBy('Valeur imprimée : 3 écrans (tactiles)', (slice) => escapeMarkup(slice))).toBeLessThan(2 * MB);
  });

  it('parseMarkup keeps a chunk and its inline runs, not the document they were cut from', () => {
    const head = '## Titre de section propre au test\n\nUn paragraphe **en gras** et *en italique* propre au test.\n\n| Colonne | Valeur |\n| --- | --- |\n| Cellule propre au test | 42 |\n';
    expect(retainedBy(head, (slice) => parseMarkup(slice).length)).toBeLessThan(2 * MB);
  });

  it('parseMarkup keeps the text of a table cell, not the rest of its table', () => {
    const before = heapAfterCollection();
    const blocks = (() => {
      // The 4 MB cell, and so its chunk, are over their caches' budgets and leave them at once; the cell after stays.
      const filler = randomBytes(2 * MB).toString('hex');
      return parseMarkup(`| Colonne | Valeur |\n| --- | --- |\n| ${filler} | x |\n| Cellule propre au test | 42 |\n`).length;
    })();
    expect(blocks).toBe(1);
    expect(heapAfterCollection() - before).toBeLessThan(2 * MB);
  });

  it('prepare keeps the prepared text, not the strings its runs were cut from', () => {
    // Words of 13 characters or more: shorter pieces are copies whatever prepare does.
    const head = 'Un texte de cellule mesuré une fois : interopérabilité, anticonstitutionnellement';
    expect(retainedBy(head, (slice) => prepare([{ text: slice }, { text: slice, bold: true }], fonts).tokens.length)).toBeLessThan(2 * MB);
  });

  it('shape keeps the shaped word, not the line it was cut from', () => {
    expect(retainedBy('Anticonstitutionnellement', (slice) => shape(fonts.faces.regular, slice).width)).toBeLessThan(2 * MB);
    expect(retainedBy('Anticonstitutionnellement', (slice) => shape(fonts.faces.bold, slice).width)).toBeLessThan(2 * MB);
  });
});

describe('what the caches count', () => {
  it('a face’s shaped words: the estimate is within a quarter of the heap they hold', () => {
    // The regular face with a cache of its own, empty and large enough that nothing is evicted:
    // 20 000 words, ≈ 9 MB, so that a few hundred kilobytes of collector noise stay far from the bounds.
    const face = { ...loadFonts().faces.regular, shapes: new ShapeCache(256 * MB) };
    const letters = [...'abcdefghijklmnopqrstuvwxyzéèêàçôîû'];
    // Every pair of these letters shaped once, so the words below add shaped words only (not pairs or glyphs).
    for (const a of letters) shape(face, letters.map((b) => a + b).join(''));
    let seed = 19;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const words = Array.from({ length: 20_000 }, (_, i) => Array.from({ length: 4 + (i % 12) }, () => letters[Math.floor(next() * letters.length)]).join(''));
    const before = heapAfterCollection();
    const estimated = face.shapes.size.bytes;

    for (const word of words) shape(face, word);

    const held = heapAfterCollection() - before;
    const counted = face.shapes.size.bytes - estimated;
    expect(face.shapes.size.entries).toBeGreaterThan(20_000);
    expect(held / counted).toBeGreaterThan(0.75);
    expect(held / counted).toBeLessThan(1.33);
  });
});
