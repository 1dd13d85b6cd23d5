import { CATEGORY_LABELS } from '#src/core/documents/labels.ts';
import type { CatalogueItem } from '#src/core/model/catalogue.ts';
import type { Category } from '#src/core/model/criterion.ts';
import { formatDate, formatInteger, formatMoney, formatMoneyRounded, formatPercent } from '#src/core/model/format.ts';
import type { BuyerType } from '#src/core/model/tender-request.ts';
import { SCHOOL_LEVEL_LABELS } from '#src/core/model/school-levels.ts';
import { roundCents } from '#src/core/rules/money.ts';
import type { Audience, FundingProgramme, FundingTerms, SchoolLevel } from './programme.ts';

/**
 * The co-funding ESTIMATE for the buyer (never a bidder document): for each programme the
 * framework serves, whether it is open on the consultation date to this buyer type and school
 * level, and if so what it would pay, per lot and device category, every step written out.
 * Conformity to the framework (« conforme au référentiel ») is decided elsewhere and only quoted
 * here: money and conformity stay two separate answers.
 */

export const NO_OPEN_PROGRAMME = 'aucun programme de cofinancement ouvert à cette date pour ce type d’acheteur';

export type ProgrammeStatus = 'open' | 'open-unconfirmed' | 'closed' | 'not-yet-open' | 'not-for-buyer';

export interface ProgrammeVerdict {
  id: string;
  name: string;
  status: ProgrammeStatus;
  /** French, one sentence. */
  reason: string;
  sources: string[];
}

export interface EstimateLine {
  lot: number;
  category: Category;
  /** « Tablettes » … */
  categoryLabel: string;
  devices: number;
  /** Euros excl. VAT of the priced lines. */
  eligibleCost: number;
  subsidy: number;
  /** False when a line of this category has no estimated price (it then counts for 0). */
  priced: boolean;
  steps: string[];
}

export interface ProgrammeEstimate {
  programme: string;
  name: string;
  /** Σ eligible cost over every lot: what tiers and ceilings are read against. */
  projectSpend: number;
  rate: number;
  rateExplanation: string;
  lines: EstimateLine[];
  total: number;
  caveats: string[];
}

export interface FundingEstimate {
  date: string;
  buyerType: BuyerType;
  schoolLevels: SchoolLevel[];
  programmes: ProgrammeVerdict[];
  estimates: ProgrammeEstimate[];
  /** The plain answer, French. */
  statement: string;
}

export interface FundingLine {
  lot: number;
  item: CatalogueItem;
  quantity: number;
  estimatedUnitPrice?: number;
}

export interface FundingInput {
  date: string;
  buyerType: BuyerType;
  schoolLevels: readonly SchoolLevel[];
  lines: readonly FundingLine[];
  /** The programmes the framework serves. */
  programmes: readonly FundingProgramme[];
  /** Whether the selection keeps every reference minimum criterion (conformity), quoted in the caveats. */
  conforming: boolean;
}

export { defaultSchoolLevels, SCHOOL_LEVEL_LABELS, schoolLevelsOf } from '#src/core/model/school-levels.ts';


/** Who a catalogue item is for: its `audience`, else pupils for tablets and the whole class otherwise. */
export function audienceOf(item: CatalogueItem): Audience {
  return item.audience ?? (item.category === 'tablet' ? 'pupil' : 'class');
}

export function estimateFunding(input: FundingInput): FundingEstimate {
  const verdicts: ProgrammeVerdict[] = [];
  const estimates: ProgrammeEstimate[] = [];
  for (const programme of input.programmes) {
    const { verdict, terms } = judge(programme, input);
    verdicts.push(verdict);
    if (terms && (verdict.status === 'open' || verdict.status === 'open-unconfirmed')) {
      estimates.push(estimate(programme, terms, verdict.status, input));
    }
  }
  return {
    date: input.date,
    buyerType: input.buyerType,
    schoolLevels: [...input.schoolLevels],
    programmes: verdicts,
    estimates,
    statement: statement(estimates, verdicts, input),
  };
}

