/**
 * The PDF engine on worker threads (the local stack's stand-in for the pdf-renderer function)
 * against the in-process engine: the same bytes for every model, each answer to its own caller
 * however many wait, the engine's errors under their own name, and a worker that dies failing
 * only the model it was rendering. The faults are a real failing worker (test/support/crashing-pdf-worker.mjs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPdf as renderHere } from '#src/adapters/render/pdf/render-pdf.ts';
import { renderPdf, useLocalPdfEngine } from '#src/adapters/render/pdf-engine.ts';
import { createPdfWorkerPool, PdfWorkerError, type PdfWorkerPool } from '#src/adapters/render/pdf-worker-pool.ts';
import type { PdfAttachment } from '#src/adapters/render/pdf/archival.ts';
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import { cctpModel, example } from '../support/pipeline.ts';
import { sampleDocument } from '../support/sample-document.ts';

const CRASHING = new URL('../support/crashing-pdf-worker.mjs', import.meta.url);
const titled = (model: DocumentModel, title: string): DocumentModel => ({ ...model, meta: { ...model.meta, title } });
const ATTACHMENT: PdfAttachment = {
  name: 'donnees.json',
  mediaType: 'application/json',
  description: 'Données de la consultation',
  relationship: 'Data',
  bytes: new TextEncoder().encode('{"consultation":"essai"}'),
};

let pool: PdfWorkerPool;
let models: DocumentModel[];

beforeAll(async () => {
  pool = createPdfWorkerPool(2);
  models = [await cctpModel(example('commune')), sampleDocument({ requirementRows: 120 }), sampleDocument({ requirementRows: 12, sections: 2 })];
});
afterAll(() => pool.close());

describe('PDF worker pool', () => {
  it('renders the same bytes as the in-process engine, each answer to its own caller, with attachments', async () => {
    const expected = await Promise.all(models.map((model) => renderHere(model)));
    const withAttachment = await renderHere(models[2]!, { attachments: [ATTACHMENT] });
    // More models in flight than threads: they wait, and each answer goes back to its caller.
    const order = [0, 1, 2, 0, 2, 1, 0, 1];
    const [rendered, attached] = await Promise.all([Promise.all(order.map((i) => pool.render(models[i]!))), pool.render(models[2]!, { attachments: [ATTACHMENT] })]);
    rendered.forEach((pdf, k) => expect(Buffer.from(pdf).equals(Buffer.from(expected[order[k]!]!)), `model ${order[k]} at position ${k}`).toBe(true));
    expect(Buffer.from(attached).equals(Buffer.from(withAttachment))).toBe(true);
    expect(Buffer.from(attached).equals(Buffer.from(expected[2]!))).toBe(false);
  });

  it("rejects with the engine's own error and goes on rendering", async () => {
    const invalid = { ...models[2]!, meta: { ...models[2]!.meta, createdAt: 'pas une date' } };
    const error = await pool.render(invalid).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(PdfWorkerError);
    expect(error).toMatchObject({ name: 'RangeError', message: 'meta.createdAt is not a valid date: "pas une date"' });
    expect(Buffer.from(await pool.render(models[2]!)).equals(Buffer.from(await renderHere(models[2]!)))).toBe(true);
  });

  it('hands a thread its next model before it answers the current one, and no more', async () => {
    const single = createPdfWorkerPool(1);
    try {
      const rendering = [0, 1, 2, 0].map((i) => single.render(models[i]!));
      // The thread holds THREAD_DEPTH (2) of the four models: the one it renders and the next.
      expect(single.waiting).toBe(2);
      await Promise.all(rendering);
      expect(single.waiting).toBe(0);
      expect(single.rendered).toBe(4);
    } finally {
      await single.close();
    }
  });

  it('fails only the model a dying worker was rendering; the models behind it, in the thread or the pool, are rendered by its replacement in their order', async () => {
    const crashing = createPdfWorkerPool(1, CRASHING);
    try {
      // « crash » is rendering, models[1] waits in the thread, models[2] in the pool.
      const answered: number[] = [];
      const tracked = (i: number) => crashing.render(models[i]!).finally(() => answered.push(i));
      const settled = Promise.allSettled([crashing.render(titled(models[2]!, 'crash')), tracked(1), tracked(2)]);
      expect(crashing.waiting).toBe(1);
      const [crashed, second, third] = await settled;
      expect(crashed).toMatchObject({ status: 'rejected', reason: { name: 'PdfWorkerError', message: expect.stringMatching(/stopped while rendering « crash »: exit code 3/) } });
      for (const [after, i] of [[second, 1], [third, 2]] as const) {
        expect(after.status, `models[${i}]`).toBe('fulfilled');
        expect(Buffer.from((after as PromiseFulfilledResult<Uint8Array>).value).equals(Buffer.from(await renderHere(models[i]!))), `models[${i}]`).toBe(true);
      }
      expect(answered).toEqual([1, 2]);
      expect(crashing.rendered).toBe(2);
    } finally {
      await crashing.close();
    }
  });

  it('fails what waits when closed, and everything after', async () => {
    const closing = createPdfWorkerPool(1);
    const waiting = [closing.render(models[1]!), closing.render(models[2]!)].map((p) => p.then(() => 'rendered', (e: Error) => e.message));
    await closing.close();
    expect(await Promise.all(waiting)).toEqual(['the PDF worker pool is closed', 'the PDF worker pool is closed']);
    await expect(closing.render(models[2]!)).rejects.toThrow('the PDF worker pool is closed');
  });

  it('is the engine every PDF writer reaches while a local stack holds it, whichever stack lets go first', async () => {
    const calls: string[] = [];
    const counting = (name: string) => (model: DocumentModel) => {
      calls.push(name);
      return pool.render(model);
    };
    const releaseA = useLocalPdfEngine(counting('a'));
    const releaseB = useLocalPdfEngine(counting('b'));
    await renderPdf(models[2]!);
    releaseA();
    await renderPdf(models[2]!);
    releaseB();
    const here = await renderPdf(models[2]!);
    expect(calls).toEqual(['b', 'b']);
    expect(Buffer.from(here).equals(Buffer.from(await renderHere(models[2]!)))).toBe(true);
  });
});
