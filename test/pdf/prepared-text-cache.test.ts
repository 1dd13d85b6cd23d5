/**
 * The PDF layout keeps each prepared text for the process (src/adapters/render/pdf/text.ts): the
 * same runs, whatever objects carry them, give the prepared text measured the first time, and
 * runs that differ in any way (text, where runs split, style, forced bold) never share one.
 */
import { describe, expect, it } from 'vitest';
import type { Run } from '#src/core/documents/blocks.ts';
import { loadFonts } from '#src/adapters/render/pdf/fonts.ts';
import { layoutLines, prepare } from '#src/adapters/render/pdf/text.ts';

const fonts = loadFonts();
const faces = (runs: readonly Run[], bold = false) => prepare(runs, fonts, { bold }).tokens.flatMap((t) => (t.kind === 'box' ? t.pieces.map((p) => p.face.name) : []));

describe('prepare (kept for the process)', () => {
  it('gives the same runs, carried by new objects, the text prepared the first time', () => {
    const runs = () => [{ text: 'La tablette dispose d’un espace de stockage ' }, { text: 'd’au moins 64 Go', bold: true }];

    const first = prepare(runs(), fonts);
    const again = prepare(runs(), fonts);

    expect(again).toBe(first);
    expect(layoutLines(again, 120, 9)).toEqual(layoutLines(first, 120, 9));
  });

  it('keeps apart runs that differ in text, split, style or forced bold', () => {
    const variants: Run[][] = [
      [{ text: 'ab' }, { text: 'c' }],
      [{ text: 'a' }, { text: 'bc' }],
      [{ text: 'abc' }],
      [{ text: 'abc', bold: true }],
      [{ text: 'abc', italic: true }],
      [{ text: 'abc', bold: true, italic: true }],
      [{ text: 'abc', code: true }],
      [{ text: 'abc', noBreak: true }],
      [{ text: '3:abc' }],
      [{ text: '3' }, { text: 'abc' }],
    ];
    const prepared = variants.map((runs) => prepare(runs, fonts));

    expect(new Set(prepared).size).toBe(variants.length);
    expect(prepare([{ text: 'abc' }], fonts, { bold: true })).not.toBe(prepared[2]);
    expect(faces([{ text: 'abc' }], true)).toEqual(['bold']);
    expect(faces([{ text: 'abc' }])).toEqual(['regular']);
    expect(faces([{ text: 'abc', italic: true }])).toEqual(['italic']);
    expect(faces([{ text: 'abc', code: true }])).toEqual(['mono']);
    expect(prepared[0]!.tokens).toEqual([expect.objectContaining({ kind: 'box', pieces: [expect.objectContaining({ text: 'ab' }), expect.objectContaining({ text: 'c' })] })]);
    expect(prepared[1]!.tokens).toEqual([expect.objectContaining({ kind: 'box', pieces: [expect.objectContaining({ text: 'a' }), expect.objectContaining({ text: 'bc' })] })]);
  });
});
