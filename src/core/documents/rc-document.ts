/**
 * The règlement de la consultation (RC), complete: who buys what under which procedure, the lots
 * and how many one bidder may win, variants and options, site visits, what the application and the
 * offer contain, how offers are judged and scored, negotiation, abnormally low offers, deadlines,
 * validity of offers and how bidders submit. Built from the same request and the same facts as the
 * CCTP (award criteria, variants, options, visits: lot-terms.ts) and the CCAP (consultation, contract
 * and lot facts: ccap-context.ts), so every piece prints them alike; every article it cites is a law
 * record in force on the consultation date. A bidder document: nothing of the buyer's estimate.
 */
import { lawAt, type LawId, type LawRecord } from '#src/core/law/law.ts';
import { formatDecimal, formatInteger, formatParisDateTime } from '#src/core/model/format.ts';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { AwardCriterion, Procedure, TieBreak } from '#src/core/model/tender-request.ts';
import type { RulesOutcome } from '#src/core/rules/evaluate.ts';
import type { DocumentModel } from './blocks.ts';
import { contractTerms, lotFacts, type CcapContext } from './ccap-context.ts';
import { coverFacts, documentMeta } from './cover.ts';
import { buildCctpContext, type CctpContext } from './cctp-context.ts';
import { needsDataProcessingAnnex } from './dpa-document.ts';
import { parseMarkup } from './markup.ts';
import type { TemplateRenderer } from './templates.ts';

/** How long offers stay valid when the buyer does not say: the RC states it as its default. */
export const DEFAULT_OFFER_VALIDITY_DAYS = 120;

/** The law record stating each procedure's legal basis. */
const PROCEDURE_RECORDS: Record<Procedure, LawId> = {
  'negotiated-without-notice': 'no-publicity.supplies-services',
  adapted: 'procedure.adapted',
  open: 'procedure.open',
  restricted: 'procedure.restricted',
};

const PROCEDURE_NAMES: Record<Procedure, string> = {
  'negotiated-without-notice': 'marché passé sans publicité ni mise en concurrence préalables',
  adapted: 'procédure adaptée',
  open: 'appel d’offres ouvert',
  restricted: 'appel d’offres restreint',
};

/** The article of the adapted procedure's record that lets the buyer negotiate, or award on the initial offers. */
const NEGOTIATION_ARTICLE = 'R2123-5';

/** A heading the technical memo carries, numbered as the bidder numbers it. */
export interface MemoHeading {
  number: string;
  title: string;
  weight: string;
  subHeadings: Array<{ number: string; title: string; weight: string }>;
}

export interface RcContext extends CctpContext {
  rc: {
    buyer: { name: string; designation: string; address: string | null; siret: string | null };
    /** « procédure adaptée », without its articles. */
    procedureName: string;
    /** « des articles L2123-1 et R2123-1 à R2123-8 du code de la commande publique », « de l’article R2122-8 … » */
    legalBasis: string;
    contract: CcapContext['contract'];
    /** Each lot as the CCAP and the acte d'engagement name it (CPV with its check digit). */
    lots: CcapContext['lots'];
    hasLotLimits: boolean;
    /** The file holds the data-processing annex to the CCAP. */
    dataProcessingAnnex: boolean;
    /** The cap on lots one bidder may win: « Un même candidat ne peut être attributaire que d’un seul lot », and « plus d’un lot » for the rule beyond it. */
    lotRule: { limit: string | null; beyond: string | null; citation: string | null };
    memo: Array<{ lead: string | null; headings: MemoHeading[] }>;
    hasMemoHeadings: boolean;
    hasPriceCriteria: boolean;
    /** Price and cost criteria, scored on their points by the formula the request chose (`linear`, else lowest ÷ amount); `lead` opens the sentence (« Lot 2 : le critère »). */
    priceCriteria: Array<{ lead: string; name: string; points: string; linear: boolean }>;
    /**
     * The tie-break rules: one without lead when every lot follows the same rule, none when no rule is
     * stated (nothing printed, as before the rule could be chosen); else one per lot, led by « Lot n — title »
     * (a lot without a rule then prints « none », what an absent rule means).
     */
    tieBreak: Array<{ lead: string | null; none: boolean; bestTechnical: boolean; lowestPrice: boolean }>;
    hasTieBreak: boolean;
    hasQualityCriteria: boolean;
    negotiation: { reserved: boolean; none: boolean; tender: boolean; citation: string | null };
    irregular: string;
    abnormallyLow: string;
    variantsCitation: string;
    deadlines: { offers: string | null; questions: string | null };
    validity: { days: string; isDefault: boolean };
    profile: string | null;
    submission: string;
    /** Every article the RC prints, for the consistency tests. */
    citations: string[];
  };
}

