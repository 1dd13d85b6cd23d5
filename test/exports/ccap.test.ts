/**
 * The CCAP (issue #15, piece 1): built from the request on the CCAG-TIC, read back from its PDF and
 * its Word file. Every example of the repository (v1 and v2) builds one; the buyer's choices
 * (penalties, cap, advance, retention, court) change the text where it prints them and nowhere
 * else; a choice departing from the CCAG-TIC is listed in the last chapter with the article it
 * overrides; every CCAG-TIC article and every Code article printed is a law record.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HeadingBlock } from '#src/core/documents/blocks.ts';
import { buildCcapDocument } from '#src/core/documents/ccap-document.ts';
import { buildCcapContext, CCAP_ARTICLES } from '#src/core/documents/ccap-context.ts';
import { citableArticles } from '#src/core/law/law.ts';
import { renderPdf } from '#src/adapters/render/pdf/render-pdf.ts';
import { renderDocx } from '#src/adapters/render/docx/render-docx.ts';
import { pdfText } from '../support/pdf-text.ts';
import { evaluateFrom } from '../support/pipeline.ts';
import { wordParagraphs, zipParts } from './support/office.ts';
import { sharedDeps } from './support/models.ts';
import { legalReferences } from './support/legal-references.ts';

const fold = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ');
const EXAMPLE_FILES = readdirSync(new URL('../../examples/', import.meta.url)).filter((f) => f.endsWith('.json')).sort();
const load = (file: string): Record<string, any> => JSON.parse(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8'));

async function ccap(request: unknown) {
  const deps = await sharedDeps();
  const { tender, rules } = await evaluateFrom(request, deps.catalogue);
  const model = buildCcapDocument(tender, rules, deps.templates);
  const text = fold(await pdfText(await renderPdf(model)));
  return { model, text };
}

/** The CCAG-TIC articles a text cites: « article 14.1.1 du CCAG-TIC », « CCAG-TIC (article 14.1.1) », « CCAG-TIC art. 14 ». */
function ccagArticles(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/article (\d+(?:\.\d+)*) du CCAG-TIC/g)) found.add(`CCAG-TIC art. ${m[1]}`);
  for (const m of text.matchAll(/CCAG-TIC \(article (\d+(?:\.\d+)*)\)/g)) found.add(`CCAG-TIC art. ${m[1]}`);
  for (const m of text.matchAll(/CCAG-TIC art\. (\d+(?:\.\d+)*)/g)) found.add(`CCAG-TIC art. ${m[1]}`);
  return [...found].sort();
}

const chapters = (blocks: readonly { type: string }[]) => blocks.filter((b): b is HeadingBlock => b.type === 'heading' && (b as HeadingBlock).level === 1);

describe.each(EXAMPLE_FILES)('CCAP of examples/%s', (file) => {
  let built: Awaited<ReturnType<typeof ccap>>;
  beforeAll(async () => {
    built = await ccap(load(file));
  });

  it('refers to the CCAG-TIC and ends with the list of its derogations', () => {
    expect(built.text).toContain('CCAG-TIC approuvé par l’arrêté du 30 mars 2021');
    const heads = chapters(built.model.blocks);
    expect(heads.at(-1)!.text).toBe('Dérogations au CCAG-TIC');
    expect(heads.find((h) => h.number === CCAP_ARTICLES.penalties)!.text).toBe('Pénalités');
    expect(built.text).toContain('Le présent CCAP ne déroge à aucun article du CCAG-TIC');
  });

  it('cites only articles that are law records', () => {
    const citable = citableArticles();
    const strays = [...legalReferences(built.text), ...ccagArticles(built.text)].filter((a) => !citable.has(a));
    expect(strays).toEqual([]);
    expect(ccagArticles(built.text)).toEqual(['CCAG-TIC art. 1.2', 'CCAG-TIC art. 14.1.1', 'CCAG-TIC art. 4.1']);
  });

  it('states the law in force: payment in 30 days with default interest and the 40 € fee, the CCAG-TIC penalties', () => {
    expect(built.text).toContain('payées dans un délai de 30 jours');
    expect(built.text).toContain('majoré de 8 points');
    expect(built.text).toContain('frais de recouvrement de 40 €');
    expect(built.text).toContain('P = V × R ÷ 1 000');
    expect(built.text).toContain('ne dépasse pas 1 000 € HT');
    expect(built.text).toContain('plafonné à 10 %');
  });
});