function judge(programme: FundingProgramme, input: FundingInput): { verdict: ProgrammeVerdict; terms?: FundingTerms } {
  const base = { id: programme.id, name: programme.name, sources: programme.sources };
  const { from, until, verification } = programme.applications;
  if (input.date < from) {
    return { verdict: { ...base, status: 'not-yet-open', reason: `Candidatures ouvertes à partir du ${formatDate(from)}.` } };
  }
  if (until !== null && input.date > until) {
    return { verdict: { ...base, status: 'closed', reason: `Programme clos : candidatures jusqu’au ${formatDate(until)}.` } };
  }
  const terms = programme.terms.find(
    (t) => t.buyerTypes.includes(input.buyerType) && t.schoolLevels.some((l) => input.schoolLevels.includes(l)),
  );
  if (!terms) {
    const who = programme.terms
      .map((t) => `${t.schoolLevels.map((l) => SCHOOL_LEVEL_LABELS[l]).join(', ')} (${t.buyerTypes.length} type(s) d’acheteur)`)
      .join(' ; ');
    return { verdict: { ...base, status: 'not-for-buyer', reason: `Ne s’adresse pas à ce type d’acheteur pour ces établissements (programme destiné à : ${who}).` } };
  }
  const unconfirmed = verification === 'unverified' && until === null;
  const window = `candidatures depuis le ${formatDate(from)}${until === null ? '' : ` jusqu’au ${formatDate(until)}`}`;
  return {
    verdict: {
      ...base,
      status: unconfirmed ? 'open-unconfirmed' : 'open',
      reason: unconfirmed
        ? `Ouvert sous réserve : ${window}, date de clôture non publiée dans les sources enregistrées.`
        : `Ouvert : ${window}.`,
    },
    terms,
  };
}