/** « articles L2123-1 et R2123-1 à R2123-8 du code de la commande publique » from a record's citation. */
function articlesOf(record: LawRecord): string {
  const text = record.reference.citation.replace(/^CCP /, '');
  return `${record.reference.articles.length === 1 ? 'article' : 'articles'} ${text} du code de la commande publique`;
}

/** « 217 500 016 00012 »: SIREN then NIC, as the SIRENE register prints them. */
function formatSiret(siret: string): string {
  return `${siret.slice(0, 3)}\u00a0${siret.slice(3, 6)}\u00a0${siret.slice(6, 9)}\u00a0${siret.slice(9)}`;
}

const isPrice = (c: AwardCriterion) => c.type === 'price' || c.type === 'cost';

/** The memo's headings: one per quality criterion, one per sub-criterion under it. */
function memoHeadings(criteria: readonly AwardCriterion[]): MemoHeading[] {
  return criteria
    .filter((c) => !isPrice(c))
    .map((c, i) => ({
      number: `${i + 1}`,
      title: c.name,
      weight: `${formatDecimal(c.weight)}\u00a0%`,
      subHeadings: c.subCriteria.map((s, j) => ({ number: `${i + 1}.${j + 1}`, title: s.name, weight: `${formatDecimal(s.weight)}\u00a0%` })),
    }));
}

