/**
 * Page layout rules of the PDF: keep-with-next for headings and table headers, no nearly empty
 * contents page, bookmarks on the heading, references never broken. Checked over the examples
 * and the large bench tender, and on models built to hit each rule.
 */
import { getDocumentProxy } from 'unpdf';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Block, DocumentModel, HeadingBlock } from '#src/core/documents/blocks.ts';
import { DOCUMENT_MODELS } from '#src/core/documents/document-models.ts';
import type { GenerateDocumentsDeps } from '#src/app/generate-documents.ts';
import { loadFonts } from '#src/adapters/render/pdf/fonts.ts';
import { renderPdfWithLayout } from '#src/adapters/render/pdf/render-pdf.ts';
import { layoutLines, prepare } from '#src/adapters/render/pdf/text.ts';
import { HEADINGS, PAGE, TOC } from '#src/adapters/render/pdf/theme.ts';
import { planToc } from '#src/adapters/render/pdf/toc.ts';
import { largeRequest } from '../../bench/requests.ts';
import { evaluateFrom, example, EXAMPLES, realDeps } from '../support/pipeline.ts';
import { sampleDocument } from '../support/sample-document.ts';

let deps: GenerateDocumentsDeps;
beforeAll(async () => {
  deps = await realDeps();
});

const heading = (level: 1 | 2 | 3, number: string, text: string): HeadingBlock => ({ type: 'heading', level, number, text, anchor: `sec-${number.replace(/\./g, '-')}` });
const documentWith = (blocks: Block[]): DocumentModel => ({ ...sampleDocument({ requirementRows: 0 }), blocks });
const stranded = (lastDrawn: readonly (string | undefined)[]): string[] =>
  lastDrawn.flatMap((kind, i) => (kind === 'heading' || kind === 'table-header' ? [`page ${i + 1}: ${kind}`] : []));

describe('keep-with-next', () => {
  const inputs: Array<[string, () => unknown]> = [
    ...(Object.keys(EXAMPLES) as Array<keyof typeof EXAMPLES>).map((name): [string, () => unknown] => [name, () => example(name)]),
    ['large bench tender', largeRequest],
  ];

  it.each(inputs)('ends no page of the %s CCTP and RC with a heading or a table header row', async (_name, input) => {
    // Prepare
    const { tender, rules } = await evaluateFrom(input(), deps.catalogue);

    for (const name of ['cctp', 'rc'] as const) {
      // Act
      const { layout } = await renderPdfWithLayout(DOCUMENT_MODELS[name](tender, rules, deps.templates));

      // Assess
      expect(stranded(layout.lastDrawn), name).toEqual([]);
    }
  });

  it('moves a table header to the next page with a first row taller than the room left under it', async () => {
    // Prepare: fillers push the table down the page, ten positions apart; the first row has six lines.
    const tall = 'Ligne un\nLigne deux\nLigne trois\nLigne quatre\nLigne cinq\nLigne six';
    const models = Array.from({ length: 12 }, (_, k) =>
      documentWith([
        ...Array.from({ length: 30 + k }, (_, i): Block => ({ type: 'paragraph', runs: [{ text: `Paragraphe de remplissage ${i + 1}.` }] })),
        { type: 'table', header: [[{ text: 'Réf.' }], [{ text: 'Exigence' }]], align: ['left', 'left'], rows: [[[{ text: 'A-01' }], [{ text: tall }]], [[{ text: 'A-02' }], [{ text: 'court' }]]] },
      ]),
    );

    for (const model of models) {
      // Act
      const { bytes, layout } = await renderPdfWithLayout(model);

      // Assess: from the layout, and from the text read back (the header and the row share a page).
      expect(stranded(layout.lastDrawn)).toEqual([]);
      const proxy = await getDocumentProxy(new Uint8Array(bytes));
      const pageOf = async (text: string): Promise<number> => {
        for (let p = 1; p <= proxy.numPages; p++) {
          const items = (await (await proxy.getPage(p)).getTextContent()).items;
          if (items.some((i) => 'str' in i && i.str === text)) return p;
        }
        return -1;
      };
      expect(await pageOf('Réf.')).toBe(await pageOf('Ligne six'));
    }
  });

  it('keeps a heading with a table whose header and first row take more than half a page', async () => {
    // Prepare
    const tall = Array.from({ length: 34 }, (_, i) => `Ligne ${i + 1}`).join('\n');
    const models = Array.from({ length: 8 }, (_, k) =>
      documentWith([
        ...Array.from({ length: 8 + 3 * k }, (_, i): Block => ({ type: 'paragraph', runs: [{ text: `Paragraphe ${i + 1}.` }] })),
        heading(1, '1', 'Chapitre'),
        { type: 'table', header: [[{ text: 'Réf.' }], [{ text: 'Exigence' }]], align: ['left', 'left'], rows: [[[{ text: 'A-01' }], [{ text: tall }]]] },
      ]),
    );

    for (const model of models) {
      // Act
      const { layout } = await renderPdfWithLayout(model);

      // Assess
      expect(stranded(layout.lastDrawn)).toEqual([]);
    }
  });
});

