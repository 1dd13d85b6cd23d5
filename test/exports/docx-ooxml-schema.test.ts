/**
 * Issue #15: every Word file Cahier writes validates against the Office Open XML schemas
 * (ECMA-376 5th edition, Transitional; test/standards/ooxml) — the DCE's pieces of every example
 * request, v1 and v2, through the real output registry, and the offer analysis's RAO and letters.
 * Each part is read as a Markup Compatibility consumer reads it first (test/support/xmllint.ts).
 */
import { describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { ANALYSIS_RENDERERS } from '#src/adapters/offers/analysis-renderers.ts';
import { bidTemplates, readBid } from '#src/adapters/offers/read-bid.ts';
import { DOCX } from '#src/adapters/render/formats.ts';
import { parseAnalysisInput, runAnalysis } from '#src/app/analyse-offers.ts';
import { createOutputRegistry } from '#src/app/outputs.ts';
import { needsDataProcessingAnnex } from '#src/core/documents/dpa-document.ts';
import { evaluateFrom, example, EXAMPLES, generateFrom, realDeps, v2Example, V2_EXAMPLES } from '../support/pipeline.ts';
import { markupCompatibility, schemaOfPart, xmllintErrors, xmllintOrSkip, type SchemaCheck } from '../support/xmllint.ts';
import { evaluatedExample } from './support/models.ts';
import { scenarioBids, scenarioMarks } from '../offers/support/scenario.ts';

const xmllint = xmllintOrSkip();
const decoder = new TextDecoder();

/** Every part of a Word file (all XML) with its schema, after Markup Compatibility processing. */
const partsToCheck = (fileName: string, docx: Uint8Array): SchemaCheck[] =>
  Object.entries(unzipSync(docx)).map(([part, bytes]) => ({ label: `${fileName}!${part}`, schema: schemaOfPart(part), xml: markupCompatibility(decoder.decode(bytes)) }));

/** The Word files a generation writes for a request: the real registry's outputs, the DOCX ones only (no PDF rendered). */
async function wordFiles(request: Record<string, any>): Promise<{ name: string; content: Uint8Array }[]> {
  const deps = await realDeps();
  const words = deps.outputs.outputsFor(deps.outputs.formats.map((f) => f.name)).filter((o) => o.mediaType === DOCX);
  const outputs = createOutputRegistry(deps.outputs.formats, words, deps.outputs.defaultFormats);
  // the data-processing annex only when a lot processes personal data (the generation refuses it otherwise)
  const withAnnex = needsDataProcessingAnnex((await evaluateFrom(request, deps.catalogue)).tender);
  const formats = [...new Set(words.map((o) => o.format))].filter((f) => withAnnex || f !== 'dpa');
  return (await generateFrom(request, { ...deps, outputs }, formats)).documents;
}

const REQUESTS = [
  ...Object.entries(EXAMPLES).map(([name, file]) => ({ file, request: () => example(name as keyof typeof EXAMPLES) })),
  ...Object.entries(V2_EXAMPLES).map(([name, file]) => ({ file, request: () => v2Example(name as keyof typeof V2_EXAMPLES) })),
];

describe.skipIf(xmllint === null)('the Word files validate against the OOXML schemas (ECMA-376 Transitional, xmllint)', () => {
  it('reads a part as a Markup Compatibility consumer: ignorable namespaces’ elements and attributes removed, the rest kept', () => {
    const xml =
      '<?xml version="1.0"?><w:document xmlns:w="urn:w" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:w14="urn:w14" xmlns:x="urn:x" mc:Ignorable="w14">' +
      '<w:p w14:paraId="1" x:keep="1"><w14:extra><w:r/></w14:extra><w:r><w:t xml:space="preserve"> a </w:t></w:r><w14:empty/></w:p></w:document>';
    expect(markupCompatibility(xml)).toBe(
      '<?xml version="1.0"?><w:document xmlns:w="urn:w" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:w14="urn:w14" xmlns:x="urn:x">' +
        '<w:p x:keep="1"><w:r><w:t xml:space="preserve"> a </w:t></w:r></w:p></w:document>',
    );
  });

  it('refuses a part that breaks the schema: an element out of its sequence, an unknown value, a creation date not in W3CDTF', async () => {
    const [cctp] = await wordFiles(example('commune'));
    const parts = partsToCheck('cctp.docx', cctp!.content);
    const document = parts.find((c) => c.label.endsWith('!word/document.xml'))!;
    const core = parts.find((c) => c.label.endsWith('!docProps/core.xml'))!;
    const badDate = { ...core, label: 'bad-date', xml: core.xml.replace(/(<dcterms:created[^>]*>)[^<]*/, '$11er décembre 2026') };
    const reordered = { ...document, xml: document.xml.replace(/<w:pPr><w:pStyle w:val="([^"]+)"\/>/, '<w:pPr><w:jc w:val="left"/><w:pStyle w:val="$1"/>') };
    const badValue = { ...document, xml: document.xml.replace(/<w:pStyle w:val="Heading1"\/>/, '<w:pStyle w:val="Heading1"/><w:jc w:val="middle"/>') };
    expect(reordered.xml).not.toBe(document.xml);
    expect(badValue.xml).not.toBe(document.xml);
    expect(badDate.xml).not.toBe(core.xml);
    const errors = await xmllintErrors(xmllint!, [document, { ...reordered, label: 'reordered' }, { ...badValue, label: 'bad-value' }, core, badDate]);
    expect(errors.some((e) => e.startsWith('reordered:') && e.includes('pStyle'))).toBe(true);
    expect(errors.some((e) => e.startsWith('bad-value:') && e.includes("'middle'"))).toBe(true);
    expect(errors.some((e) => e.startsWith('bad-date:') && e.includes('W3CDTF'))).toBe(true);
    expect(errors.filter((e) => !/^(reordered|bad-value|bad-date)\b/.test(e))).toEqual([]);
  }, 30_000);

  it.each(REQUESTS)('every part of every Word file generated for $file validates', async ({ request }) => {
    const files = await wordFiles(request());
    expect(files.length).toBeGreaterThanOrEqual(4); // CCTP, RC, CCAP, AE (and the annex)
    const checks = files.flatMap((f) => partsToCheck(f.name, f.content));
    for (const part of ['word/document.xml', 'word/styles.xml', 'word/numbering.xml', 'word/settings.xml', 'docProps/core.xml', 'docProps/app.xml']) {
      expect(checks.filter((c) => c.label.endsWith(`!${part}`)).length, part).toBe(files.length);
    }
    expect(await xmllintErrors(xmllint!, checks)).toEqual([]);
  }, 30_000);

  it('every part of the RAO and of the letters to the bidders not retained validates (examples/departement, lot 1)', async () => {
    const { tender } = await evaluatedExample('departement');
    const templates = await bidTemplates(tender);
    const bids = (await scenarioBids(tender)).map((f) => readBid(tender, templates, f));
    const input = parseAnalysisInput({ ...scenarioMarks(tender), letters: { sentOn: '2027-01-18' } });
    const noPdf = { ...ANALYSIS_RENDERERS, pdf: async () => new Uint8Array() };
    const { files } = await runAnalysis(tender, bids, input, noPdf);
    const words = files.filter((f) => f.name.endsWith('.docx'));
    expect(words.map((f) => f.name.replace(/-lot-1.*$/, ''))).toEqual(['rao', ...Array(5).fill('lettre-offre-non-retenue')]);
    const checks = words.flatMap((f) => partsToCheck(f.name, f.content));
    expect(await xmllintErrors(xmllint!, checks)).toEqual([]);
  }, 60_000);
});
