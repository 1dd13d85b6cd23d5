/**
 * Law as data: a document may cite only what the law records hold. Every example is generated in
 * every format, each file is read back as text (PDF through pdf.js, Word and Excel from their XML,
 * JSON as written, report.json included), and every article of a code (L…, R…, D…) and every
 * numbered text (loi, décret, ordonnance, EU regulation) printed in it must be one of the records'
 * `reference.articles`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { citableArticles } from '#src/core/law/law.ts';
import type { GeneratedDocuments } from '#src/app/generate-documents.ts';
import { pdfText } from '../support/pdf-text.ts';
import { example, generateFrom } from '../support/pipeline.ts';
import { unescapeXml, wordParagraphs, wordText, zipParts } from './support/office.ts';
import { EXAMPLE_NAMES, sharedDeps } from './support/models.ts';
import { legalReferences } from './support/legal-references.ts';

const ALL_FORMATS = ['pdf', 'rc', 'docx', 'xlsx', 'json', 'ccap', 'ae'];

/** The text of one generated file, whatever its format. */
async function textOf(name: string, content: Uint8Array): Promise<string> {
  if (name.endsWith('.pdf')) return pdfText(content);
  if (name.endsWith('.docx')) {
    const parts = zipParts(content);
    const body = wordParagraphs(parts.get('word/document.xml')!).map((p) => p.text);
    const others = [...parts].filter(([part]) => /^word\/(header|footer|footnotes)\d*\.xml$/.test(part)).map(([, xml]) => wordText(xml));
    return [...body, ...others].join('\n');
  }
  if (name.endsWith('.xlsx')) {
    const parts = zipParts(content);
    return [...parts]
      .filter(([part]) => part.startsWith('xl/') && part.endsWith('.xml'))
      .map(([, xml]) => unescapeXml(xml.replace(/<[^>]+>/g, ' ')))
      .join('\n');
  }
  return new TextDecoder().decode(content);
}

describe('legalReferences', () => {
  it('finds code articles, numbered texts and EU regulations, and nothing in CPV codes or dates', () => {
    expect(
      legalReferences(
        'articles R2111-8 à R2111- 11 du code ; CCP L2112-2-1 ; loi n° 2015-136 du 9 février 2015 ; décret n° 2024-134 ; Règlement (UE) 2023/1670 ; CPV 30213200-7 ; 2026-10-05',
      ),
    ).toEqual(['Décret n° 2024-134', 'L2112-2-1', 'Loi n° 2015-136', 'R2111-11', 'R2111-8', 'Règlement (UE) 2023/1670']);
  });
});

describe.each(EXAMPLE_NAMES)('legal references printed in every document of examples/%s', (name) => {
  let generated: GeneratedDocuments;
  const texts = new Map<string, string>();

  beforeAll(async () => {
    generated = await generateFrom(example(name), await sharedDeps(), ALL_FORMATS);
    for (const d of generated.documents) texts.set(d.name, await textOf(d.name, d.content));
    texts.set('report.json', JSON.stringify(generated.report));
  });

  it('are all in the law records', () => {
    const citable = citableArticles();
    const strays: string[] = [];
    for (const [file, text] of texts) {
      for (const reference of legalReferences(text)) if (!citable.has(reference)) strays.push(`${file}: ${reference}`);
    }
    expect(strays).toEqual([]);
  });

  it('are read from each format (the check is not vacuous)', () => {
    expect([...texts.keys()]).toEqual(['cctp.pdf', 'rc-extrait.pdf', 'cctp.docx', 'cadre-de-reponse.xlsx', 'bordereau-des-prix.xlsx', 'tender.ocds.json', 'ccap.pdf', 'ccap.docx', 'acte-engagement.pdf', 'acte-engagement.docx', 'report.json']);
    for (const file of ['cctp.pdf', 'rc-extrait.pdf', 'cctp.docx', 'ccap.pdf', 'ccap.docx']) expect(legalReferences(texts.get(file)!).length, file).toBeGreaterThan(3);
    expect(legalReferences(texts.get('report.json')!).length).toBeGreaterThan(0);
    expect(legalReferences(texts.get('cctp.pdf')!)).toEqual(legalReferences(texts.get('cctp.docx')!));
  });
});
