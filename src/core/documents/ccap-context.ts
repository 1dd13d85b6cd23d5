import { advanceSmeMinimumRate, lawAt, formatLawValue, type LawId, type LawRecord } from '#src/core/law/law.ts';
import { administrativeCourtOf } from '#src/core/law/administrative-courts.ts';
import { formatCpv } from '#src/core/model/cpv.ts';
import { formatDate, formatInteger, formatMoneyRounded, formatPercent } from '#src/core/model/format.ts';
import type { ResolvedLot, ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { AdministrativeTerms, TenderRequestV2 } from '#src/core/model/tender-request-v2.ts';
import { lotUnit } from './lot-terms.ts';
import { buyerDesignation } from './buyer-name.ts';
import { buildCctpContext, type SectionScope } from './cctp-context.ts';
import { contractFormLabel, PROCEDURE_LABELS } from './labels.ts';

/**
 * What the CCAP prints, decided here from the request and the law records in force on the
 * consultation date; the template (templates/ccap.md.hbs) only words it. Every legal value comes
 * from a record, every buyer choice from `administrative`, and what the buyer did not choose is
 * the CCAG-TIC default, said as such. A choice that departs from the CCAG-TIC is a derogation,
 * listed in the last article with the CCAG-TIC article it overrides (CCAG-TIC art. 1.2).
 */
export interface CcapContext {
  title: string;
  reference: string | null;
  buyer: { name: string; designation: string; address: string | null };
  consultationDate: string;
  procedure: string;
  ccag: { citation: string };
  contract: {
    form: string;
    isFrameworkAgreement: boolean;
    /** « à bons de commande, avec un seul titulaire par lot », or null. */
    frameworkMode: string | null;
    byOrders: boolean;
    subsequentContracts: boolean;
    duration: string | null;
    start: string | null;
    renewals: { count: string; each: string; kind: string } | null;
    maximum: string | null;
    minimum: string | null;
  };
  singleLot: boolean;
  lots: Array<{ number: number; title: string; cpv: string; minimum: string; maximum: string }>;
  hasLotLimits: boolean;
  tranches: { firm: { title: string; content: string }; optional: Array<{ title: string; content: string; affirmation: string }> } | null;
  precedence: string[];
  price: { form: string; type: string; index: string | null; revisable: boolean; adjustable: boolean; firm: boolean };
  advance: {
    dueAmount: string;
    dueDuration: string;
    rate: string;
    rateIsMinimum: boolean;
    grantedWhenNotDue: boolean;
    /** The rate when the holder is an SME, where it differs from `rate`: the buyer's, or the State's minimum (R2191-7). */
    sme: { rate: string; isStateMinimum: boolean } | null;
    /** No SME rate chosen and none recorded for this buyer and date: the CCAP refers to the article's SME rule. */
    smeRuleUnrecorded: boolean;
  };
  guarantee: { retention: string | null; retentionCap: string };
  payment: { days: string; interestMargin: string; recoveryFee: string };
  delivery: { days: string | null };
  penalties: { ccagFormula: boolean; divisor: string; dailyAmount: string | null; exemption: string; cap: string; ccagCap: boolean };
  sections: Record<'personalData' | 'physical' | 'security', SectionScope | null>;
  court: string | null;
  derogations: Array<{ ccapArticle: string; ccagArticle: string; subject: string }>;
  hasDerogations: boolean;
  /** The articles of the records cited, for the consistency tests. */
  citations: string[];
}

const FRAMEWORK_MODES: Record<NonNullable<Extract<TenderRequestV2['contract'], { form: 'framework-agreement' }>['frameworkType']>, string> = {
  'purchase-orders-single': 'exécuté par bons de commande, avec un seul titulaire par lot',
  'purchase-orders-multiple': 'exécuté par bons de commande, avec plusieurs titulaires par lot',
  'subsequent-contracts': 'exécuté par la conclusion de marchés subséquents',
};

const PRICE_FORMS = { 'lump-sum': 'forfaitaires', unit: 'unitaires', mixed: 'mixtes (forfaitaires et unitaires)' } as const;
const PRICE_TYPES = { firm: 'fermes', adjustable: 'fermes et actualisables', revisable: 'révisables' } as const;

/** The CCAP articles the template numbers (chapter numbers of templates/ccap.md.hbs), for the derogation table. */
export const CCAP_ARTICLES = { penalties: '6' } as const;

function law(id: LawId, date: string): LawRecord {
  const record = lawAt(id, date);
  if (!record) throw new Error(`no law record ${id} in force on ${date}`);
  return record;
}

export function buildCcapContext(tender: ResolvedTender): CcapContext {
  const { request } = tender;
  const date = request.consultationDate;
  const { contract } = request;
  const terms = request.administrative ?? {};
  const isFrameworkAgreement = contract.form === 'framework-agreement';
  const cited: LawRecord[] = [];
  const use = (id: LawId) => {
    const record = law(id, date);
    cited.push(record);
    return record;
  };

  const ccag = use('ccag-tic.reference');
  use('ccag-tic.derogations');
  use('ccag-tic.precedence');
  const penaltyRate = use('ccag-tic.late-penalty-rate');
  const exemption = use('ccag-tic.penalty-exemption');
  const cap = use('ccag-tic.penalty-cap');
  const paymentDays = use('payment.time-limit');
  const interest = use('payment.default-interest-margin');
  const fee = use('payment.recovery-fee');
  const dueAmount = use('advance.due-amount');
  const dueDuration = use('advance.due-duration');
  const minimumRate = use('advance.minimum-rate');
  const smeMinimumRate = advanceSmeMinimumRate(request.buyer.type, date);
  if (smeMinimumRate) cited.push(smeMinimumRate);
  const retentionCap = use('guarantee.retention-cap');
  if (terms.guarantee?.kind === 'retention') use('guarantee.first-demand');

  const ccagCap = terms.penalties?.capPercent === undefined || terms.penalties.capPercent / 100 === cap.value;
  const derogations: CcapContext['derogations'] = [];
  if (terms.penalties?.dailyAmount !== undefined) {
    derogations.push({ ccapArticle: CCAP_ARTICLES.penalties, ccagArticle: penaltyRate.reference.articles[0]!, subject: 'Montant des pénalités de retard : montant journalier fixé par l’acheteur au lieu de la formule du CCAG-TIC' });
  }
  if (!ccagCap) {
    derogations.push({ ccapArticle: CCAP_ARTICLES.penalties, ccagArticle: cap.reference.articles[0]!, subject: 'Plafond des pénalités de retard' });
  }

  const sections = buildCctpContext(tender).sections;
  const price = contract.price;
  const lots = tender.lots.map(lotFacts);

  return {
    ...consultationFacts(tender),
    ccag: { citation: ccag.reference.citation },
    contract: contractTerms(tender),
    singleLot: tender.lots.length === 1,
    lots,
    hasLotLimits: lots.some((l) => l.minimum !== '—' || l.maximum !== '—'),
    tranches: contract.tranches
      ? {
          firm: contract.tranches.firm,
          optional: contract.tranches.optional.map((t) => ({
            title: t.title,
            content: t.content,
            affirmation: [t.affirmation.deadline ? `au plus tard le ${formatDate(t.affirmation.deadline)}` : null, t.affirmation.condition ?? null].filter((x) => x !== null).join(' — '),
          })),
        }
      : null,
    precedence: precedence(tender, sections.personalData !== null),
    price: {
      form: price ? PRICE_FORMS[price.form] : isFrameworkAgreement ? PRICE_FORMS.unit : PRICE_FORMS['lump-sum'],
      type: price ? PRICE_TYPES[price.type] : PRICE_TYPES.firm,
      index: price?.index ?? null,
      revisable: price?.type === 'revisable',
      adjustable: price?.type === 'adjustable',
      firm: price === undefined || price.type === 'firm',
    },
    advance: { dueAmount: formatLawValue(dueAmount), dueDuration: formatLawValue(dueDuration), ...advanceTerms(terms.advance, minimumRate, smeMinimumRate) },
    guarantee: {
      retention: terms.guarantee?.kind === 'retention' ? formatPercent(terms.guarantee.ratePercent) : null,
      retentionCap: formatLawValue(retentionCap),
    },
    payment: { days: formatLawValue(paymentDays), interestMargin: formatInteger(interest.value! * 100), recoveryFee: formatLawValue(fee) },
    delivery: { days: terms.deliveryDays === undefined ? null : `${formatInteger(terms.deliveryDays)} jours` },
    penalties: {
      ccagFormula: terms.penalties?.dailyAmount === undefined,
      divisor: formatInteger(1 / penaltyRate.value!),
      dailyAmount: terms.penalties?.dailyAmount === undefined ? null : `${formatMoneyRounded(terms.penalties.dailyAmount)} HT`,
      exemption: formatLawValue(exemption),
      cap: terms.penalties?.capPercent === undefined ? formatLawValue(cap) : formatPercent(terms.penalties.capPercent),
      ccagCap,
    },
    sections: { personalData: sections.personalData, physical: sections.endOfLife, security: sections.security },
    court: terms.court ?? administrativeCourtOf(request.buyer.address) ?? null,
    derogations,
    hasDerogations: derogations.length > 0,
    citations: [...new Set(cited.flatMap((r) => r.reference.articles))],
  };
}

/**
 * The advance's rate, and the SME rate where it differs: the buyer's SME rate when chosen, else the
 * State's SME minimum when the general rate is below it. The request was checked against both
 * minimums (parseTenderRequest); a stored tender is printed as it was chosen.
 */
function advanceTerms(chosen: AdministrativeTerms['advance'], minimum: LawRecord, smeMinimum: LawRecord | undefined): Omit<CcapContext['advance'], 'dueAmount' | 'dueDuration'> {
  const rate = chosen?.ratePercent ?? minimum.value! * 100;
  const smeFloor = smeMinimum === undefined ? undefined : smeMinimum.value! * 100;
  const sme =
    chosen?.smeRatePercent !== undefined
      ? { rate: formatPercent(chosen.smeRatePercent), isStateMinimum: false }
      : smeFloor !== undefined && rate < smeFloor
        ? { rate: formatPercent(smeFloor), isStateMinimum: true }
        : null;
  return {
    rate: formatPercent(rate),
    rateIsMinimum: chosen?.ratePercent === undefined,
    grantedWhenNotDue: chosen?.whenNotDue === 'granted',
    sme,
    smeRuleUnrecorded: chosen?.smeRatePercent === undefined && smeMinimum === undefined,
  };
}

/** The contract documents in the CCAG-TIC's order of precedence (art. 4.1), as this file has them. */
function precedence(tender: ResolvedTender, personalData: boolean): string[] {
  const framework = tender.request.contract.form === 'framework-agreement';
  return [
    `L’acte d’engagement${tender.lots.length > 1 ? ' de chaque lot' : ''} et son annexe financière : ${framework ? 'le bordereau des prix unitaires (BPU)' : 'la décomposition du prix global et forfaitaire (DPGF)'}`,
    `Le présent cahier des clauses administratives particulières (CCAP)${personalData ? ' et son annexe relative à la protection des données personnelles' : ''}`,
    'Le cahier des clauses techniques particulières (CCTP) et le cadre de réponse complété par le titulaire',
    'Le cahier des clauses administratives générales des marchés publics de techniques de l’information et de la communication (CCAG-TIC)',
    'L’offre technique du titulaire (mémoire technique)',
    'Les actes spéciaux de sous-traitance et leurs actes modificatifs, postérieurs à la notification',
  ];
}

/** The contract's form, duration, renewals and amounts as every piece of the file prints them (CCAP, AE, RC). */
export function contractTerms(tender: ResolvedTender): CcapContext['contract'] {
  const { contract } = tender.request;
  const isFrameworkAgreement = contract.form === 'framework-agreement';
  const frameworkType = contract.form === 'framework-agreement' ? contract.frameworkType : undefined;
  const renewals = contract.renewals && contract.renewals.count > 0 ? contract.renewals : undefined;
  return {
    form: frameworkType === undefined ? contractFormLabel(contract) : 'Accord-cadre',
    isFrameworkAgreement,
    frameworkMode: frameworkType === undefined ? null : FRAMEWORK_MODES[frameworkType],
    byOrders: isFrameworkAgreement && frameworkType !== 'subsequent-contracts',
    subsequentContracts: frameworkType === 'subsequent-contracts',
    duration: contract.durationMonths === undefined ? null : `${formatInteger(contract.durationMonths)} mois`,
    start: contract.start?.date !== undefined ? `le ${formatDate(contract.start.date)}` : (contract.start?.event ?? null),
    renewals: renewals
      ? {
          count: formatInteger(renewals.count),
          each: renewals.months !== undefined ? `${formatInteger(renewals.months)} mois` : contract.durationMonths !== undefined ? `${formatInteger(contract.durationMonths)} mois` : 'la durée initiale',
          kind: renewals.kind === 'express' ? 'expresse : l’acheteur notifie sa décision de reconduire au titulaire avant l’échéance de la période en cours' : 'tacite : le marché est reconduit sauf décision contraire de l’acheteur notifiée au titulaire avant l’échéance de la période en cours ; le titulaire ne peut pas refuser la reconduction',
        }
      : null,
    maximum: contract.form === 'framework-agreement' && contract.maximumAmount !== undefined ? `${formatMoneyRounded(contract.maximumAmount)} HT` : null,
    minimum: contract.form === 'framework-agreement' && contract.minimumAmount !== undefined ? `${formatMoneyRounded(contract.minimumAmount)} HT` : null,
  };
}

/** A lot as every piece names it: number, title, main CPV code, minimum and maximum (« — » when none). */
export function lotFacts(lot: ResolvedLot): CcapContext['lots'][number] {
  return {
    number: lot.number,
    title: lot.title,
    cpv: formatCpv(lot.cpv?.main ?? lot.lines.find((l) => l.item.nature === 'supply')?.item.cpv ?? lot.lines[0]!.item.cpv),
    minimum: lot.limits.minimumAmount === undefined ? '—' : `${formatMoneyRounded(lot.limits.minimumAmount)} HT`,
    maximum:
      lot.limits.maximumAmount !== undefined
        ? `${formatMoneyRounded(lot.limits.maximumAmount)} HT`
        : lot.limits.maximumQuantity !== undefined
          ? `${formatInteger(lot.limits.maximumQuantity)} ${lotUnit(lot, lot.limits.maximumQuantity) ?? 'unités'}`
          : '—',
  };
}

/** The consultation as every administrative piece names it: title, reference, buyer, launch date, procedure. */
export function consultationFacts(tender: ResolvedTender): Pick<CcapContext, 'title' | 'reference' | 'buyer' | 'consultationDate' | 'procedure'> {
  const { request } = tender;
  return {
    title: request.title,
    reference: request.reference ?? null,
    buyer: { name: request.buyer.name, designation: buyerDesignation(request.buyer), address: request.buyer.address ?? null },
    consultationDate: formatDate(request.consultationDate),
    procedure: PROCEDURE_LABELS[request.procedure],
  };
}
