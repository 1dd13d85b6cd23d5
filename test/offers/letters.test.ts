import { beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { runsText, type Block } from '#src/core/documents/blocks.ts';
import { bidTemplates, readBid } from '#src/adapters/offers/read-bid.ts';
import { parseAnalysisInput, runAnalysis, type AnalysisFile } from '#src/app/analyse-offers.ts';
import { ANALYSIS_RENDERERS } from '#src/adapters/offers/analysis-renderers.ts';
import { analyseOffers, type OffersAnalysis } from '#src/core/offers/analysis.ts';
import type { Bid } from '#src/core/offers/bid.ts';
import { buildRejectionLetters, earliestSignature } from '#src/core/offers/letters.ts';
import { ValidationError } from '#src/core/model/errors.ts';
import { formatMoney } from '#src/core/model/format.ts';
import { pdfText } from '../support/pdf-text.ts';
import { wordText, zipParts } from '../exports/support/office.ts';
import { evaluatedExample } from '../exports/support/models.ts';
import { scenarioBids, scenarioMarks } from './support/scenario.ts';

const flat = (text: string) => text.replace(/[\s\u00a0\u202f]+/g, ' ');
const score = (n: number) => flat(n.toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
const SENT_ON = '2027-01-18';
/** Every word of a document model, in order. */
const runBlocksText = (blocks: readonly Block[]): string =>
  blocks
    .map((b) => {
      if (b.type === 'paragraph') return runsText(b.runs);
      if (b.type === 'list') return b.items.map(runsText).join(' ');
      if (b.type === 'table') return [...b.header, ...b.rows.flat()].map(runsText).join(' ');
      if (b.type === 'heading') return b.text;
      return '';
    })
    .join(' ');

describe('the letters to the bidders whose offer is not retained (examples/departement, lot 1, appel d’offres ouvert)', () => {
  let tender: ResolvedTender;
  let bids: Bid[];
  let analysis: OffersAnalysis;
  let files: AnalysisFile[];
  const letterText = async (bid: string) => {
    const name = `lettre-offre-non-retenue-lot-1-${bid}`;
    const pdf = flat(await pdfText(files.find((f) => f.name === `${name}.pdf`)!.content));
    const docx = flat(wordText(zipParts(files.find((f) => f.name === `${name}.docx`)!.content).get('word/document.xml')!));
    return [pdf, docx];
  };

  beforeAll(async () => {
    ({ tender } = await evaluatedExample('departement'));
    const templates = await bidTemplates(tender);
    bids = (await scenarioBids(tender)).map((f) => readBid(tender, templates, f));
    ({ analysis, files } = await runAnalysis(tender, bids, parseAnalysisInput({ ...scenarioMarks(tender), letters: { sentOn: SENT_ON } }), ANALYSIS_RENDERERS));
  }, 180_000);

  it('writes one letter, PDF and Word, to every bidder of the lot but the proposed one', () => {
    const lot = analysis.lots[0]!;
    const others = lot.offers.map((o) => o.bidder.id).filter((id) => id !== lot.proposed!.id);
    expect(others.length).toBe(5);
    expect(files.map((f) => f.name).filter((n) => n.startsWith('lettre-'))).toEqual(others.flatMap((id) => [`lettre-offre-non-retenue-lot-1-${id}.pdf`, `lettre-offre-non-retenue-lot-1-${id}.docx`]));
  });

  it('tells a conforming offer its rank and both offers’ scores, the winner, its amount, the signing date and the court', async () => {
    const lot = analysis.lots[0]!;
    const winner = lot.ranking[0]!;
    const second = lot.ranking[1]!;
    for (const text of await letterText(second.bid)) {
      expect(text).toContain(`classée au ${second.rank}e rang sur ${lot.ranking.length} offres classées, avec ${score(second.printed)} points sur 100`);
      expect(text).toContain(`Le lot est attribué à ${lot.proposed!.name}`);
      expect(text).toContain(`${score(winner.printed)} points sur 100, pour un montant de ${flat(formatMoney(winner.amount))} HT (CCP R2181-3)`);
      for (const c of second.criteria) expect(text).toContain(score(c.score));
      // 18 January 2027 + 11 days, sent electronically (R2182-1).
      expect(text).toContain('Le marché ne sera pas signé avant le 29 janvier 2027, à l’issue d’un délai de 11 jours');
      expect(text).toContain('(CCP R2182-1)');
      expect(text).toContain('juge des référés du tribunal administratif de Marseille (Code de justice administrative, art. L551-1)');
      expect(text).toContain('Caractéristiques et avantages relatifs de l’offre retenue (CCP R2181-4)');
    }
  });

  it('gives an irregular offer the reasons it was not ranked, and names the winner as a formalised procedure requires', async () => {
    const bravo = analysis.lots[0]!.offers.find((o) => o.bidder.id === 'bravo')!;
    expect(bravo.conformity.status).toBe('irregular');
    for (const text of await letterText('bravo')) {
      expect(text).toContain('Votre offre est irrégulière');
      for (const issue of bravo.conformity.issues) expect(text).toContain(flat(issue.reason));
      expect(text).toContain(`Le lot est attribué à ${analysis.lots[0]!.proposed!.name}`);
      expect(text).not.toContain('classée au');
    }
  });

  it('names no other bidder than the addressee and the winner, and keeps the buyer’s estimate and the abnormally-low flags out', async () => {
    const lot = analysis.lots[0]!;
    for (const offer of lot.offers.filter((o) => o.bidder.id !== lot.proposed!.id)) {
      for (const text of await letterText(offer.bidder.id)) {
        for (const other of lot.offers) {
          if (other.bidder.id === offer.bidder.id || other.bidder.id === lot.proposed!.id) continue;
          expect(text).not.toContain(other.bidder.name);
          expect(text).not.toContain(other.bidder.siret);
        }
        // Charlie asks exactly the estimate: its own amount may appear, the estimate as such never does.
        if (![offer.conformity.amount, lot.ranking[0]!.amount].includes(lot.estimate!)) expect(text).not.toContain(flat(formatMoney(lot.estimate!)));
        expect(text).not.toMatch(/anormalement|estimation|indicati|document interne/i);
      }
    }
  });

  it('gives byte-identical letters for the same inputs', async () => {
    const again = await runAnalysis(tender, bids, parseAnalysisInput({ ...scenarioMarks(tender), letters: { sentOn: SENT_ON } }), ANALYSIS_RENDERERS);
    const letters = (list: AnalysisFile[]) => list.filter((f) => f.name.startsWith('lettre-')).map((f) => [f.name, Buffer.from(f.content).toString('base64')]);
    expect(letters(again.files)).toEqual(letters(files));
  }, 180_000);

  it('counts 16 days when the letters go by post', () => {
    const letters = buildRejectionLetters(analysis, { sentOn: SENT_ON, electronic: false });
    const text = flat(runBlocksText(letters[0]!.model.blocks));
    expect(text).toContain('Le marché ne sera pas signé avant le 3 février 2027, à l’issue d’un délai de 16 jours à compter de l’envoi de la présente lettre (CCP R2182-1)');
    expect(earliestSignature('2026-12-28', 11)).toBe('2027-01-08');
    expect(earliestSignature('2028-02-20', 11)).toBe('2028-03-02');
  });

  it('in an adapted procedure, states no signing date and names the winner only to the authors of conforming offers (R2181-2)', () => {
    const adapted: ResolvedTender = { ...tender, request: { ...tender.request, procedure: 'adapted' } };
    const mapa = analyseOffers(adapted, bids, scenarioMarks(adapted));
    const letters = buildRejectionLetters(mapa, { sentOn: SENT_ON, electronic: true });
    const text = (bid: string) => flat(runBlocksText(letters.find((l) => l.bid === bid)!.model.blocks));
    const winner = mapa.lots[0]!.proposed!.name;
    expect(text('bravo')).not.toContain(winner);
    expect(text('bravo')).toContain('Votre offre est irrégulière');
    const conforming = mapa.lots[0]!.ranking[1]!.bid;
    expect(text(conforming)).toContain(`Le lot est attribué à ${winner}`);
    expect(text(conforming)).toContain('(CCP R2181-2)');
    for (const l of letters) expect(flat(runBlocksText(l.model.blocks))).not.toContain('ne sera pas signé avant');
  });

  it('refuses letters dated before the consultation was launched, naming the field, and writes nothing', async () => {
    const input = parseAnalysisInput({ ...scenarioMarks(tender), letters: { sentOn: '2026-11-30' } });
    await expect(runAnalysis(tender, bids, input, ANALYSIS_RENDERERS)).rejects.toThrow(ValidationError);
    await runAnalysis(tender, bids, input, ANALYSIS_RENDERERS).catch((error: ValidationError) => expect(error.issues.map((i) => i.path)).toEqual(['letters.sentOn']));
  });
});
