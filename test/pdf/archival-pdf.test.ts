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
import { unzipSync } from 'fflate';
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

/**
 * One PDF read back: tagged, identified as PDF/A-3a and PDF/UA-1, the sRGB output intent, every
 * font embedded, and exactly the expected attachments, the OCDS release equal to `ocds` byte for byte.
 */
async function expectArchival(file: string, bytes: Uint8Array, ocds: Uint8Array, attachments: readonly string[] = ['tender.ocds.json']): Promise<void> {
  const label = path.basename(file);
  writeFileSync(file, bytes);
  const { xmp, title, tagged } = await metadata(file);
  expect(tagged, label).toBe('yes');
  expect(wellFormed(xmp), label).toBe(true);
  expect(xmp, label).toMatch(/<pdfaid:part>3<\/pdfaid:part>\s*<pdfaid:conformance>A<\/pdfaid:conformance>/);
  expect(xmp, label).toContain('<pdfuaid:part>1</pdfuaid:part>');
  expect(xmp, label).toContain('<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>');
  expect(unescapeXml(xmp.match(/<dc:title><rdf:Alt><rdf:li xml:lang="x-default">(.*?)<\/rdf:li>/)![1]!), label).toBe(title);
  const raw = Buffer.from(bytes).toString('latin1');
  expect(raw, label).toMatch(/\/OutputIntents \[\d+ 0 R\]/);
  expect(raw, label).toMatch(/\/S \/GTS_PDFA1/);
  expect(raw, label).toMatch(/\/DestOutputProfile \d+ 0 R/);

  const fonts = (await poppler('pdffonts', [file])).split('\n').slice(2).filter((l) => l.trim() !== '');
  expect(fonts.length, label).toBeGreaterThan(0);
  // columns: name type encoding emb sub uni object ID
  expect(fonts.every((l) => /\s+yes\s+yes\s+yes\s+\d+\s+\d+$/.test(l)), `${label}:\n${fonts.join('\n')}`).toBe(true);

  const list = await poppler('pdfdetach', ['-list', file]);
  expect(list.split('\n').slice(1).filter((l) => l.trim() !== '').map((l) => l.replace(/^\d+: /, '')).sort(), label).toEqual([...attachments].sort());
  expect(raw.match(/\/AFRelationship \/Data/g), label).toHaveLength(1);
  expect(raw.match(/\/AFRelationship \/Source/g) ?? [], label).toHaveLength(attachments.length - 1);
  expect(raw, label).toMatch(/\/Subtype \/application#2Fjson/);
  const out = `${file}.ocds.json`;
  await poppler('pdfdetach', ['-savefile', 'tender.ocds.json', '-o', out, file]);
  expect(Buffer.compare(readFileSync(out), Buffer.from(ocds)), `${label}: embedded OCDS = tender.ocds.json`).toBe(0);
}

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
      await expectArchival(file, pdf.content, ocds, pdf.name === 'note-interne.pdf' ? ['tender.ocds.json', 'demande.json'] : ['tender.ocds.json']);
      if (pdf.name === 'note-interne.pdf') {
        const request = path.join(dir, `${name}-demande.json`);
        await poppler('pdfdetach', ['-savefile', 'demande.json', '-o', request, file]);
        // the request as validated, with the documents' typography (’)
        const { tender } = await evaluateFrom(input, deps.catalogue);
        expect(readFileSync(request, 'utf8')).toBe(`${JSON.stringify(tender.source, null, 2)}\n`);
      }
    }
  });

  it.each(EXAMPLE_FILES)('examples/%s: every PDF of the DCE, in the zip and alone, is archival and carries the release the zip holds', async (name) => {
    // Prepare
    const input = JSON.parse(readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8'));

    // Act
    const { documents } = await generateFrom(input, deps, ['json', 'ccap', 'ae', 'dce']);

    // Assess
    const ocds = documents.find((d) => d.name === 'tender.ocds.json')!.content;
    const zip = unzipSync(documents.find((d) => d.name === 'dce.zip')!.content);
    expect(Buffer.compare(Buffer.from(zip['08_Donnees_OCDS.json']!), Buffer.from(ocds)), 'the zip’s OCDS = tender.ocds.json').toBe(0);
    const inZip = Object.keys(zip).filter((n) => n.endsWith('.pdf'));
    const alone = documents.filter((d) => d.mediaType === 'application/pdf');
    expect(inZip).toEqual(expect.arrayContaining(['00_Bordereau_des_pieces.pdf', '03_CCAP.pdf', '05_CCTP.pdf']));
    expect(inZip.some((n) => n.startsWith('01_RC')), 'the RC').toBe(true);
    expect(alone.map((d) => d.name)).toEqual(['ccap.pdf', 'acte-engagement.pdf']);
    for (const pdfName of inZip) await expectArchival(path.join(dir, `${name}-zip-${pdfName}`), zip[pdfName]!, ocds);
    for (const pdf of alone) await expectArchival(path.join(dir, `${name}-${pdf.name}`), pdf.content, ocds);
    expect(Buffer.compare(Buffer.from(zip['03_CCAP.pdf']!), Buffer.from(alone[0]!.content)), 'the zip’s CCAP is the CCAP').toBe(0);
  }, 120_000);

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
