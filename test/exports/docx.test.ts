import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentModel, HeadingBlock } from '#src/core/documents/blocks.ts';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { renderDocx } from '#src/adapters/render/docx/render-docx.ts';
import { wordParagraphs, wordTables, wordText, zipEntryTimes, zipParts } from './support/office.ts';
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

  it('holds only its own parts: every relationship internal to the package, no macro or embedded binary, every part typed', () => {
    const names = [...parts.keys()];
    const contentTypes = parts.get('[Content_Types].xml')!;
    expect(contentTypes).not.toMatch(/macroEnabled|vbaProject|oleObject|activeX/i);
    expect(names.filter((n) => !n.endsWith('.xml') && !n.endsWith('.rels'))).toEqual([]);
    expect(names.filter((n) => /vba|macro|activeX|embeddings|customXml/i.test(n))).toEqual([]);
    for (const name of names.filter((n) => n.endsWith('.rels'))) {
      const relationships = [...parts.get(name)!.matchAll(/<Relationship\s([^>]*)\/>/g)].map((m) => m[1]!);
      expect(relationships.length, name).toBeGreaterThan(0);
      // a part's relationships are resolved from its folder: _rels/.rels from the root, word/_rels/x.rels from word/
      const base = name.replace(/_rels\/[^/]*\.rels$/, '');
      for (const relationship of relationships) {
        expect(relationship, name).not.toMatch(/TargetMode="External"/);
        const target = /Target="([^"]+)"/.exec(relationship)![1]!;
        expect(target, name).not.toMatch(/^[a-z][a-z0-9+.-]*:|^\/\//i);
        expect(parts.has(`${base}${target}`), `${name} → ${target}`).toBe(true);
      }
    }
    for (const name of names.filter((n) => n !== '[Content_Types].xml' && !n.endsWith('.rels'))) {
      expect(contentTypes, name).toContain(`<Override PartName="/${name}" ContentType="application/vnd.openxmlformats-`);
    }
  });

  it('writes every heading under its Word heading style, numbered by the multilevel list of the numbering part', () => {
    const headings = model.blocks.filter((b): b is HeadingBlock => b.type === 'heading');
    const paragraphs = [...documentXml.matchAll(/<w:p(?:\s[^>]*)?>([\s\S]*?)<\/w:p>/g)].map((m) => m[1]!).filter((p) => /<w:pStyle w:val="Heading[1-3]"\/>/.test(p));
    expect(paragraphs.map((p) => ({ style: /<w:pStyle w:val="([^"]+)"/.exec(p)![1], text: wordText(p) }))).toEqual(headings.map((h) => ({ style: `Heading${h.level}`, text: h.text })));
    // each heading bound to one numbering instance at its level (ilvl = level − 1)
    const bindings = paragraphs.map((p) => /<w:numPr><w:ilvl w:val="(\d)"\/><w:numId w:val="(\d+)"\/><\/w:numPr>/.exec(p));
    expect(bindings.every((b) => b !== null)).toBe(true);
    expect(bindings.map((b) => Number(b![1]) + 1)).toEqual(headings.map((h) => h.level));
    const numIds = new Set(bindings.map((b) => b![2]));
    expect(numIds.size).toBe(1);
    // the instance's abstract numbering counts « 4 », « 4.2 », « 4.2.1 » in decimals, followed by a tab
    const numbering = parts.get('word/numbering.xml')!;
    const abstractId = new RegExp(`<w:num w:numId="${[...numIds][0]}"[^>]*><w:abstractNumId w:val="(\\d+)"/>`).exec(numbering)![1];
    const abstract = new RegExp(`<w:abstractNum w:abstractNumId="${abstractId}"[\\s\\S]*?</w:abstractNum>`).exec(numbering)![0];
    const levels = [...abstract.matchAll(/<w:lvl w:ilvl="(\d)"[\s\S]*?<w:numFmt w:val="(\w+)"\/>(?:<w:suff w:val="(\w+)"\/>)?<w:lvlText w:val="([^"]*)"\/>/g)].map((m) => [m[1], m[2], m[3], m[4]]);
    expect(levels.slice(0, 3)).toEqual([
      ['0', 'decimal', 'tab', '%1'],
      ['1', 'decimal', 'tab', '%1.%2'],
      ['2', 'decimal', 'tab', '%1.%2.%3'],
    ]);
    // Word's count gives the model's numbers: no typed number anywhere in the headings
    const counters = [0, 0, 0];
    const counted = headings.map((h) => {
      counters[h.level - 1]! += 1;
      counters.fill(0, h.level);
      return counters.slice(0, h.level).join('.');
    });
    expect(counted).toEqual(headings.map((h) => h.number));
    const styles = parts.get('word/styles.xml')!;
    for (const level of [1, 2, 3]) {
      expect(styles).toMatch(new RegExp(`w:styleId="Heading${level}"[\\s\\S]*?<w:outlineLvl w:val="${level - 1}"/>`));
    }
  });

  it('writes the table of contents already filled: a TOC field whose cached entries are the headings, linked to their bookmarks, and no update-fields prompt', () => {
    const headings = model.blocks.filter((b): b is HeadingBlock => b.type === 'heading');
    const paragraphs = wordParagraphs(documentXml);
    const sommaire = paragraphs.findIndex((p) => p.style === 'TOCHeading' && p.text === 'Sommaire');
    const firstHeading = paragraphs.findIndex((p) => p.style === 'Heading1');
    expect(sommaire).toBeGreaterThan(0);
    expect(sommaire).toBeLessThan(firstHeading);
    // the field: begin and instruction in the first entry, end in the last, entries between as its result
    const begin = documentXml.indexOf('<w:instrText xml:space="preserve"> TOC \\o &quot;1-3&quot; \\h \\z \\u </w:instrText>');
    expect(begin).toBeGreaterThan(0);
    const field = documentXml.slice(documentXml.lastIndexOf('<w:p>', begin), documentXml.indexOf('<w:pStyle w:val="Heading1"/>'));
    const entries = [...field.matchAll(/<w:p>([\s\S]*?)<\/w:p>/g)].map((m) => m[1]!);
    const cached = entries
      .filter((e) => e.includes('<w:hyperlink'))
      .map((e) => ({ style: /<w:pStyle w:val="([^"]+)"/.exec(e)?.[1], anchor: /<w:hyperlink w:anchor="([^"]+)"/.exec(e)?.[1], text: wordText(e).trimEnd() }));
    expect(cached).toHaveLength(entries.length);
    expect(cached.map(({ style, text }) => ({ style, text }))).toEqual(headings.map((h) => ({ style: `TOC${h.level}`, text: `${h.number}\t${h.text}` })));
    // each entry links to the bookmark around its heading
    for (const [i, entry] of cached.entries()) {
      const at = documentXml.indexOf(`<w:bookmarkStart w:name="${entry.anchor}"`);
      expect(at, headings[i]!.text).toBeGreaterThan(0);
      expect(wordText(documentXml.slice(at, documentXml.indexOf('</w:p>', at)))).toBe(headings[i]!.text);
    }
    const fieldEnd = documentXml.indexOf('<w:fldChar w:fldCharType="end"/></w:r></w:p>', begin);
    expect(fieldEnd).toBeLessThan(documentXml.indexOf('<w:pStyle w:val="Heading1"/>'));
    expect(parts.get('word/settings.xml')).not.toContain('updateFields');
    expect(documentXml).not.toContain('w:dirty');
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
    expect(core).toContain(`<dc:creator>${tender.request.buyer.name}</dc:creator>`);
    expect(core).toContain('<dc:language>fr-FR</dc:language>');
    // keywords: the CPV codes of the lots, then the kind of document
    const cpv = [...new Set(tender.lots.flatMap((l) => (l.cpv ? [l.cpv.main] : l.lines.map((line) => line.item.cpv)).map((c) => `CPV ${c.slice(0, 8)}`)))];
    expect(cpv.length).toBeGreaterThan(0);
    expect(core).toContain(`<cp:keywords>${cpv.join(', ')}, CCTP, commande publique`);
    expect(core).toMatch(/<dc:title>CCTP — /);
    expect(core).toMatch(/<dc:subject>Cahier des clauses techniques particulières — /);
    expect(new Set(zipEntryTimes(docx))).toEqual(new Set([`${date} 00:00:00`]));
  });

  it('is byte-identical when rendered twice in the same process', async () => {
    const again = await renderDocx(model);
    expect(Buffer.compare(Buffer.from(again), Buffer.from(docx))).toBe(0);
  });
});
