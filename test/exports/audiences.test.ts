/**
 * Two audiences, two kinds of documents: every file a bidder receives carries only what binds
 * the bidders, and the buyer's own material (conformity and funding verdicts, findings, estimated
 * prices, changes made to the framework, origins of the criteria) goes into the note interne.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '#src/core/model/format.ts';
import type { GeneratedDocuments } from '#src/app/generate-documents.ts';
import type { GenerateDocumentsDeps } from '#src/app/generate-documents.ts';
import { pdfText } from '../support/pdf-text.ts';
import { example, generateFrom } from '../support/pipeline.ts';
import { cellText, readWorkbook, wordText, zipParts } from './support/office.ts';
import { EXAMPLE_NAMES, sharedDeps } from './support/models.ts';

/** What the issue lists as the buyer's internal wording, apostrophes and spaces folded. */
const INTERNAL_WORDING = [
  'subvention',
  'cofinancement',
  'points de vigilance',
  'modifiable par l\'acheteur',
  'seuil indicatif',
  'renforcé par l\'acheteur',
  'assoupli par l\'acheteur',
  'usage du marché',
  'pratique de marché',
  'éligible',
  'market-practice',
];

const fold = (text: string) => text.replace(/[’‘]/g, "'").replace(/\s+/g, ' ').toLowerCase();

/** A two-lot file whose buyer tightened, loosened and excluded criteria and priced every line. */
function twoLotFile(): Record<string, unknown> {
  const request = structuredClone(example('commune'));
  const lot = request.lots[0];
  request.lots = [
    lot,
    {
      title: 'Postes enseignants',
      items: [{ itemId: 'teacher-laptop', quantity: 6 }],
      estimatedUnitPrices: { 'teacher-laptop': 913 },
      overrides: [
        { criterionId: 'laptop.ssd', metric: { type: 'numeric', unit: 'Go', comparator: 'gte', value: 256 }, justification: 'Les documents sont enregistrés sur l’espace numérique de travail.' },
      ],
    },
  ];
  return request;
}

async function texts(generated: GeneratedDocuments): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const d of generated.documents) {
    if (d.name.endsWith('.pdf')) out.set(d.name, await pdfText(d.content));
    else if (d.name.endsWith('.docx')) out.set(d.name, wordText(zipParts(d.content).get('word/document.xml')!));
    else if (d.name.endsWith('.xlsx')) {
      const workbook = await readWorkbook(d.content);
      const cells: string[] = [];
      workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(cellText(cell.value)))));
      const { title, subject, keywords, description } = workbook;
      out.set(d.name, [title, subject, keywords, description, ...cells].join('\n'));
    } else out.set(d.name, new TextDecoder().decode(d.content));
  }
  return out;
}

const CASES = [...EXAMPLE_NAMES.map((name) => [name, () => example(name)] as const), ['two-lot file', twoLotFile] as const];

describe.each(CASES)('documents of %s', (_, input) => {
  let deps: GenerateDocumentsDeps;
  let generated: GeneratedDocuments;
  let byName: Map<string, string>;
  let request: Record<string, any>;

  beforeAll(async () => {
    deps = await sharedDeps();
    request = input();
    generated = await generateFrom(request, deps, ['pdf', 'rc', 'docx', 'xlsx', 'json', 'note', 'ccap', 'ae']);
    byName = await texts(generated);
  });

  it('gives bidders no internal wording, no estimated price and no buyer-only section', () => {
    const bidder = generated.documents.filter((d) => d.audience === 'bidder');
    expect(bidder.map((d) => d.name)).toEqual(['cctp.pdf', 'rc.pdf', 'rc.docx', 'cctp.docx', 'cadre-de-reponse.xlsx', 'bordereau-des-prix.xlsx', 'tender.ocds.json', 'ccap.pdf', 'ccap.docx', 'acte-engagement.pdf', 'acte-engagement.docx']);
    const prices = (request.lots as Array<{ estimatedUnitPrices?: Record<string, number> }>).flatMap((l) => Object.values(l.estimatedUnitPrices ?? {}));
    for (const d of bidder) {
      const text = fold(byName.get(d.name)!);
      for (const words of INTERNAL_WORDING) expect(text, `${d.name} says « ${words} »`).not.toContain(words);
      for (const price of prices) expect(text, `${d.name} prints the estimate ${price}`).not.toContain(fold(formatMoney(price)));
      expect(text).not.toContain('estimatedunitprice');
    }
  });

  it('puts the conformity verdict, the funding estimate, every finding and the estimate in the note interne', async () => {
    const note = generated.documents.find((d) => d.name === 'note-interne.pdf')!;
    expect(note.audience).toBe('buyer');
    const text = fold(byName.get('note-interne.pdf')!);
    expect(text).toContain('ne doit être ni publiée ni transmise aux candidats');
    expect(text).toMatch(/sélection (non )?conforme au référentiel/);
    expect(text).toContain('cofinancement : estimation');
    for (const finding of generated.report.findings) expect(text, finding.code).toContain(fold(finding.message));
    const prices = (request.lots as Array<{ estimatedUnitPrices?: Record<string, number> }>).flatMap((l) => Object.values(l.estimatedUnitPrices ?? {}));
    for (const price of prices) expect(text).toContain(fold(formatMoney(price)));
  });
});

describe('the two-lot file', () => {
  it('reports the loosened threshold in the note interne only, next to the reference it changed', async () => {
    const generated = await generateFrom(twoLotFile(), await sharedDeps(), ['pdf', 'note']);
    const note = fold(await pdfText(generated.documents.find((d) => d.name === 'note-interne.pdf')!.content));
    const cctp = fold(await pdfText(generated.documents.find((d) => d.name === 'cctp.pdf')!.content));
    expect(note).toMatch(/l2-por-\d\d .*seuil assoupli : ≥ 256 go au lieu de ≥ 512 go/);
    expect(note).toContain('les documents sont enregistrés sur l\'espace numérique de travail');
    expect(cctp).toMatch(/l2-por-\d\d [^]*≥ 256 go exigence minimale/);
    expect(cctp).not.toContain('seuil assoupli');
  });
});