describe('CCAP driven by the request', () => {
  const departement = () => load('departement-colleges-trois-lots-v2.json');

  it('prints each lot’s maximum of a framework agreement and its purchase orders', async () => {
    const request = departement();
    const { text } = await ccap(request);
    expect(text).toContain('Bons de commande');
    for (const lot of request.lots as Array<{ title: string; maximumAmount?: number }>) {
      expect(text).toContain(lot.title);
      if (lot.maximumAmount !== undefined) expect(text).toContain(fold(`${new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(lot.maximumAmount)} HT`));
    }
    expect(text).toMatch(/reconduit \d+ fois/);
  });

  it('states the tranches and how the optional one is affirmed', async () => {
    const { text } = await ccap(load('commune-tranches-garantie-v2.json'));
    expect(text).toContain('Tranche optionnelle « École du Bourg »');
    expect(text).toContain('au plus tard le 31 janvier 2028');
    expect(text).toContain('Tribunal administratif de Grenoble');
  });

  it('lists the buyer’s own penalty and cap as derogations to the CCAG-TIC articles they override, and nothing else changes', async () => {
    const base = await ccap(departement());
    const request = departement();
    request.administrative = { penalties: { dailyAmount: 150, capPercent: 5 } };
    const changed = await ccap(request);
    expect(changed.text).toContain('une pénalité de 150 € HT par jour calendaire de retard');
    expect(changed.text).not.toContain('P = V × R');
    expect(changed.text).toContain('plafonné à 5 %');
    expect(changed.text).toContain('Article 6 CCAG-TIC art. 14.1.1 Montant des pénalités de retard');
    expect(changed.text).toContain('Article 6 CCAG-TIC art. 14 Plafond des pénalités de retard');
    expect(changed.text).not.toContain('ne déroge à aucun article');
    // Outside the penalties and the derogations, the document is the same.
    const cut = (t: string) => t.slice(0, t.indexOf('6 Pénalités'));
    expect(cut(changed.text.slice(changed.text.indexOf('1 Objet et dispositions générales 1.1')))).toBe(cut(base.text.slice(base.text.indexOf('1 Objet et dispositions générales 1.1'))));
  });

  it('prints the advance rate, the retention and its substitute, and the buyer’s court when chosen', async () => {
    const request = departement();
    request.administrative = { advance: { ratePercent: 20, whenNotDue: 'granted' }, guarantee: { kind: 'retention', ratePercent: 3 }, deliveryDays: 21, court: 'Tribunal administratif de Lyon' };
    const { text } = await ccap(request);
    expect(text).toContain('Son taux est de 20 % du montant initial');
    expect(text).toContain('lorsque ces conditions ne sont pas réunies');
    expect(text).toContain('retenue de garantie de 3 %');
    expect(text).toContain('plafonne à 5 %');
    expect(text).toContain('(article R2191-36)');
    expect(text).toContain('dans un délai de 21 jours à compter de la notification de chaque bon de commande');
    expect(text).toContain('devant le Tribunal administratif de Lyon');
  });

  it('prints the State’s SME advance minimum in force on the consultation date, and the buyer’s SME rate when chosen', async () => {
    const state = departement();
    state.buyer.type = 'central-state';
    const { text } = await ccap(state);
    expect(text).toContain('Son taux est le taux minimal fixé par l’article R2191-7 : 5 % du montant initial');
    expect(text).toContain('Lorsque le titulaire est une petite ou moyenne entreprise, ce taux est de 30 %, taux minimal que le même article fixe pour les marchés de l’État');
    // Before décret 2022-1683 no SME minimum is recorded: the CCAP refers to the article, with no rate.
    state.consultationDate = '2022-12-31';
    const before = await ccap(state);
    expect(before.text).not.toContain('30 %');
    expect(before.text).toContain('ce taux est relevé, le cas échéant, au minimum que le même article fixe pour l’acheteur');
    // A département's own SME rate, above its general rate.
    const request = departement();
    request.administrative = { advance: { ratePercent: 10, smeRatePercent: 25 } };
    const chosen = await ccap(request);
    expect(chosen.text).toContain('Son taux est de 10 % du montant initial');
    expect(chosen.text).toContain('Lorsque le titulaire est une petite ou moyenne entreprise, ce taux est de 25 %.');
    expect(chosen.text).not.toContain('relevé, le cas échéant');
  });

  it('decides the SME advance rate in the context: the State’s minimum only when the general rate is below it, the buyer’s rate as chosen', async () => {
    const deps = await sharedDeps();
    const context = async (request: Record<string, any>) => buildCcapContext((await evaluateFrom(request, deps.catalogue)).tender).advance;
    const state = departement();
    state.buyer.type = 'central-state';
    expect(await context(state)).toMatchObject({ rate: '5\u00a0%', rateIsMinimum: true, sme: { rate: '30\u00a0%', isStateMinimum: true }, smeRuleUnrecorded: false });
    state.administrative = { advance: { ratePercent: 35 } };
    expect(await context(state)).toMatchObject({ rate: '35\u00a0%', sme: null, smeRuleUnrecorded: false });
    const request = departement();
    expect(await context(request)).toMatchObject({ sme: null, smeRuleUnrecorded: true });
    request.administrative = { advance: { smeRatePercent: 12 } };
    expect(await context(request)).toMatchObject({ rate: '5\u00a0%', sme: { rate: '12\u00a0%', isStateMinimum: false }, smeRuleUnrecorded: false });
  });

  it('is refused with the field path when an advance rate is below the minimum in force on the consultation date', async () => {
    const state = departement();
    state.buyer.type = 'central-state';
    state.administrative = { advance: { ratePercent: 20, smeRatePercent: 20 } };
    await expect(ccap(state)).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'administrative.advance.smeRatePercent' })] });
    const low = departement();
    low.administrative = { advance: { ratePercent: 4 } };
    await expect(ccap(low)).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'administrative.advance.ratePercent' })] });
    // The same 20 % for SMEs is lawful for a département, and for the State before 2023.
    const departmentRate = departement();
    departmentRate.administrative = { advance: { smeRatePercent: 20 } };
    await expect(ccap(departmentRate)).resolves.toBeDefined();
    state.consultationDate = '2022-12-31';
    await expect(ccap(state)).resolves.toBeDefined();
  });

  it('is refused with the field path when an administrative choice is out of range', async () => {
    const request = departement();
    request.administrative = { penalties: { capPercent: 0 } };
    await expect(ccap(request)).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'administrative.penalties.capPercent' })] });
  });

  it('lays out in Word with the same chapters', async () => {
    const deps = await sharedDeps();
    const { tender, rules } = await evaluateFrom(departement(), deps.catalogue);
    const model = buildCcapDocument(tender, rules, deps.templates);
    const paragraphs = wordParagraphs(zipParts(await renderDocx(model)).get('word/document.xml')!);
    const headings = paragraphs.filter((p) => p.style === 'Heading1').map((p) => p.text);
    // Word numbers the headings from its multilevel list (test/exports/docx.test.ts): no typed number.
    expect(headings).toEqual(chapters(model.blocks).map((h) => h.text));
  });
});
