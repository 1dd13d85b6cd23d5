/**
 * Archival PDF (PDF/A-3a with PDF/UA-1), read back by poppler as an archive's tools would: the
 * XMP names both standards, mirrors the information dictionary and escapes the buyer's text; the
 * sRGB output intent is there; every font is embedded; the OCDS release comes out of every PDF
 * byte for byte equal to tender.ocds.json, and the request out of the buyer's note interne.
 * veraPDF is not installable here (see README), so its checks are made through poppler's reading.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPdf } from '#src/adapters/render/pdf/render-pdf.ts';
import type { GenerateDocumentsDeps } from '#src/app/generate-documents.ts';
import { evaluateFrom, generateFrom, realDeps } from '../support/pipeline.ts';
import { poppler, popplerAvailable } from '../support/poppler.ts';
import { sampleDocument } from '../support/sample-document.ts';

const EXAMPLE_FILES = readdirSync(new URL('../../examples/', import.meta.url)).filter((f) => f.endsWith('.json'));
const available = popplerAvailable();

let dir: string;
let deps: GenerateDocumentsDeps;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cahier-archival-'));
  deps = await realDeps();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The XMP packet as pdfinfo prints it, and the information dictionary's fields. */
async function metadata(file: string) {
  const [xmp, info] = await Promise.all([poppler('pdfinfo', ['-meta', file]), poppler('pdfinfo', [file])]);
  const field = (name: string) => info.match(new RegExp(`^${name}:\\s+(.*)$`, 'm'))?.[1];
  return { xmp, title: field('Title'), author: field('Author'), tagged: field('Tagged') };
}

/** A minimal XML well-formedness check: every element closed in order, entities known. */
function wellFormed(xml: string): boolean {
  const body = xml.replace(/<\?xpacket[^?]*\?>/g, '');
  if (/&(?!(amp|lt|gt|quot|apos);)/.test(body)) return false;
  const stack: string[] = [];
  for (const m of body.matchAll(/<(\/?)([\w:]+)[^>]*?(\/?)>/g)) {
    if (m[3] === '/') continue;
    if (m[1] === '/') {
      if (stack.pop() !== m[2]) return false;
    } else stack.push(m[2]!);
  }
  return stack.length === 0;
}

const unescapeXml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

describe.skipIf(!available)('archival PDF (PDF/A-3a and PDF/UA-1), read back by poppler', () => {
  it.each(EXAMPLE_FILES)('examples/%s: every PDF is identified, embeds its fonts and carries the OCDS release byte for byte', async (name) => {
    // Prepare
    const input = JSON.parse(readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8'));

    // Act
    const { documents } = await generateFrom(input, deps, ['pdf', 'rc', 'json', 'note']);

    // Assess
    const ocds = documents.find((d) => d.name === 'tender.ocds.json')!.content;
    const pdfs = documents.filter((d) => d.mediaType === 'application/pdf');
    expect(pdfs.map((d) => d.name)).toEqual(['cctp.pdf', 'rc.pdf', 'note-interne.pdf']);
    for (const pdf of pdfs) {
      const file = path.join(dir, `${name}-${pdf.name}`);
      writeFileSync(file, pdf.content);
      const { xmp, title, tagged } = await metadata(file);
      expect(tagged, pdf.name).toBe('yes');
      expect(wellFormed(xmp), pdf.name).toBe(true);
      expect(xmp).toMatch(/<pdfaid:part>3<\/pdfaid:part>\s*<pdfaid:conformance>A<\/pdfaid:conformance>/);
      expect(xmp).toContain('<pdfuaid:part>1</pdfuaid:part>');
      expect(xmp).toContain('<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>');
      expect(unescapeXml(xmp.match(/<dc:title><rdf:Alt><rdf:li xml:lang="x-default">(.*?)<\/rdf:li>/)![1]!)).toBe(title);
      const raw = Buffer.from(pdf.content).toString('latin1');
      expect(raw).toMatch(/\/OutputIntents \[\d+ 0 R\]/);
      expect(raw).toMatch(/\/S \/GTS_PDFA1/);
      expect(raw).toMatch(/\/DestOutputProfile \d+ 0 R/);

      const fonts = (await poppler('pdffonts', [file])).split('\n').slice(2).filter((l) => l.trim() !== '');
      expect(fonts.length, pdf.name).toBeGreaterThan(0);
      // columns: name type encoding emb sub uni object ID
      expect(fonts.every((l) => /\s+yes\s+yes\s+yes\s+\d+\s+\d+$/.test(l)), `${pdf.name}:\n${fonts.join('\n')}`).toBe(true);

      const expected = pdf.name === 'note-interne.pdf' ? ['tender.ocds.json', 'demande.json'] : ['tender.ocds.json'];
      const list = await poppler('pdfdetach', ['-list', file]);
      expect(list.split('\n').slice(1).filter((l) => l.trim() !== '').map((l) => l.replace(/^\d+: /, '')).sort(), pdf.name).toEqual([...expected].sort());
      expect(raw.match(/\/AFRelationship \/Data/g), pdf.name).toHaveLength(1);
      expect(raw.match(/\/AFRelationship \/Source/g) ?? [], pdf.name).toHaveLength(expected.length - 1);
      expect(raw).toMatch(/\/Subtype \/application#2Fjson/);
      const out = path.join(dir, `${name}-${pdf.name}.ocds.json`);
      await poppler('pdfdetach', ['-savefile', 'tender.ocds.json', '-o', out, file]);
      expect(Buffer.compare(readFileSync(out), Buffer.from(ocds)), `${pdf.name}: embedded OCDS = tender.ocds.json`).toBe(0);
      if (pdf.name === 'note-interne.pdf') {
        const request = path.join(dir, `${name}-demande.json`);
        await poppler('pdfdetach', ['-savefile', 'demande.json', '-o', request, file]);
        // the request as validated, with the documents' typography (’)
        const { tender } = await evaluateFrom(input, deps.catalogue);
        expect(readFileSync(request, 'utf8')).toBe(`${JSON.stringify(tender.source, null, 2)}\n`);
      }
    }
  });

  it('escapes the buyer’s text in the XMP and states the same dates as the information dictionary', async () => {
    // Prepare
    const model = sampleDocument({ requirementRows: 5 });
    model.meta.title = 'Tablettes <R&D> « écoles » d’Aix';
    model.meta.author = 'Commune d’Aix & Co';

    // Act
    const file = path.join(dir, 'escaped.pdf');
    writeFileSync(file, await renderPdf(model));
    const { xmp, title, author } = await metadata(file);

    // Assess
    expect(wellFormed(xmp)).toBe(true);
    expect(title).toBe(model.meta.title);
    expect(author).toBe(model.meta.author);
    expect(xmp).toContain('Tablettes &lt;R&amp;D&gt; « écoles » d&apos;Aix'.replace('&apos;', '’'));
    const date = model.meta.createdAt.slice(0, 19);
    expect(xmp).toContain(`<xmp:CreateDate>${date}Z</xmp:CreateDate>`);
    expect(xmp).toContain(`<xmp:ModifyDate>${date}Z</xmp:ModifyDate>`);
    expect(xmp).toContain('<dc:language><rdf:Bag><rdf:li>fr-FR</rdf:li></rdf:Bag></dc:language>');
  });
});