describe('table of contents', () => {
  const fonts = loadFonts();
  const headingsFor = (count: number): HeadingBlock[] =>
    Array.from({ length: count }, (_, i) => heading(i % 4 === 0 ? 1 : 2, i % 4 === 0 ? `${i / 4 + 1}` : `${Math.floor(i / 4) + 1}.${i % 4}`, `Entrée numéro ${i + 1} de la table des matières`));
  const fill = (plan: ReturnType<typeof planToc>): number => {
    const last = plan.items.filter((i) => i.pageOffset === plan.pages - 1);
    const bottom = Math.max(...last.map((i) => i.top + Math.max(1, i.lines.length) * plan.lineHeight));
    return (bottom - PAGE.margins.top) / (PAGE.height - PAGE.margins.bottom - PAGE.margins.top);
  };

  it('never ends on a nearly empty page, whatever the number of entries', () => {
    let spilled = 0;
    for (let count = 20; count <= 200; count++) {
      // Act
      const plan = planToc(headingsFor(count), fonts);

      // Assess
      if (plan.pages > 1) {
        spilled += 1;
        expect(fill(plan), `${count} entries on ${plan.pages} pages`).toBeGreaterThanOrEqual(TOC.minLastPageShare);
      }
      // every entry inside the page, in order
      for (const item of plan.items) expect(item.top + item.lines.length * plan.lineHeight).toBeLessThanOrEqual(PAGE.height - PAGE.margins.bottom + 0.01);
      expect(plan.items.map((i) => i.headingIndex)).toEqual(Array.from({ length: count }, (_, i) => i));
    }
    expect(spilled).toBeGreaterThan(50);
  });

  it('reads back a spilled table of contents with entries spread over its pages', async () => {
    // Prepare: one entry more than a page holds at the normal spacing.
    const count = Array.from({ length: 60 }, (_, i) => 30 + i).find((n) => planToc(headingsFor(n), fonts).pages === 2 && planToc(headingsFor(n - 1), fonts).pages === 1)!;
    const headings = headingsFor(count);
    const model = documentWith(headings.flatMap((h): Block[] => [h, { type: 'paragraph', runs: [{ text: 'Texte.' }] }]));

    // Act
    const { bytes } = await renderPdfWithLayout(model);
    const proxy = await getDocumentProxy(new Uint8Array(bytes));
    // an entry's dot leader, which only contents pages have
    const entriesOn = async (page: number): Promise<number> =>
      (await (await proxy.getPage(page)).getTextContent()).items.filter((i) => 'str' in i && /\. \. \./.test(i.str)).length;

    // Assess: on one page with tighter spacing, or spread over two.
    const contents = [await entriesOn(2), await entriesOn(3)];
    expect(contents[0]! + contents[1]!).toBe(count);
    expect(contents[1] === 0 || Math.min(...contents) >= count / 4, `${contents}`).toBe(true);
  });
});

describe('bookmarks', () => {
  it('open each heading’s page at the heading, within a line of it', async () => {
    // Prepare
    const model = sampleDocument({ requirementRows: 60 });
    const headings = model.blocks.filter((b): b is HeadingBlock => b.type === 'heading');
    const { bytes, layout } = await renderPdfWithLayout(model);
    const proxy = await getDocumentProxy(new Uint8Array(bytes));

    // Act: every outline entry, nested ones included, with its destination.
    const flat: Array<{ title: string; dest: unknown }> = [];
    const walk = (items: Awaited<ReturnType<typeof proxy.getOutline>>): void => {
      for (const item of items ?? []) {
        flat.push({ title: item.title, dest: item.dest });
        walk(item.items);
      }
    };
    walk(await proxy.getOutline());

    // Assess
    expect(flat.map((o) => o.title)).toEqual(headings.map((h) => `${h.number} ${h.text}`));
    for (const [index, entry] of flat.entries()) {
      const h = headings[index]!;
      const [ref, kind, left, top] = entry.dest as [{ num: number; gen: number }, { name: string }, number, number];
      const page = (await proxy.getPageIndex(ref)) + 1;
      expect(page, entry.title).toBe(layout.headings[index]!.page);
      expect(kind.name).toBe('XYZ');
      expect(left).toBeCloseTo(PAGE.margins.left, 1);
      // the heading's first line as read back: its number's baseline (PDF y, upwards)
      const items = (await (await proxy.getPage(page)).getTextContent()).items;
      const number = items.find((i) => 'str' in i && i.str === h.number);
      expect(number, `${h.number} on page ${page}`).toBeDefined();
      const baseline = (number as { transform: number[] }).transform[5]!;
      const lineHeight = HEADINGS[h.level].lineHeight;
      expect(top - baseline, entry.title).toBeGreaterThan(0);
      expect(top - baseline, entry.title).toBeLessThanOrEqual(lineHeight);
    }
  });
});

describe('requirement references', () => {
  const fonts = loadFonts();
  const lineTexts = (text: Parameters<typeof prepare>[0], width: number): string[] =>
    layoutLines(prepare(text, fonts), width, 10).map((l) => l.segments.map((s) => s.text).join(''));

  it('never breaks a reference such as L1-TAB-03 across lines, at any width', () => {
    // Prepare
    const refs = ['L1-TAB-03', 'L12-WIFI-104', 'L3-ENI-07', 'LOT-10-SRV-2'];
    const text = [{ text: `Voir ${refs[0]}, ${refs[1]} et (${refs[2]}) ; enfin ${refs[3]}. Identifiant long : lot-1.buyer-1.storage.user` }];

    for (let width = 70; width <= 400; width += 3) {
      // Act
      const lines = lineTexts(text, width);

      // Assess
      const joined = lines.join('\n');
      for (const ref of refs) expect(joined, `width ${width}`).toContain(ref);
    }
    // long lowercase identifiers still break after their dots when they must
    expect(lineTexts(text, 70).some((l) => l.endsWith('lot-1.') || l.endsWith('buyer-1.') || l.endsWith('storage.'))).toBe(true);
  });

  it('keeps a run marked noBreak on one line, glued to its brackets', () => {
    // Act
    const lines = lineTexts([{ text: 'Exigence (' }, { text: 'réf. lot 1 tablette 03', noBreak: true }, { text: ') applicable.' }], 120);

    // Assess
    expect(lines.some((l) => l.includes('(réf. lot 1 tablette 03)'))).toBe(true);
  });
});