function estimate(programme: FundingProgramme, terms: FundingTerms, status: ProgrammeStatus, input: FundingInput): ProgrammeEstimate {
  const expenses = new Set<Category>(terms.expenses);
  const eligible = input.lines.filter((l) => expenses.has(l.item.category));
  const projectSpend = roundCents(eligible.reduce((s, l) => s + (l.estimatedUnitPrice === undefined ? 0 : l.quantity * l.estimatedUnitPrice), 0));
  const { rate, explanation } = rateFor(terms, projectSpend);
  const ceiling = terms.rate.kind === 'project-tiers' ? terms.rate.projectCeiling : undefined;
  // Spending above a project ceiling is not eligible: each line keeps its share of the ceiling.
  const ceilingShare = ceiling !== undefined && projectSpend > ceiling ? ceiling / projectSpend : 1;

  const groups = new Map<string, FundingLine[]>();
  for (const line of eligible) {
    const key = `${line.lot}\u0000${line.item.category}`;
    groups.set(key, [...(groups.get(key) ?? []), line]);
  }
  const lines: EstimateLine[] = [...groups.values()].map((group) => {
    const { lot, item } = group[0]!;
    const steps: string[] = [];
    let devices = 0;
    let eligibleCost = 0;
    let subsidy = 0;
    let priced = true;
    for (const line of group) {
      devices += line.quantity;
      const label = `« ${line.item.label} »`;
      if (line.estimatedUnitPrice === undefined) {
        priced = false;
        steps.push(`${label} : ${formatInteger(line.quantity)} unité(s) sans prix unitaire estimé, comptées pour 0 €.`);
        continue;
      }
      const price = line.estimatedUnitPrice * ceilingShare;
      const cost = line.quantity * line.estimatedUnitPrice;
      eligibleCost += cost;
      const audience = audienceOf(line.item);
      const cap = audience === 'pupil' ? terms.capPerDevice.pupil : audience === 'teacher' ? terms.capPerDevice.teacher : undefined;
      const share = ceilingShare < 1 ? ` (part retenue sous le plafond de projet de ${formatMoneyRounded(ceiling!)} HT : ${formatPercent(roundTo(ceilingShare * 100, 2))})` : '';
      if (cap !== undefined) {
        const perDevice = roundCents(Math.min(rate * price, cap));
        const amount = roundCents(line.quantity * perDevice);
        subsidy += amount;
        steps.push(
          `${label} : ${formatInteger(line.quantity)} × min(${formatPercent(rate * 100)} × ${formatMoney(price)}${share}, plafond ${formatMoneyRounded(cap)} par ${audience === 'pupil' ? 'élève' : 'enseignant'}) = ` +
            `${formatInteger(line.quantity)} × ${formatMoney(perDevice)} = ${formatMoney(amount)}.`,
        );
      } else {
        const amount = roundCents(rate * line.quantity * price);
        subsidy += amount;
        steps.push(`${label} : ${formatPercent(rate * 100)} × ${formatInteger(line.quantity)} × ${formatMoney(price)}${share} = ${formatMoney(amount)}.`);
      }
    }
    return {
      lot,
      category: item.category,
      categoryLabel: CATEGORY_LABELS[item.category],
      devices,
      eligibleCost: roundCents(eligibleCost),
      subsidy: roundCents(subsidy),
      priced,
      steps,
    };
  });
  lines.sort((a, b) => a.lot - b.lot || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0));

  const caveats: string[] = [];
  if (status === 'open-unconfirmed') caveats.push(`Ouverture à confirmer auprès du financeur : ${programme.applications.note ?? 'calendrier non confirmé.'}`);
  if (programme.territory) caveats.push(programme.territory);
  if (!input.conforming) caveats.push('La sélection n’est pas conforme au référentiel : le financeur peut refuser l’aide tant que les exigences de référence écartées ne sont pas rétablies.');
  if (lines.some((l) => !l.priced)) caveats.push('Des équipements éligibles n’ont pas de prix unitaire estimé : l’estimation est incomplète.');
  if (programme.verification === 'unverified') caveats.push('Règles de calcul non entièrement vérifiées dans les sources : estimation indicative.');
  caveats.push('Estimation interne à l’acheteur, sur ses prix unitaires estimés ; le montant est arrêté par le financeur.');

  return {
    programme: programme.id,
    name: programme.name,
    projectSpend,
    rate,
    rateExplanation: explanation,
    lines,
    total: roundCents(lines.reduce((s, l) => s + l.subsidy, 0)),
    caveats,
  };
}

function rateFor(terms: FundingTerms, projectSpend: number): { rate: number; explanation: string } {
  const rule = terms.rate;
  if (rule.kind === 'flat') return { rate: rule.rate, explanation: `taux unique de ${formatPercent(rule.rate * 100)}` };
  const tier = rule.tiers.find((t) => t.below === null || projectSpend < t.below)!;
  const previous = rule.tiers[rule.tiers.indexOf(tier) - 1];
  const why =
    tier.below !== null
      ? `dépense éligible du projet ${formatMoney(projectSpend)} HT, inférieure à ${formatMoneyRounded(tier.below)} HT`
      : `dépense éligible du projet ${formatMoney(projectSpend)} HT, égale ou supérieure à ${formatMoneyRounded(previous?.below ?? 0)} HT`;
  return { rate: tier.rate, explanation: `taux de ${formatPercent(tier.rate * 100)} (${why})` };
}

function statement(estimates: readonly ProgrammeEstimate[], verdicts: readonly ProgrammeVerdict[], input: FundingInput): string {
  if (estimates.length === 0) {
    return `${capitalise(NO_OPEN_PROGRAMME)} (${formatDate(input.date)}).`;
  }
  return estimates
    .map((e) => {
      const name = verdicts.some((v) => v.id === e.programme && v.status === 'open-unconfirmed') ? `${e.name} (ouverture à confirmer)` : e.name;
      return e.total > 0
        ? `${name} : aide estimée à ${formatMoney(e.total)} (${e.rateExplanation}).`
        : `${name} : aucune dépense de la consultation n’entre dans les dépenses éligibles de ce programme.`;
    })
    .join(' ');
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const roundTo = (n: number, digits: number): number => Math.round(n * 10 ** digits) / 10 ** digits;
