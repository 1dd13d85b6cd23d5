/**
 * Tagged PDF (PDF/UA-1): the structure tree read back by poppler (`pdfinfo -struct-text`) is the
 * document model, node for node and text for text, in reading order; nothing is painted outside
 * tagged content or artifacts; the catalog says the file is tagged, in French, with its title
 * shown. veraPDF cannot be installed from the registries these machines reach (see README).
 *
 * Poppler 22.12 reads each element's text by interpreting its page again (`-struct-text`: 44 s for
 * the medium CCTP's ≈ 740 elements on this 2-core machine, against 0.01 s for the tree alone,
 * `-struct`). So every document is checked node for node, types, attributes and annotations, and
 * a document of each kind text for text (`WITH_TEXT`): the same tagger writes them all.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aeLotDocument } from '#src/core/documents/ae-document.ts';
import { buildBordereauDocument, type DceEntry } from '#src/core/documents/bordereau.ts';
import { runsText, type DocumentModel } from '#src/core/documents/blocks.ts';
import { DOCUMENT_MODELS } from '#src/core/documents/document-models.ts';
import { renderPdfWithLayout, type PdfLayout } from '#src/adapters/render/pdf/render-pdf.ts';
import { untaggedPainting } from '../support/pdf-content.ts';
import { cctpModel, evaluateFrom, EXAMPLES, generateFrom, realDeps, V2_EXAMPLES } from '../support/pipeline.ts';
import { fold, parseStructText, poppler, popplerAvailable, type StructNode } from '../support/poppler.ts';
import { sampleDocument } from '../support/sample-document.ts';

/** What a node must be: type, text (folded) and children. */
interface Expected {
  type: string;
  text: string;
  children: Expected[];
}

const node = (type: string, text = '', children: Expected[] = []): Expected => ({ type, text: fold(text), children });

/**
 * The tree the model calls for, written from the model alone: the cover's paragraphs, the
 * contents (a TOCI holding a Link per entry of levels 1–2, with its page number), then one
 * element per block.
 */
function expectedTree(model: DocumentModel, layout: PdfLayout): Expected {
  const children: Expected[] = [
    node('P', model.cover.kicker),
    node('P', model.cover.title),
    ...model.cover.facts.map((f) => node('P', `${f.label} ${f.value}`)),
    node('P', model.cover.footnote),
  ];
  const headings = model.blocks.flatMap((b) => (b.type === 'heading' ? [b] : []));
  const entries = headings.flatMap((h, i) => (h.level <= 2 ? [{ h, page: layout.headings[i]!.page }] : []));
  if (entries.length > 0) {
    children.push(node('P', 'Sommaire'));
    children.push(node('TOC', '', entries.map(({ h, page }) => node('TOCI', '', [node('Link', `${h.number} ${h.text} ${page}`)]))));
  }
  for (const block of model.blocks) {
    switch (block.type) {
      case 'heading':
        children.push(node(`H${block.level}`, `${block.number} ${block.text}`));
        break;
      case 'paragraph':
        if (runsText(block.runs).trim() !== '') children.push(node('P', runsText(block.runs)));
        break;
      case 'list':
        children.push(node('L', '', block.items.map((item, i) => node('LI', '', [node('Lbl', block.ordered ? `${i + 1}.` : '•'), node('LBody', runsText(item))]))));
        break;
      case 'table': {
        const columns = Math.max(block.header.length, ...block.rows.map((r) => r.length));
        if (columns === 0) break;
        const row = (cells: (typeof block.rows)[number], type: 'TH' | 'TD'): Expected =>
          node('TR', '', Array.from({ length: columns }, (_, c) => node(type, runsText(cells[c] ?? []))));
        children.push(node('Table', '', [...(block.header.length > 0 ? [row(block.header, 'TH')] : []), ...block.rows.map((r) => row(r, 'TD'))]));
        break;
      }
      case 'page-break':
        break;
    }
  }
  return node('Document', '', children);
}

const project = (n: StructNode): Expected => ({ type: n.type, text: n.text, children: n.children.map(project) });
const all = (n: StructNode): StructNode[] => [n, ...n.children.flatMap(all)];

const available = popplerAvailable();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cahier-tagged-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The structure tree without its texts: what `pdfinfo -struct` shows. */
const shape = (n: Expected): Expected => ({ type: n.type, text: '', children: n.children.map(shape) });

/** Documents read back text for text: one of each kind (the rest node for node, see the module comment). */
const WITH_TEXT = new Set(['commune CCTP', 'departement RC', 'ville note interne', '00_Bordereau_des_pieces.pdf', '02_AE_lot1.pdf', '04_CCAP_annexe_RGPD.pdf']);

async function readStructure(file: string, withText: boolean) {
  const [info, structText] = await Promise.all([poppler('pdfinfo', [file]), poppler('pdfinfo', [withText ? '-struct-text' : '-struct', file])]);
  return { info, tree: parseStructText(structText) };
}

async function readBack(name: string, model: DocumentModel, withText = true) {
  const { bytes, layout } = await renderPdfWithLayout(model);
  const file = path.join(dir, `${name.replace(/\W+/g, '-')}.pdf`);
  writeFileSync(file, bytes);
  return { bytes, layout, ...(await readStructure(file, withText)) };
}

