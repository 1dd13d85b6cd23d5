/**
 * What a version 2 request states beyond version 1, ready for the CCTP and the RC:
 * the contract's terms (framework type, start, renewals, tranches, price form and type), and for
 * each lot its own award criteria, maximum, CPV, lines with how their quantities come about,
 * delivery sites, priced options (PSE), variants and site visit. Both documents read these
 * values from here, so a lot's weights, maxima, options and quantities are printed alike.
 *
 * A version 1 request gets none of it (`termsOf` returns null): its documents read as before.
 */
import { formatDate, formatInteger, formatMoneyRounded, formatPercent } from '#src/core/model/format.ts';
import type { ResolvedLine, ResolvedLot, ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { AwardCriterion, Variants } from '#src/core/model/tender-request.ts';
import { isV2, type TenderRequestV2 } from '#src/core/model/tender-request-v2.ts';
import { AWARD_THEME_LABELS, contractFormLabel } from './labels.ts';

export interface AwardRow {
  name: string;
  theme: string;
  weight: string;
  subCriteria: Array<{ name: string; weight: string }>;
}

export interface LotAward {
  number: number;
  title: string;
  hasCriteria: boolean;
  criteria: AwardRow[];
}

export interface FileTerms {
  /** « Accord-cadre à marchés subséquents », replacing version 1's label. */
  form: string;
  /** Bullet items after the duration: start, renewals, price form and type. */
  facts: string[];
  tranches: { firm: { title: string; content: string }; optional: Array<{ number: number; title: string; content: string; affirmation: string }> } | null;
  /** Every lot's award criteria, when at least one lot states its own. */
  awardByLot: LotAward[] | null;
  /** Variants lot by lot, when they differ between lots. */
  variantsByLot: Array<{ number: number; title: string; text: string; minimumRequirements: string | null }> | null;
  /** File options and each lot's priced options, as one list. */
  options: OptionSummary[];
  /** Lots with a site visit. */
  visits: Array<{ number: number; title: string; text: string }>;
  /** « du lot 2 », « des lots 1 et 3 »: the lots whose visit is mandatory, or null. */
  mandatoryVisits: string | null;
}

export interface OptionSummary {
  /** « Option 1 » or « Option 1 du lot 2 ». */
  name: string;
  label: string;
  description: string;
}

export interface LotTerms {
  /** Maximum, minimum, reservation: one sentence each. */
  facts: string[];
  /** The facts after the lot's title in a list of lots (« Montant maximum … »), or "". */
  summary: string;
  cpv: string | null;
  hasTranches: boolean;
  lines: LineRow[];
  /** How quantities come about: computed, estimated, lump sums. */
  quantityNotes: string[];
  sites: Array<{ name: string; uai: string; address: string; deliveryPeriods: string; quantities: string }>;
  hasSites: boolean;
  /** Some site states when delivery is possible (else the column is left out). */
  hasDeliveryPeriods: boolean;
  options: Array<{ name: string; label: string; description: string; lines: LineRow[]; hasLines: boolean }>;
  hasOptions: boolean;
  variants: string | null;
  visit: string | null;
  award: LotAward;
}

export interface LineRow {
  /** « 1.3 »: the line's number, the same in the CCTP and the price schedules. */
  number: string;
  label: string;
  nature: string;
  unit: string;
  quantity: string;
  tranche: string;
  cpv: string;
}

const PRICE_FORM_LABELS = { 'lump-sum': 'prix forfaitaires', unit: 'prix unitaires', mixed: 'prix mixtes (forfaitaires et unitaires)' } as const;

const RESERVED_LABELS = {
  'disabled-workers':
    'Lot réservé aux entreprises adaptées, aux établissements et services d’aide par le travail et aux structures équivalentes employant une proportion minimale de travailleurs handicapés.',
  'social-economy':
    'Lot réservé aux structures d’insertion par l’activité économique et aux structures équivalentes employant une proportion minimale de travailleurs défavorisés.',
} as const;

/** The line numbers every document uses: « 1.3 » for lot 1's third line, « 1.O2.1 » for the first line of its option 2. */
export const lineNumber = (lot: Pick<ResolvedLot, 'number'>, index: number): string => `${lot.number}.${index + 1}`;
export const optionLineNumber = (lot: Pick<ResolvedLot, 'number'>, option: number, index: number): string => `${lot.number}.O${option}.${index + 1}`;

export function termsOf(tender: ResolvedTender): { file: FileTerms; lots: LotTerms[] } | null {
  if (!isV2(tender.source)) return null;
  const { request } = tender;
  const lots = tender.lots.map((lot) => lotTerms(lot, request));
  const ownAward = tender.lots.some((l) => l.ownAwardCriteria);
  const sameVariants = tender.lots.every((l) => JSON.stringify(l.variants) === JSON.stringify(request.variants));
  return {
    file: {
      form: contractFormLabel(request.contract),
      facts: contractFacts(request),
      tranches: tranchesOf(request),
      awardByLot: ownAward ? lots.map((l) => l.award) : null,
      variantsByLot: sameVariants
        ? null
        : tender.lots.map((lot) => ({ number: lot.number, title: lot.title, text: variantsText(lot.variants), minimumRequirements: lot.variants.allowed ? (lot.variants.minimumRequirements ?? null) : null })),
      options: [
        ...request.options.map((o, i) => ({ name: `Option ${i + 1}`, label: o.label, description: o.description })),
        ...tender.lots.flatMap((lot) => lot.options.map((o) => ({ name: `Option ${o.number} du lot ${lot.number}`, label: o.label, description: o.description }))),
      ],
      visits: tender.lots.flatMap((lot, i) => (lots[i]!.visit === null ? [] : [{ number: lot.number, title: lot.title, text: lots[i]!.visit! }])),
      mandatoryVisits: lotNames(tender.lots.filter((l) => l.visit?.kind === 'mandatory').map((l) => l.number)),
    },
    lots,
  };
}

function lotNames(numbers: readonly number[]): string | null {
  if (numbers.length === 0) return null;
  if (numbers.length === 1) return `du lot ${numbers[0]}`;
  return `des lots ${numbers.slice(0, -1).join(', ')} et ${numbers.at(-1)}`;
}

function contractFacts(request: TenderRequestV2): string[] {
  const { contract } = request;
  const facts: string[] = [];
  if (contract.start?.date) facts.push(`Début d’exécution : le ${formatDate(contract.start.date)}`);
  else if (contract.start?.event) facts.push(`Début d’exécution : à compter de ${contract.start.event}`);
  const renewals = contract.renewals;
  if (renewals && renewals.count > 0) {
    const months = renewals.months ?? contract.durationMonths;
    const each = months === undefined ? '' : `, pour ${formatInteger(months)} mois${renewals.count === 1 ? '' : ' chaque fois'}`;
    const how =
      renewals.kind === 'tacit'
        ? ', par reconduction tacite, sauf décision contraire de l’acheteur notifiée au titulaire'
        : renewals.kind === 'express'
          ? ', sur décision expresse de l’acheteur notifiée au titulaire'
          : '';
    const total = months !== undefined && contract.durationMonths !== undefined ? ` ; durée totale, reconductions comprises : ${formatInteger(contract.durationMonths + renewals.count * months)} mois au plus` : '';
    facts.push(`Reconduction : ${renewals.count === 1 ? 'une fois' : `${formatInteger(renewals.count)} fois`}${each}${how}${total}`);
  } else if (renewals) {
    facts.push('Reconduction : aucune');
  }
  if (contract.price) {
    const { form, type, index } = contract.price;
    facts.push(`Forme des prix : ${PRICE_FORM_LABELS[form]}`);
    facts.push(
      type === 'firm'
        ? 'Prix fermes, sans actualisation ni révision'
        : type === 'adjustable'
          ? `Prix fermes actualisables selon l’indice suivant : ${index}`
          : `Prix révisables selon l’indice suivant : ${index}`,
    );
  }
  return facts;
}

function tranchesOf(request: TenderRequestV2): FileTerms['tranches'] {
  const tranches = request.contract.tranches;
  if (!tranches) return null;
  return {
    firm: tranches.firm,
    optional: tranches.optional.map((t, i) => {
      const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);
      const affirmation = [
        t.affirmation.deadline ? `Date limite d’affermissement : le ${formatDate(t.affirmation.deadline)}.` : null,
        t.affirmation.condition ? `Condition d’affermissement : ${sentence(t.affirmation.condition)}` : null,
      ].filter((s): s is string => s !== null);
      return { number: i + 1, title: t.title, content: t.content, affirmation: affirmation.join(' ') };
    }),
  };
}

