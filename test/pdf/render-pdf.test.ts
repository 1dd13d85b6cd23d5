import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { extractText, getDocumentProxy, getMeta } from 'unpdf';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Block, DocumentModel, HeadingBlock } from '#src/core/documents/blocks.ts';
import { defaultFontsDir, FONT_FILES } from '#src/adapters/render/pdf/fonts.ts';
import { renderPdf, warmUpPdfRenderer } from '#src/adapters/render/pdf/render-pdf.ts';
import { formatEuros, sampleDocument } from '../support/sample-document.ts';

type PdfProxy = Awaited<ReturnType<typeof getDocumentProxy>>;

interface ReadBack {
  bytes: Buffer;
  proxy: PdfProxy;
  /** Text of each page, index 0 = page 1. */
  pages: string[];
}

async function readBack(bytes: Buffer): Promise<ReadBack> {
  // pdf.js may detach the buffer it is given: hand it a copy.
  const proxy = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(proxy, { mergePages: false });
  return { bytes, proxy, pages: text as string[] };
}

/** Any run of whitespace (including U+00A0 and U+202F) as one ordinary space. */
const squash = (s: string): string => s.replace(/\s+/gu, ' ');
const lines = (page: string): string[] => page.split('\n').map((l) => squash(l).trim());

/** A document whose blocks are replaced by `blocks` (cover, meta and footer from the sample). */
function documentWith(blocks: Block[]): DocumentModel {
  return { ...sampleDocument({ requirementRows: 0 }), blocks };
}

/** Decompressed content of every FlateDecode stream of the file (content, fonts, CMaps). */
function streams(bytes: Buffer): string[] {
  const out: string[] = [];
  const latin = bytes.toString('latin1');
  const re = /(?<!end)stream\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(latin))) {
    const start = m.index + m[0].length;
    const end = latin.indexOf('\nendstream', start);
    if (end < 0) break;
    try {
      out.push(inflateSync(bytes.subarray(start, end)).toString('latin1'));
    } catch {
      // not a compressed stream
    }
    re.lastIndex = end;
  }
  return out;
}

/** Text items (x, width) of a page whose right edge goes past the right margin or before the left one. */
async function itemsOutsideMargins(proxy: PdfProxy, pageNumber: number): Promise<string[]> {
  const page = await proxy.getPage(pageNumber);
  const [, , pageWidth] = page.view as [number, number, number, number];
  const content = await page.getTextContent();
  const bad: string[] = [];
  for (const item of content.items) {
    if (!('str' in item) || item.str.trim() === '') continue;
    const x = item.transform[4] as number;
    if (x < 57 - 0.5 || x + item.width > pageWidth - 57 + 0.5) bad.push(`${item.str.slice(0, 30)} @${x.toFixed(1)}+${item.width.toFixed(1)}`);
  }
  return bad;
}

