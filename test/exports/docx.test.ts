import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentModel, HeadingBlock } from '#src/core/documents/blocks.ts';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { renderDocx } from '#src/adapters/render/docx/render-docx.ts';
import { wordParagraphs, wordTables, zipEntryTimes, zipParts } from './support/office.ts';
import { EXAMPLE_NAMES, evaluatedExample } from './support/models.ts';

describe.each(EXAMPLE_NAMES)('renderDocx on examples/%s', (name) => {
  let model: DocumentModel;
  let tender: ResolvedTender;
  let docx: Uint8Array;
  let parts: Map<string, string>;
  let documentXml: string;

  beforeAll(async () => {
    ({ model, tender } = await evaluatedExample(name));
    docx = await renderDocx(model);
    parts = zipParts(docx);
    documentXml = parts.get('word/document.xml')!;
  });

  it('is a Word package with the document, styles, numbering and footer parts', () => {
    expect(Buffer.from(docx.subarray(0, 2)).toString()).toBe('PK');
    expect([...parts.keys()][0]).toBe('[Content_Types].xml');
    for (const part of ['word/document.xml', 'word/styles.xml', 'word/numbering.xml', 'word/footer1.xml', 'docProps/core.xml']) {
      expect(parts.has(part), part).toBe(true);
    }
  });

  it('writes every heading with its number under the matching Word heading style, in order', () => {
    const headings = model.blocks.filter((b): b is HeadingBlock => b.type === 'heading');
    const written = wordParagraphs(documentXml).filter((p) => p.style && /^Heading[1-3]$/.test(p.style));
    expect(written).toEqual(headings.map((h) => ({ style: `Heading${h.level}`, text: `${h.number}\t${h.text}` })));
    const styles = parts.get('word/styles.xml')!;
    for (const level of [1, 2, 3]) {
      expect(styles).toMatch(new RegExp(`w:styleId="Heading${level}"[\\s\\S]*?<w:outlineLvl w:val="${level - 1}"/>`));
    }
  });

  it('inserts a table of contents field over Heading1–3 after the cover', () => {
    const paragraphs = wordParagraphs(documentXml);
    const sommaire = paragraphs.findIndex((p) => p.style === 'TOCHeading' && p.text === 'Sommaire');
    const firstHeading = paragraphs.findIndex((p) => p.style === 'Heading1');
    expect(sommaire).toBeGreaterThan(0);
    expect(sommaire).toBeLessThan(firstHeading);
    expect(documentXml).toContain('TOC \\h \\o &quot;1-3&quot;');
    expect(parts.get('word/settings.xml')).toContain('<w:updateFields/>');
  });

  it('lists every requirement of every lot by reference, with a repeated header row on every table', () => {
    const tables = wordTables(documentXml);
    const requirementTables = tables.filter((t) => t.rows[0]?.[0] === 'Réf.' && t.rows[0]?.[1] === 'Exigence');
    expect(requirementTables.length).toBeGreaterThan(0);
    // The cover facts table is layout, every other table repeats its header.
    expect(tables.slice(1).every((t) => t.headerRow)).toBe(true);
    const ids = requirementTables.flatMap((t) => t.rows.slice(1).map((r) => r[0]));
    for (const lot of tender.lots) {
      for (const requirement of lot.requirements) expect(ids).toContain(requirement.reference);
    }
  });

  it('keeps bold, italic and code runs, and lists as numbered paragraphs', () => {
    expect(documentXml).toMatch(/<w:b\/>/);
    expect(documentXml).toMatch(/<w:i\/>/);
    expect(documentXml).toMatch(/<w:numPr><w:ilvl w:val="0"\/><w:numId w:val="\d+"\/><\/w:numPr>/);
  });

  it('prints the reference and « Page X / Y » fields in the footer', () => {
    const footer = parts.get('word/footer1.xml')!;
    expect(footer).toContain(model.footerText);
    expect(footer).toMatch(/Page <\/w:t>[\s\S]*PAGE[\s\S]*> \/ <\/w:t>[\s\S]*NUMPAGES/);
  });

  it('declares French and the document metadata with the consultation date', () => {
    expect(parts.get('word/styles.xml')).toContain('<w:lang w:val="fr-FR"/>');
    expect(parts.get('word/settings.xml')).toContain('<w:themeFontLang w:val="fr-FR"/>');
    const core = parts.get('docProps/core.xml')!;
    const date = model.meta.createdAt.slice(0, 10);
    expect(core).toContain(`<dcterms:created xsi:type="dcterms:W3CDTF">${date}T00:00:00Z</dcterms:created>`);
    expect(core).toContain(`<dcterms:modified xsi:type="dcterms:W3CDTF">${date}T00:00:00Z</dcterms:modified>`);
    expect(core).toContain('<dc:creator>');
    expect(core).toContain('<cp:keywords>CCTP, commande publique');
    expect(core).toMatch(/<dc:title>CCTP — /);
    expect(core).toMatch(/<dc:subject>Cahier des clauses techniques particulières — /);
    expect(new Set(zipEntryTimes(docx))).toEqual(new Set([`${date} 00:00:00`]));
  });

  it('is byte-identical when rendered twice in the same process', async () => {
    const again = await renderDocx(model);
    expect(Buffer.compare(Buffer.from(again), Buffer.from(docx))).toBe(0);
  });
});