function variantsText(variants: Variants): string {
  if (!variants.allowed) return 'Les variantes ne sont pas autorisées.';
  return `Les variantes sont autorisées.${variants.description ? ` ${variants.description}` : ''}`;
}

export function awardRows(criteria: readonly AwardCriterion[]): AwardRow[] {
  return criteria.map((c) => ({
    name: c.name,
    theme: AWARD_THEME_LABELS[c.theme],
    weight: formatPercent(c.weight),
    subCriteria: c.subCriteria.map((s) => ({ name: s.name, weight: formatPercent(s.weight) })),
  }));
}

/** The unit a lot's quantities are counted in, agreed with `quantity`, when all its lines share one (« heures »); else null. */
export function lotUnit(lot: Pick<ResolvedLot, 'lines'>, quantity: number): string | null {
  const units = [...new Set(lot.lines.map((l) => l.item.unit))];
  return units.length === 1 ? unitFor(quantity, units[0]!) : null;
}

/** « unités », « heures », « licences »: the unit agreed with its quantity. */
export function unitFor(quantity: number, unit: string): string {
  if (Math.abs(quantity) < 2 || /[sxz]$/.test(unit) || unit.includes(' ')) return unit;
  return `${unit}s`;
}

function lotTerms(lot: ResolvedLot, request: TenderRequestV2): LotTerms {
  const { limits } = lot;
  const facts: string[] = [];
  const framework = request.contract.form === 'framework-agreement';
  const whole = request.contract.renewals && request.contract.renewals.count > 0 ? 'sur toute la durée de l’accord-cadre, reconductions comprises' : 'sur toute la durée de l’accord-cadre';
  const quantityUnit = (n: number) => {
    const unit = lotUnit(lot, n);
    return unit === null ? '' : ` ${unit}`;
  };
  if (framework && limits.maximumAmount !== undefined) facts.push(`Montant maximum du lot ${whole} : ${formatMoneyRounded(limits.maximumAmount)} HT.`);
  if (framework && limits.maximumQuantity !== undefined) facts.push(`Quantité maximale du lot ${whole} : ${formatInteger(limits.maximumQuantity)}${quantityUnit(limits.maximumQuantity)}.`);
  if (framework && limits.minimumAmount !== undefined) facts.push(`Montant minimum du lot : ${formatMoneyRounded(limits.minimumAmount)} HT.`);
  if (framework && limits.minimumQuantity !== undefined) facts.push(`Quantité minimale du lot : ${formatInteger(limits.minimumQuantity)}${quantityUnit(limits.minimumQuantity)}.`);
  if (lot.reserved) facts.push(RESERVED_LABELS[lot.reserved]);

  const trancheNames = new Map((request.contract.tranches?.optional ?? []).map((t, i) => [t.id, `Optionnelle ${i + 1}`]));
  const row = (line: ResolvedLine, number: string): LineRow => ({
    number,
    label: line.item.label,
    nature: line.item.nature === 'supply' ? 'Fourniture' : 'Service',
    unit: line.pricing === 'lump-sum' ? 'forfait' : line.item.unit,
    quantity: line.pricing === 'lump-sum' ? '1' : formatInteger(line.quantity),
    tranche: line.tranche === undefined ? 'Ferme' : (trancheNames.get(line.tranche) ?? line.tranche),
    cpv: line.item.cpv,
  });
  const lines = lot.lines.map((line, i) => row(line, lineNumber(lot, i)));

  const quantityNotes: string[] = [];
  lot.lines.forEach((line, i) => {
    const name = `${lineNumber(lot, i)} « ${line.item.label} »`;
    if (line.computed?.rule === 'devices') quantityNotes.push(`${name} : une par tablette ou ordinateur du lot, soit ${formatInteger(line.quantity)}.`);
    if (line.computed?.rule === 'teachers') {
      const teachers = lot.sites.reduce((n, s) => n + (s.teachers ?? 0), 0);
      quantityNotes.push(`${name} : ${formatInteger(line.computed.perTeacher)} ${unitFor(line.computed.perTeacher, line.item.unit)} par enseignant des sites du lot (${formatInteger(teachers)} enseignants), soit ${formatInteger(line.quantity)}.`);
    }
  });
  const lumpSums = lot.lines.flatMap((l, i) => (l.pricing === 'lump-sum' ? [`${lineNumber(lot, i)} « ${l.item.label} »`] : []));
  if (lumpSums.length > 0) {
    quantityNotes.push(`${lumpSums.length === 1 ? 'Ligne rémunérée' : 'Lignes rémunérées'} par un prix forfaitaire, qui couvre la prestation sur tous les sites où elle est demandée : ${lumpSums.join(', ')}.`);
  }
  const estimated = lot.lines.filter((l) => l.estimated);
  if (estimated.length > 0) {
    quantityNotes.push(
      estimated.length === lot.lines.length
        ? 'Les quantités sont estimatives : elles servent à comparer les offres et n’engagent pas l’acheteur, qui commande selon ses besoins.'
        : `Quantités estimatives, sans engagement de commande : ${lot.lines.flatMap((l, i) => (l.estimated ? [lineNumber(lot, i)] : [])).join(', ')}.`,
    );
  }

  const sites = lot.sites.map((site) => {
    const quantities = lot.lines.flatMap((line) => {
      const q = line.sites.find((s) => s.site.id === site.id)?.quantity;
      return q === undefined ? [] : [`${line.item.label} : ${formatInteger(q)}`];
    });
    return {
      name: site.name,
      uai: site.uai ?? '—',
      address: site.address ?? '—',
      deliveryPeriods: site.deliveryPeriods ?? '—',
      quantities: quantities.length === 0 ? '—' : quantities.join(' ; '),
    };
  });

  const options = lot.options.map((option) => ({
    name: `Option ${option.number}`,
    label: option.label,
    description: option.description,
    lines: option.lines.map((line, j) => row(line, optionLineNumber(lot, option.number, j))),
    hasLines: option.lines.length > 0,
  }));

  return {
    facts,
    summary: facts.join(' '),
    cpv: lot.cpv ? `${lot.cpv.main}${lot.cpv.additional.length > 0 ? ` ; codes complémentaires : ${lot.cpv.additional.join(', ')}` : ''}` : null,
    hasTranches: request.contract.tranches !== undefined,
    lines,
    quantityNotes,
    sites,
    hasSites: sites.length > 0 && lot.lines.some((l) => l.sites.length > 0),
    hasDeliveryPeriods: lot.sites.some((s) => s.deliveryPeriods !== undefined),
    options,
    hasOptions: options.length > 0,
    variants: JSON.stringify(lot.variants) === JSON.stringify(request.variants) ? null : variantsText(lot.variants),
    visit: visitText(lot),
    award: { number: lot.number, title: lot.title, hasCriteria: lot.awardCriteria.length > 0, criteria: awardRows(lot.awardCriteria) },
  };
}

function visitText(lot: ResolvedLot): string | null {
  const visit = lot.visit;
  if (!visit || visit.kind === 'none') return null;
  const sites = visit.sites === undefined ? lot.sites : lot.sites.filter((s) => visit.sites!.includes(s.id));
  const parts = [
    visit.kind === 'mandatory'
      ? 'La visite des sites est obligatoire : une attestation de visite est remise au candidat, qui la joint à son offre ; une offre remise sans visite préalable est irrégulière.'
      : 'Une visite des sites est proposée aux candidats ; elle est facultative.',
  ];
  if (sites.length > 0) parts.push(`Sites visités : ${sites.map((s) => s.name).join(', ')}.`);
  if (visit.dates.length > 0) parts.push(`${visit.dates.length === 1 ? 'Date' : 'Dates'} : ${visit.dates.map(formatDate).join(', ')}.`);
  if (visit.booking) parts.push(visit.booking);
  return parts.join(' ');
}