async function exampleModels(): Promise<[string, DocumentModel][]> {
  const deps = await realDeps();
  const out: [string, DocumentModel][] = [];
  for (const [name, file] of Object.entries(EXAMPLES)) {
    const input = JSON.parse(readFileSync(file, 'utf8'));
    out.push([`${name} CCTP`, await cctpModel(input, deps)]);
    const { tender, rules } = await evaluateFrom(input, deps.catalogue);
    out.push([`${name} note interne`, DOCUMENT_MODELS['note-interne'](tender, rules, deps.templates)]);
    out.push([`${name} RC`, DOCUMENT_MODELS.rc(tender, rules, deps.templates)]);
  }
  return out;
}

describe.skipIf(!available)('tagged PDF (PDF/UA-1), read back by poppler', () => {
  it('matches the document model node for node: the examples’ CCTP, RC and note interne, and a 500-requirement document', async () => {
    // Prepare
    const models: [string, DocumentModel][] = [...(await exampleModels()), ['500 exigences', sampleDocument({ requirementRows: 500, sections: 7 })]];

    for (const [name, model] of models) {
      // Act
      const withText = WITH_TEXT.has(name);
      const { bytes, layout, info, tree } = await readBack(name, model, withText);

      // Assess
      expect(info, name).toMatch(/^Tagged:\s+yes$/m);
      expect(tree, name).toHaveLength(1);
      const expected = expectedTree(model, layout);
      expect(project(tree[0]!), name).toEqual(withText ? expected : shape(expected));
      const headers = all(tree[0]!).filter((n) => n.type === 'TH');
      expect(headers.every((th) => th.attributes.includes('/Scope /Column')), name).toBe(true);
      const links = all(tree[0]!).filter((n) => n.type === 'Link');
      expect(links.every((l) => l.objects === 1), `${name}: every contents entry owns its link annotation`).toBe(true);
      expect(untaggedPainting(bytes), name).toEqual([]);
    }
    expect(models.filter(([name]) => WITH_TEXT.has(name)).map(([name]) => name).sort()).toEqual(['commune CCTP', 'departement RC', 'ville note interne']);
  }, 300_000);

  it('matches the document model node for node for every PDF of the DCE, read from the zip: bordereau, RC, each lot’s AE, CCAP, annex, CCTP', async () => {
    // Prepare
    const deps = await realDeps();
    const input = JSON.parse(readFileSync(V2_EXAMPLES.departement, 'utf8'));
    const { tender, rules } = await evaluateFrom(input, deps.catalogue);
    const model = (name: keyof typeof DOCUMENT_MODELS) => DOCUMENT_MODELS[name](tender, rules, deps.templates);

    // Act
    const { documents } = await generateFrom(input, deps, ['dce']);
    const zip = unzipSync(documents.find((d) => d.name === 'dce.zip')!.content);
    const manifest = JSON.parse(new TextDecoder().decode(zip['manifest.json']!)) as { files: DceEntry[] };

    // Assess
    const models: Record<string, DocumentModel> = {
      '00_Bordereau_des_pieces.pdf': buildBordereauDocument(tender, manifest.files.slice(1)),
      ...Object.fromEntries(tender.lots.map((lot) => [`02_AE_lot${lot.number}.pdf`, aeLotDocument(tender, model('acte-engagement'), lot.number)])),
      '03_CCAP.pdf': model('ccap'),
      '04_CCAP_annexe_RGPD.pdf': model('annexe-rgpd'),
      '05_CCTP.pdf': model('cctp'),
    };
    models['01_RC.pdf'] = model('rc');
    expect(Object.keys(zip).filter((n) => n.endsWith('.pdf')).sort()).toEqual(Object.keys(models).sort());
    expect(Object.keys(models).filter((name) => WITH_TEXT.has(name))).toHaveLength(3);
    for (const [name, expected] of Object.entries(models)) {
      const file = path.join(dir, `dce-${name}`);
      writeFileSync(file, zip[name]!);
      const withText = WITH_TEXT.has(name);
      const { info, tree } = await readStructure(file, withText);
      const { layout } = await renderPdfWithLayout(expected);
      expect(info, name).toMatch(/^Tagged:\s+yes$/m);
      expect(tree, name).toHaveLength(1);
      expect(project(tree[0]!), name).toEqual(withText ? expectedTree(expected, layout) : shape(expectedTree(expected, layout)));
      expect(untaggedPainting(Buffer.from(zip[name]!)), name).toEqual([]);
    }
  }, 300_000);

  it('declares itself tagged, in French, showing its title, with every link described and pages in structure order', async () => {
    // Prepare
    const model = sampleDocument({ requirementRows: 40 });

    // Act
    const { bytes } = await readBack('catalog', model, false);
    const text = bytes.toString('latin1');

    // Assess
    expect(text).toMatch(/\/MarkInfo \d+ 0 R/);
    expect(text).toMatch(/<<\n\/Marked true\n>>/);
    expect(text).toMatch(/\/Lang \(fr-FR\)/);
    expect(text).toMatch(/\/DisplayDocTitle true/);
    const annotations = [...text.matchAll(/\n\d+ 0 obj\n<<\n[^]*?\nendobj/g)].map((m) => m[0]).filter((o) => o.includes('/Subtype /Link'));
    expect(annotations.length).toBeGreaterThan(0);
    expect(annotations.every((a) => /\/Contents \(.+\)/.test(a) && /\/StructParent \d+/.test(a))).toBe(true);
    const pages = [...text.matchAll(/\/Type \/Page\n[\s\S]*?>>\nendobj/g)].map((m) => m[0]);
    expect(pages.every((p) => p.includes('/Tabs /S'))).toBe(true);
  });
});
