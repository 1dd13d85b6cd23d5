/**
 * Unacceptable and inappropriate offers (L2152-1, L2152-3, L2152-4): the buyer's budget per lot
 * (established before the launch) and the buyer's decisions, as data in the analysis input. An
 * eliminated offer is neither marked nor ranked; the RAO states why with the law record's
 * citation and the credits, the letter states why without the credits.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runsText, type Block } from '#src/core/documents/blocks.ts';
import { bidTemplates, readBid } from '#src/adapters/offers/read-bid.ts';
import { parseAnalysisInput } from '#src/app/analyse-offers.ts';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { ValidationError } from '#src/core/model/errors.ts';
import { formatMoney } from '#src/core/model/format.ts';
import { lawAt } from '#src/core/law/law.ts';
import { analyseOffers, checkOffers, lotEstimate } from '#src/core/offers/analysis.ts';
import type { Bid } from '#src/core/offers/bid.ts';
import { buildRejectionLetters } from '#src/core/offers/letters.ts';
import { buildRaoDocument } from '#src/core/offers/rao.ts';
import type { MarksFile } from '#src/core/offers/scoring.ts';
import { evaluatedExample } from '../exports/support/models.ts';
import { scenarioBids, scenarioMarks } from './support/scenario.ts';

const flat = (text: string) => text.replace(/[\s\u00a0\u202f]+/g, ' ');
const textOf = (blocks: readonly Block[]): string =>
  flat(
    blocks
      .map((b) => {
        if (b.type === 'paragraph') return runsText(b.runs);
        if (b.type === 'list') return b.items.map(runsText).join(' ');
        if (b.type === 'table') return [...b.header, ...b.rows.flat()].map(runsText).join(' ');
        if (b.type === 'heading') return b.text;
        return '';
      })
      .join(' '),
  );
const INAPPROPRIATE = 'Le mémoire technique décrit des tablettes grand public sans clavier ni gestion de flotte, sans rapport avec les ordinateurs demandés.';

describe('unacceptable and inappropriate offers (examples/departement, lot 1)', () => {
  let tender: ResolvedTender;
  let bids: Bid[];
  let budget: number;
  /** The scenario's marks without those of the eliminated offers, with the budget and the decision. */
  let input: MarksFile;

  beforeAll(async () => {
    ({ tender } = await evaluatedExample('departement'));
    const templates = await bidTemplates(tender);
    bids = (await scenarioBids(tender)).map((files) => readBid(tender, templates, files));
    // Between alpha (95 % of the estimate) and charlie (100 %): charlie's offer exceeds the credits.
    budget = Math.round(lotEstimate(tender.lots[0]!)! * 0.97);
    const marks = scenarioMarks(tender);
    input = {
      ...marks,
      marks: marks.marks.filter((m) => m.bid === 'alpha'),
      budgets: [{ lot: 1, amount: budget, establishedOn: tender.request.consultationDate }],
      eliminations: [{ lot: 1, bid: 'delta', category: 'inappropriate', reason: INAPPROPRIATE }],
    };
  });

  it('eliminates the offer above the budget and the one the buyer declared inappropriate, and marks neither', () => {
    const { lots, marksNeeded } = checkOffers(tender, bids, input);
    const status = Object.fromEntries(lots[0]!.offers.map((o) => [o.bid.bidder.id, o.conformity.status]));
    expect(status).toMatchObject({ alpha: 'conforming', charlie: 'unacceptable', delta: 'inappropriate', bravo: 'irregular' });
    expect(new Set(marksNeeded.filter((m) => m.lot === 1).map((m) => m.bid))).toEqual(new Set(['alpha']));
    const charlie = lots[0]!.offers.find((o) => o.bid.bidder.id === 'charlie')!.conformity;
    expect(charlie.amount).toBeGreaterThan(budget);
    expect(charlie.issues[0]).toEqual({ kind: 'unacceptable', cell: '', reason: expect.stringContaining(`le montant examiné de l’offre (${formatMoney(charlie.amount)} HT) excède les crédits budgétaires alloués au lot`), regularisable: false });
    // Without the buyer's input nothing is eliminated: the estimate is not the budget.
    const plain = checkOffers(tender, bids).lots[0]!.offers.find((o) => o.bid.bidder.id === 'charlie')!.conformity;
    expect(plain.status).toBe('conforming');
  });

  it('ranks only the remaining offer, states each elimination with its law record in the RAO, the credits included', () => {
    const analysis = analyseOffers(tender, bids, input);
    const lot = analysis.lots[0]!;
    expect(lot.ranking.map((s) => s.bid)).toEqual(['alpha']);
    expect(lot.proposed?.id).toBe('alpha');
    const rao = textOf(buildRaoDocument(analysis, lot).blocks);
    const unacceptable = lawAt('offers.unacceptable', tender.request.consultationDate)!.reference.citation;
    const inappropriate = lawAt('offers.inappropriate', tender.request.consultationDate)!.reference.citation;
    expect(unacceptable).toBe('CCP L2152-1, L2152-3 et R2152-1');
    expect(rao).toContain(`L’offre est inacceptable et est écartée (${unacceptable}) : son prix excède les crédits budgétaires alloués au marché.`);
    expect(rao).toContain(flat(`Crédits budgétaires alloués au lot, déterminés et établis le`));
    expect(rao).toContain(flat(`${formatMoney(budget)} HT.`));
    expect(rao).toContain(`L’offre est inappropriée et est écartée (${inappropriate})`);
    expect(rao).toContain(INAPPROPRIATE);
    expect(rao).not.toContain('(cellule )');
  });

  it('says in the RAO of a procedure with negotiation that an unacceptable offer may still become acceptable (R2152-1)', async () => {
    const { tender: negotiated } = await evaluatedExample('commune');
    expect(negotiated.request.negotiation).toBe('reserved');
    const offer = {
      bidder: { id: 'cher', name: 'Cher SA', siret: '73282932000074' },
      conformity: { status: 'unacceptable' as const, issues: [{ kind: 'unacceptable' as const, cell: '', reason: 'le montant examiné de l’offre excède les crédits budgétaires alloués au lot', regularisable: false }], amount: 99_000, rectified: [] },
    };
    const lot = { lot: negotiated.lots[0]!, offers: [offer], ranking: [], tieForFirst: false };
    const rao = (request: typeof negotiated.request) =>
      textOf(buildRaoDocument({ tender: { ...negotiated, request }, bids: [], lots: [lot], rules: input.abnormallyLow, budgets: [] }, lot).blocks);
    expect(rao(negotiated.request)).toContain('cette offre peut devenir acceptable au cours de celle-ci');
    expect(rao(negotiated.request)).toContain('L’offre est inacceptable et ne peut être classée en l’état (CCP L2152-1, L2152-3 et R2152-1)');
    expect(rao({ ...negotiated.request, negotiation: 'none' })).not.toContain('peut devenir acceptable');
  });

  it('tells each eliminated bidder why, citing the law, without the buyer’s credits', () => {
    const analysis = analyseOffers(tender, bids, input);
    const letters = buildRejectionLetters(analysis, { sentOn: '2027-01-18', electronic: true });
    const letter = (bid: string) => textOf(letters.find((l) => l.bid === bid)!.model.blocks);
    const charlie = letter('charlie');
    expect(charlie).toContain('Votre offre est inacceptable, son prix excédant les crédits budgétaires alloués au marché : elle a été écartée (CCP L2152-1, L2152-3 et R2152-1)');
    expect(charlie).not.toContain(flat(formatMoney(budget)));
    expect(charlie).not.toContain('cellule');
    expect(letter('delta')).toContain(`Votre offre est inappropriée, étant sans rapport avec le marché : elle a été écartée (CCP L2152-1, L2152-4 et R2152-1) pour les motifs suivants. ${INAPPROPRIATE}`);
  });

  it('refuses credits established after the launch, a decision on an offer not received and a decision without its reason', () => {
    const late = { ...input, budgets: [{ lot: 1, amount: budget, establishedOn: '2099-01-01' }] };
    const unknown = { ...input, eliminations: [{ lot: 1, bid: 'zulu', category: 'unacceptable' as const, reason: INAPPROPRIATE }] };
    const paths = (run: () => unknown) => {
      try {
        run();
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        return (e as ValidationError).issues.map((i) => i.path);
      }
      throw new Error('accepted');
    };
    expect(paths(() => analyseOffers(tender, bids, late))).toEqual(['budgets.0.establishedOn']);
    expect(paths(() => analyseOffers(tender, bids, unknown))).toEqual(['eliminations.0']);
    expect(paths(() => parseAnalysisInput({ marks: [], eliminations: [{ lot: 1, bid: 'delta', category: 'inappropriate', reason: 'trop court' }] }))).toEqual(['eliminations.0.reason']);
  });
});
