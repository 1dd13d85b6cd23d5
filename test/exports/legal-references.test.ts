/**
 * Law as data: a document may cite only what the law records hold. Every example is generated in
 * every format, each file is read back as text (PDF through pdf.js, Word and Excel from their XML,
 * JSON as written, report.json included), and every article of a code (L…, R…, D…) and every
 * numbered text (loi, décret, ordonnance, EU regulation) printed in it must be one of the records'
 * `reference.articles`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as LABELS from '#src/core/documents/labels.ts';
import { citableArticles, LAW, type LawId } from '#src/core/law/law.ts';
import type { Procedure } from '#src/core/model/tender-request.ts';
import { CATALOGUE_DIR } from '#src/entry/paths.ts';
import type { GeneratedDocuments } from '#src/app/generate-documents.ts';
import { pdfText } from '../support/pdf-text.ts';
import { needsDataProcessingAnnex } from '#src/core/documents/dpa-document.ts';
import { evaluateFrom, example, generateFrom } from '../support/pipeline.ts';
import { unescapeXml, wordParagraphs, wordText, zipParts } from './support/office.ts';
import { EXAMPLE_NAMES, sharedDeps } from './support/models.ts';
import { legalReferences } from './support/legal-references.ts';


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

/** The examples, and the département's file as a restricted procedure (no example uses it, and its label cites its own articles). */
const CASES: Array<[string, () => unknown]> = [
  ...EXAMPLE_NAMES.map((name): [string, () => unknown] => [name, () => example(name)]),
  ['departement (restricted)', () => ({ ...(example('departement') as object), procedure: 'restricted' })],
];

/** Strays: references in `text` that no law record holds. */
function strays(text: string, where: string): string[] {
  const citable = citableArticles();
  return legalReferences(text)
    .filter((reference) => !citable.has(reference))
    .map((reference) => `${where}: ${reference}`);
}

describe('legal references any document can print', () => {
  it('in every label, template and catalogue text are in the law records', () => {
    const found: string[] = [];
    for (const [name, labels] of Object.entries(LABELS)) {
      if (typeof labels !== 'object' || labels === null) continue;
      for (const [key, label] of Object.entries(labels)) if (typeof label === 'string') found.push(...strays(label, `labels.${name}.${key}`));
    }
    const templates = path.resolve('templates');
    for (const file of readdirSync(templates, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.hbs'))) {
      found.push(...strays(readFileSync(path.join(templates, file), 'utf8'), `templates/${file}`));
    }
    for (const file of ['criteria.json', 'criteria-frozen.json', 'items.json']) {
      found.push(...strays(readFileSync(path.join(CATALOGUE_DIR, file), 'utf8'), `catalogue/${file}`));
    }
    expect(found).toEqual([]);
  });

  it('cite, in each procedure label, only articles of that procedure’s own record (R2124-3 is the negotiated procedure’s, not the restricted one’s)', () => {
    const recordOf: Record<Procedure, LawId> = {
      'negotiated-without-notice': 'no-publicity.supplies-services',
      adapted: 'procedure.adapted',
      open: 'procedure.open',
      restricted: 'procedure.restricted',
    };
    for (const [procedure, label] of Object.entries(LABELS.PROCEDURE_LABELS) as Array<[Procedure, string]>) {
      const own = new Set(LAW.filter((r) => r.id === recordOf[procedure]).flatMap((r) => r.reference.articles));
      expect(legalReferences(label).length, procedure).toBeGreaterThan(0);
      expect(legalReferences(label).filter((a) => !own.has(a)), procedure).toEqual([]);
    }
    expect(legalReferences(LABELS.PROCEDURE_LABELS.restricted)).toEqual(['L2124-2', 'R2124-2', 'R2161-11', 'R2161-6']);
  });
});

describe.each(CASES)('legal references printed in every document of examples/%s', (_name, request) => {
  let generated: GeneratedDocuments;
  const texts = new Map<string, string>();

  beforeAll(async () => {
    // Every format the registry offers, so a document added later is checked without touching this
    // test; the data-processing annex only where a lot processes personal data (elsewhere it is refused).
    const deps = await sharedDeps();
    const { tender } = await evaluateFrom(request(), deps.catalogue);
    const formats = deps.outputs.formats.map((f) => f.name).filter((f) => f !== 'dpa' || needsDataProcessingAnnex(tender));
    generated = await generateFrom(request(), deps, formats);
    for (const d of generated.documents) texts.set(d.name, await textOf(d.name, d.content));
    texts.set('report.json', JSON.stringify(generated.report));
  });

  it('are all in the law records', () => {
    expect([...texts].flatMap(([file, text]) => strays(text, file))).toEqual([]);
  });

  it('are read from each format (the check is not vacuous)', () => {
    expect([...texts.keys()]).toEqual(expect.arrayContaining(['cctp.pdf', 'rc.pdf', 'rc.docx', 'cctp.docx', 'cadre-de-reponse.xlsx', 'bordereau-des-prix.xlsx', 'tender.ocds.json', 'note-interne.pdf', 'ccap.pdf', 'ccap.docx', 'acte-engagement.pdf', 'acte-engagement.docx', 'report.json']));
    expect(texts.size).toBe(generated.documents.length + 1);
    for (const file of ['cctp.pdf', 'rc.pdf', 'cctp.docx', 'note-interne.pdf', 'ccap.pdf', 'ccap.docx']) expect(legalReferences(texts.get(file)!).length, file).toBeGreaterThan(3);
    expect(legalReferences(texts.get('report.json')!).length).toBeGreaterThan(0);
    expect(legalReferences(texts.get('cctp.pdf')!)).toEqual(legalReferences(texts.get('cctp.docx')!));
  });
});