export function buildRcContext(tender: ResolvedTender): RcContext {
  const { request } = tender;
  const date = request.consultationDate;
  const cited: LawRecord[] = [];
  const use = (id: LawId): LawRecord => {
    const record = lawAt(id, date);
    if (!record) throw new Error(`no law record ${id} in force on ${date}`);
    cited.push(record);
    return record;
  };
  const context = buildCctpContext(tender);
  const judged = context.perLotAward
    ? tender.lots.map((lot) => ({ lead: `Lot ${lot.number} : le critère`, memo: `Lot ${lot.number} — ${lot.title}`, criteria: lot.awardCriteria }))
    : [{ lead: 'Le critère', memo: null, criteria: request.awardCriteria }];
  const memo = judged.map((j) => ({ lead: j.memo, headings: memoHeadings(j.criteria) })).filter((m) => m.headings.length > 0);
  const tieBreaks = tieBreakRules(tender);

  const procedure = use(PROCEDURE_RECORDS[request.procedure]);
  const maxLots = request.maxLotsPerBidder;
  const reserved = request.negotiation === 'reserved';
  // R2123-5 (negotiation in an adapted procedure) is cited only while the procedure's record covers it.
  const negotiationArticle = reserved && procedure.reference.articles.includes(NEGOTIATION_ARTICLE) ? NEGOTIATION_ARTICLE : null;
  const irregular = use('offers.irregular-regularisation');
  const abnormallyLow = use('offers.abnormally-low');
  const variants = use('variants.minimum-requirements');
  const submission = use('submission.electronic');
  const lots = tender.lots.map(lotFacts);
  const lotRule = maxLots === undefined ? null : use('lots.max-per-bidder');

  return {
    ...context,
    rc: {
      buyer: {
        name: request.buyer.name,
        designation: context.buyer.designation,
        address: request.buyer.address ?? null,
        siret: request.buyer.siret === undefined ? null : formatSiret(request.buyer.siret),
      },
      procedureName: PROCEDURE_NAMES[request.procedure],
      legalBasis: `${procedure.reference.articles.length === 1 ? 'de l’' : 'des '}${articlesOf(procedure)}`,
      contract: contractTerms(tender),
      lots,
      hasLotLimits: lots.some((l) => l.minimum !== '—' || l.maximum !== '—'),
      dataProcessingAnnex: needsDataProcessingAnnex(tender),
      lotRule: {
        limit: maxLots === undefined ? null : `Un même candidat ne peut être attributaire ${maxLots === 1 ? 'que d’un seul lot' : `de plus de ${formatInteger(maxLots)}\u00a0lots`}`,
        beyond: maxLots === undefined ? null : maxLots === 1 ? 'plus d’un lot' : `plus de ${formatInteger(maxLots)}\u00a0lots`,
        citation: lotRule ? articlesOf(lotRule) : null,
      },
      memo,
      hasMemoHeadings: memo.length > 0,
      hasPriceCriteria: judged.some((j) => j.criteria.some(isPrice)),
      priceCriteria: judged.flatMap((j) => j.criteria.filter(isPrice).map((c) => ({ lead: j.lead, name: c.name, points: formatDecimal(c.weight), linear: c.priceScoring === 'linear' }))),
      tieBreak: tieBreaks,
      hasTieBreak: tieBreaks.length > 0,
      hasQualityCriteria: judged.some((j) => j.criteria.some((c) => c.type === 'quality')),
      negotiation: {
        reserved,
        none: request.negotiation !== 'reserved' && request.procedure === 'adapted',
        tender: request.procedure === 'open' || request.procedure === 'restricted',
        citation: negotiationArticle === null ? null : `article ${negotiationArticle} du code de la commande publique`,
      },
      irregular: articlesOf(irregular),
      abnormallyLow: articlesOf(abnormallyLow),
      variantsCitation: articlesOf(variants),
      deadlines: {
        offers: request.offerDeadline === undefined ? null : formatParisDateTime(request.offerDeadline),
        questions: request.questionsDeadline === undefined ? null : formatParisDateTime(request.questionsDeadline),
      },
      validity: { days: `${formatInteger(request.offerValidityDays ?? DEFAULT_OFFER_VALIDITY_DAYS)}\u00a0jours`, isDefault: request.offerValidityDays === undefined },
      profile: request.buyerProfileUrl ?? null,
      submission: articlesOf(submission),
      citations: [...new Set([...cited.flatMap((r) => r.reference.articles), ...(negotiationArticle === null ? [] : [negotiationArticle])])],
    },
  };
}

export function buildRcDocument(tender: ResolvedTender, _rules: RulesOutcome, engine: TemplateRenderer): DocumentModel {
  const { request } = tender;
  return {
    meta: documentMeta(tender, {
      title: `RC — ${request.title}`,
      subject: `Règlement de la consultation — ${request.buyer.name}`,
      keywords: ['RC', 'règlement de la consultation', 'critères d’attribution', 'commande publique'],
    }),
    cover: {
      kicker: 'Règlement de la consultation',
      title: request.title,
      facts: coverFacts(tender, { framework: false }),
      footnote: 'Le présent règlement fixe les règles de la consultation : contenu des candidatures et des offres, jugement des offres, délais et modalités de remise des plis.',
    },
    footerText: request.reference ? `RC ${request.reference}` : `RC — ${request.buyer.name}`,
    blocks: parseMarkup(engine.render('rc', buildRcContext(tender))),
  };
}

/** The RC's tie-break paragraphs: once when all lots share a rule (or none when none is stated), else lot by lot. */
function tieBreakRules(tender: ResolvedTender): RcContext['rc']['tieBreak'] {
  const rule = (r: TieBreak, lead: string | null) => ({ lead, none: r === 'none', bestTechnical: r === 'best-technical', lowestPrice: r === 'lowest-price' });
  const rules = new Set(tender.lots.map((l) => l.tieBreak));
  if (rules.size <= 1) {
    const [only] = rules;
    return only === undefined ? [] : [rule(only, null)];
  }
  return tender.lots.map((l) => rule(l.tieBreak ?? 'none', `Lot ${l.number} — ${l.title}`));
}