describe('renderPdf', () => {
  const model = sampleDocument({ requirementRows: 60 });
  let sample: ReadBack;

  beforeAll(async () => {
    sample = await readBack(await renderPdf(model));
  });

  it('writes a complete PDF file', () => {
    // Assess
    expect(sample.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(sample.bytes.subarray(-6).toString('latin1').trim()).toBe('%%EOF');
    expect(sample.pages.length).toBeGreaterThanOrEqual(15);
    expect(sample.pages.length).toBeLessThanOrEqual(25);
  });

  it('contains the numbered headings and the table cells', () => {
    // Prepare
    const all = squash(sample.pages.join('\n'));

    // Assess
    for (const h of model.blocks.filter((b): b is HeadingBlock => b.type === 'heading')) {
      expect(all).toContain(`${h.number} ${h.text}`);
    }
    expect(all).toContain('ID Exigence Seuil Niveau Justificatif');
    expect(all).toContain('TAB-01');
    expect(all).toContain('Fiche technique du constructeur');
    expect(all).toContain('Rapport d’essai d’un laboratoire indépendant');
  });

  it('puts the footer text and "Page i / N" at the foot of every page, the cover included', () => {
    // Prepare
    const total = sample.pages.length;

    // Assess
    sample.pages.forEach((text, index) => {
      const footer = lines(text).at(-1);
      expect(footer).toBe(`${model.footerText} Page ${index + 1} / ${total}`);
    });
  });

  it('lists level 1 and 2 headings in the table of contents with the pages where they start', () => {
    // Prepare
    const headings = model.blocks.filter((b): b is HeadingBlock => b.type === 'heading' && b.level <= 2);
    const tocLines = sample.pages.slice(1, 3).flatMap(lines);

    // Act
    const entries = headings.map((h) => {
      const line = tocLines.find((l) => l.startsWith(`${h.number} ${h.text} .`));
      return { h, page: Number(line?.match(/ (\d+)$/)?.[1]) };
    });

    // Assess
    expect(lines(sample.pages[1]!)[0]).toBe('Sommaire');
    for (const { h, page } of entries) {
      expect(page, `${h.number} ${h.text}`).toBeGreaterThan(2);
      expect(lines(sample.pages[page - 1]!), `${h.number} on page ${page}`).toContain(`${h.number} ${h.text}`);
      // and not on an earlier page
      for (let p = 1; p < page - 1; p++) expect(lines(sample.pages[p]!)).not.toContain(`${h.number} ${h.text}`);
    }
    expect(tocLines.some((l) => l.startsWith('3.1.1 '))).toBe(false);
  });

  it('spreads a long table of contents over several pages, reserved before the body', async () => {
    // Prepare
    const doc = sampleDocument({ requirementRows: 90, sections: 90 });
    const headings = doc.blocks.filter((b): b is HeadingBlock => b.type === 'heading' && b.level <= 2);

    // Act
    const { pages } = await readBack(await renderPdf(doc));
    const tocPages = pages.flatMap((t, i) => (lines(t).some((l) => / \. \. \. .* \d+$/.test(l)) ? [i] : []));
    const tocLines = tocPages.flatMap((i) => lines(pages[i]!));

    // Assess
    expect(tocPages.length).toBeGreaterThanOrEqual(2);
    expect(tocPages).toEqual(Array.from({ length: tocPages.length }, (_, k) => 1 + k));
    for (const h of headings) {
      const line = tocLines.find((l) => l.startsWith(`${h.number} ${h.text} .`));
      const page = Number(line?.match(/ (\d+)$/)?.[1]);
      expect(lines(pages[page - 1] ?? ''), `${h.number} on page ${page}`).toContain(`${h.number} ${h.text}`);
    }
  });

  it('never leaves a heading at the foot of a page', async () => {
    // Prepare
    // Filler paragraphs move a heading (then a sub-heading and a table) down the first body page.
    const tableAfterHeadings = (fillers: number): DocumentModel =>
      documentWith([
        ...Array.from({ length: fillers }, (_, i): Block => ({ type: 'paragraph', runs: [{ text: `Paragraphe de remplissage ${i + 1}.` }] })),
        { type: 'heading', level: 1, number: '1', text: 'Chapitre suivi d’un tableau', anchor: 'sec-1' },
        { type: 'heading', level: 2, number: '1.1', text: 'Section suivie d’un tableau', anchor: 'sec-1-1' },
        {
          type: 'table',
          header: [[{ text: 'ID' }], [{ text: 'Exigence' }]],
          align: ['left', 'left'],
          rows: [[[{ text: 'A-01' }], [{ text: 'Ligne\ndeux\ntrois\nquatre' }]]],
        },
      ]);
    const docs = [model, sampleDocument({ requirementRows: 45, sections: 9 }), ...Array.from({ length: 14 }, (_, k) => tableAfterHeadings(22 + k))];

    for (const doc of docs) {
      // Act
      const { pages } = doc === model ? sample : await readBack(await renderPdf(doc));
      const headings = new Set(doc.blocks.filter((b): b is HeadingBlock => b.type === 'heading').map((h) => `${h.number} ${h.text}`));

      // Assess
      const first = pages.findIndex((text) => lines(text)[0] !== 'Sommaire' && !text.includes(doc.cover.title.slice(0, 20)));
      pages.slice(first).forEach((text, i) => {
        const body = lines(text).slice(0, -1);
        expect(headings.has(body.at(-1) ?? ''), `page ${first + i + 1} ends with "${body.at(-1)}"`).toBe(false);
      });
    }
  });

  it('adds bookmarks for the headings and links the table of contents to them', async () => {
    // Act
    const outline = await sample.proxy.getOutline();
    const destinations = await sample.proxy.getDestinations();
    const annotations = await (await sample.proxy.getPage(2)).getAnnotations();

    // Assess
    expect(outline.map((o) => o.title)).toEqual(
      model.blocks.filter((b): b is HeadingBlock => b.type === 'heading' && b.level === 1).map((h) => `${h.number} ${h.text}`),
    );
    expect(outline[2]!.items.map((o) => o.title)).toContain('3.1 Tablettes des élèves');
    expect(Object.keys(destinations)).toContain('sec-3-1');
    expect(annotations.filter((a) => a.subtype === 'Link').map((a) => a.dest)).toContain('sec-3-1');
  });

  it('reads back the metadata', async () => {
    // Act
    const { info } = await getMeta(sample.proxy);

    // Assess
    expect(info).toMatchObject({
      Title: model.meta.title,
      Author: model.meta.author,
      Subject: model.meta.subject,
      Keywords: 'CCTP, numérique éducatif, tablettes, écoles',
      Creator: 'Cahier',
      CreationDate: 'D:20260302093000Z',
      ModDate: 'D:20260302093000Z',
      Language: 'fr-FR',
    });
  });

  it('embeds DejaVu faces only, never Helvetica', () => {
    // Prepare
    const latin = sample.bytes.toString('latin1');

    // Assess
    expect(latin).not.toContain('Helvetica');
    expect(latin).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
    expect(latin).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans-Bold\b/);
  });

  it('keeps all text inside the side margins', async () => {
    // Act
    const bad: string[] = [];
    for (let p = 1; p <= sample.pages.length; p++) bad.push(...(await itemsOutsideMargins(sample.proxy, p)));

    // Assess
    expect(bad).toEqual([]);
  });

  it('gives byte-identical output for the same model', async () => {
    // Act
    const again = await renderPdf(sampleDocument({ requirementRows: 60 }));

    // Assess
    expect(again.equals(sample.bytes)).toBe(true);
  });

  it('round-trips French characters, ≥ ≤ and amounts with a narrow no-break space', async () => {
    // Prepare
    const amount = formatEuros(1_234_567.5);
    expect(amount).toContain('\u202f');
    const doc = documentWith([
      { type: 'heading', level: 1, number: '1', text: 'Caractères', anchor: 'sec-1' },
      { type: 'paragraph', runs: [{ text: `Montant ${amount} ; seuils ≥ 32 Go et ≤ 5 kg ; é à ç œ «» et « guillemets ».` }] },
      { type: 'table', header: [[{ text: 'Poste' }], [{ text: 'Montant' }]], align: ['left', 'right'], rows: [[[{ text: 'Total' }], [{ text: amount }]]] },
    ]);

    // Act
    const { bytes, pages } = await readBack(await renderPdf(doc));
    const text = squash(pages.join('\n'));

    // Assess
    expect(text).toContain('1 234 567,50 €');
    expect(text).not.toMatch(/1\s*\/\s*234/);
    expect(text).toContain('≥ 32 Go');
    expect(text).toContain('≤ 5 kg');
    expect(text).toContain('é à ç œ «» et « guillemets »');
    // pdf.js turns U+202F into a plain space; the font's ToUnicode map proves the real character is drawn.
    expect(streams(bytes).some((s) => s.includes('beginbfrange') && /<202f>/i.test(s))).toBe(true);
  });

  it('renders a paragraph mixing bold, italic and code runs', async () => {
    // Prepare
    const doc = documentWith([
      {
        type: 'paragraph',
        runs: [
          { text: 'Texte ' },
          { text: 'gras', bold: true },
          { text: ', ' },
          { text: 'italique', italic: true },
          { text: ', ' },
          { text: 'gras italique', bold: true, italic: true },
          { text: ' et ' },
          { text: 'code()', code: true },
          { text: ' collé:' },
          { text: 'suite', bold: true },
          { text: '.' },
        ],
      },
    ]);

    // Act
    const { bytes, pages } = await readBack(await renderPdf(doc));

    // Assess
    expect(squash(pages.join('\n'))).toContain('Texte gras, italique, gras italique et code() collé:suite.');
    const fonts = bytes.toString('latin1').match(/\/BaseFont \/[A-Z]{6}\+[\w-]+/g) ?? [];
    for (const face of ['DejaVuSans', 'DejaVuSans-Bold', 'DejaVuSans-Oblique', 'DejaVuSans-BoldOblique', 'DejaVuSansMono']) {
      expect(fonts.some((f) => f.endsWith(`+${face}`)), face).toBe(true);
    }
  });

  it('continues a 200-row table over several pages with its header on each', async () => {
    // Prepare
    const doc = sampleDocument({ requirementRows: 200, sections: 1 });
    const header = 'ID Exigence Seuil Niveau Justificatif';

    // Act
    const { pages } = await readBack(await renderPdf(doc));
    const withHeader = pages.flatMap((text, i) => (lines(text).includes(header) ? [i] : []));
    const first = withHeader[0]!;
    const last = withHeader.at(-1)!;
    const tableText = squash(pages.slice(first, last + 1).join('\n'));

    // Assess
    expect(withHeader.length).toBeGreaterThanOrEqual(5);
    expect(withHeader).toEqual(Array.from({ length: last - first + 1 }, (_, k) => first + k));
    for (let i = 1; i <= 200; i++) expect(tableText).toContain(`TAB-${String(i).padStart(2, '0')} `);
    // rows are not split: each row's ID and its justification are on the same page
    for (const i of withHeader) {
      const rows = lines(pages[i]!).filter((l) => /^TAB-\d+ /.test(l));
      expect(rows.length).toBeGreaterThan(0);
    }
  });

  it('breaks a 10 000-character word inside its cell and paragraph without overflowing or looping', async () => {
    // Prepare
    const word = Array.from({ length: 10_000 }, (_, i) => String.fromCharCode(97 + ((i * 7) % 26))).join('');
    const doc = documentWith([
      { type: 'heading', level: 1, number: '1', text: 'Mot très long', anchor: 'sec-1' },
      {
        type: 'table',
        header: [[{ text: 'Référence' }], [{ text: 'Valeur' }], [{ text: 'Note' }]],
        align: ['left', 'left', 'right'],
        rows: [
          [[{ text: 'A' }], [{ text: `début ${word} fin` }], [{ text: 'ok' }]],
          [[{ text: 'B' }], [{ text: 'court' }], [{ text: 'ok' }]],
        ],
      },
      { type: 'paragraph', runs: [{ text: word, code: true }] },
    ]);

    // Act
    const started = performance.now();
    const read = await readBack(await renderPdf(doc));
    const elapsed = performance.now() - started;
    const joined = read.pages.join('').replace(/\s+/g, '');

    // Assess
    expect(joined).toContain(word.slice(0, 300));
    expect(joined).toContain(word.slice(-300));
    expect(joined).toContain(`${word.slice(-50)}fin`);
    // ≈ 10 000 chars at ~35 per table line and ~90 per paragraph line: a handful of pages each
    expect(read.pages.length).toBeLessThanOrEqual(16);
    expect(elapsed).toBeLessThan(5_000);
    const tablePages = read.pages.flatMap((t, i) => (lines(t).includes('Référence Valeur Note') ? [i + 1] : []));
    expect(tablePages.length).toBeGreaterThanOrEqual(2);
    for (let p = 1; p <= read.pages.length; p++) expect(await itemsOutsideMargins(read.proxy, p)).toEqual([]);
  });

  it('handles an empty document and odd blocks without failing', async () => {
    // Prepare
    const doc = documentWith([
      { type: 'page-break' },
      { type: 'paragraph', runs: [] },
      { type: 'list', ordered: true, items: [] },
      { type: 'table', header: [], rows: [], align: [] },
      { type: 'table', header: [], rows: [[[{ text: 'sans en-tête' }]]], align: [] },
      { type: 'paragraph', runs: [{ text: 'ligne 1\nligne 2' }] },
    ]);

    // Act
    const { pages } = await readBack(await renderPdf(doc));

    // Assess
    expect(pages.length).toBe(2); // cover + one body page, no table of contents
    expect(lines(pages[1]!)).toEqual(expect.arrayContaining(['sans en-tête', 'ligne 1', 'ligne 2']));
  });

  it('loads the fonts from a given directory, as a bundle would ship them', async () => {
    // Prepare
    const dir = mkdtempSync(path.join(tmpdir(), 'cahier-fonts-'));
    for (const file of FONT_FILES) copyFileSync(path.join(defaultFontsDir(), file), path.join(dir, file));

    try {
      // Act
      const bytes = await renderPdf(model, { fontsDir: dir });

      // Assess
      expect(bytes.equals(sample.bytes)).toBe(true);
      await expect(renderPdf(model, { fontsDir: path.join(dir, 'missing') })).rejects.toThrow(/DejaVuSans\.ttf/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('maps every glyph to its character whatever the process rendered before', async () => {
    // Prepare: fresh font objects, so that this test controls what they have been used for.
    const dirs = [0, 1].map(() => mkdtempSync(path.join(tmpdir(), 'cahier-fonts-')));
    for (const dir of dirs) for (const file of FONT_FILES) copyFileSync(path.join(defaultFontsDir(), file), path.join(dir, file));
    // "è", "é", "ü" are drawn with the glyphs of "`", "´", "¨" as components.
    const accented = documentWith([{ type: 'paragraph', runs: [{ text: 'Accents composés : è é ü ê ç ñ å ï' }] }]);
    const spacing = documentWith([{ type: 'paragraph', runs: [{ text: 'Accents seuls : ` ´ ¨ ^ ¸ ~ ˚' }] }]);

    try {
      // Act
      await renderPdf(accented, { fontsDir: dirs[0] });
      const afterAccented = await renderPdf(spacing, { fontsDir: dirs[0] });
      const fresh = await renderPdf(spacing, { fontsDir: dirs[1] });
      const { pages } = await readBack(afterAccented);

      // Assess
      expect(squash(pages[1]!)).toContain('Accents seuls : ` ´ ¨ ^ ¸ ~ ˚');
      expect(afterAccented.equals(fresh)).toBe(true);
    } finally {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads back text whose glyph ids are the bytes of parentheses, backslash and line ends, and text drawn through PDFKit', async () => {
    // Prepare: over a hundred distinct glyphs in one face, so that the subset ids 0x0a, 0x0d,
    // 0x28, 0x29 and 0x5c (written escaped in the content stream) are all used.
    const latin = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789 àâäçéèêëîïôöùûüÿœæ ÀÂÇÉÈÊËÎÏÔÙÛÜŒÆ';
    const greek = 'αβγδεζηθικλμνξοπρστυφχψω ΓΔΘΛΞΠΣΦΨΩ';
    const signs = '( ) [ ] { } \\ / | @ # $ % & * + = < > ~ ^ _ ` ¤ § ¶ © ® ° ± ½ ¼ ¾';
    const doc = documentWith([
      { type: 'paragraph', runs: [{ text: latin }] },
      { type: 'paragraph', runs: [{ text: greek }] },
      { type: 'paragraph', runs: [{ text: signs }] },
      // Right-to-left words and combining marks go through PDFKit's text().
      { type: 'paragraph', runs: [{ text: 'Hébreu : שלום ; marque : cafe\u0301 fin.' }] },
    ]);

    // Act
    const { pages } = await readBack(await renderPdf(doc));
    const text = squash(pages.join('\n'));

    // Assess
    expect(text).toContain(latin);
    expect(text).toContain(greek);
    expect(text).toContain(signs);
    expect(text).toMatch(/Hébreu : (שלום|םולש) ; marque : caf/);
    expect(text).toContain('fin.');
  });

  it('warms up without error', async () => {
    // Act / Assess
    await expect(warmUpPdfRenderer()).resolves.toBeUndefined();
  });

  it('rejects an invalid creation date', async () => {
    // Prepare
    const doc = { ...model, meta: { ...model.meta, createdAt: 'not a date' } };

    // Act / Assess
    await expect(renderPdf(doc)).rejects.toThrow(/createdAt/);
  });
});
