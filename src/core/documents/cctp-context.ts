import { formatCpv } from '#src/core/model/cpv.ts';
import type { Category } from '#src/core/model/criterion.ts';
import { formatDate, formatInteger, formatMoneyRounded } from '#src/core/model/format.ts';
import { formatThreshold } from '#src/core/model/metric.ts';
import { type ResolvedLot, type ResolvedRequirement, type ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { schoolLevelsOf } from '#src/core/funding/estimate.ts';
import { buyerDesignation } from './buyer-name.ts';
import { awardRows, termsOf, type FileTerms, type LotTerms } from './lot-terms.ts';
import {
  BUYER_TYPE_LABELS,
  CATEGORY_LABELS,
  CATEGORY_ORDER,
  contractFormLabel,
  LEVEL_LABELS,
  PROCEDURE_LABELS,
  PROOF_LABELS,
} from './labels.ts';

/**
 * The plain data the CCTP template prints. Every value is already formatted in French and
 * every optional value is present (null when absent), because templates compile in strict mode.
 * The CCTP goes to every bidder: it holds only what binds them. The rules' verdicts, the funding
 * estimate, the buyer's changes to the framework and the origin of each criterion are for the
 * buyer alone (note-context.ts).
 */
export interface CctpContext {
  title: string;
  reference: string | null;
  /** `designation`: the name as a sentence says it, with its article (« la Commune de … »). */
  buyer: { name: string; designation: string; type: string; address: string | null };
  consultationDate: string;
  procedure: string;
  contract: { form: string; isFrameworkAgreement: boolean; duration: string | null; maximum: string | null; minimum: string | null; maximumQuantity: string | null };
  context: string | null;
  framework: { title: string; version: number; reference: string };
  singleLot: boolean;
  allotmentJustification: string | null;
  lotCount: number;
  lots: LotContext[];
  award: { hasCriteria: boolean; criteria: Array<{ name: string; theme: string; weight: string; subCriteria: Array<{ name: string; weight: string }> }> };
  variants: { allowed: boolean; description: string | null; minimumRequirements: string | null };
  options: Array<{ number: number; label: string; description: string }>;
  hasOptions: boolean;
  /**
   * The general sections, each printed only for the lots whose items need it (null: no lot
   * does); `appliesTo` names those lots when the file has several.
   */
  /** What a version 2 request states beyond version 1 (null for version 1: its documents read as before). */
  terms: FileTerms | null;
  /** Each lot is judged on its own criteria (version 2): `terms.awardByLot` replaces `award`. */
  perLotAward: boolean;
  /** Variants differ from lot to lot (version 2): `terms.variantsByLot` replaces `variants`. */
  perLotVariants: boolean;
  sections: Record<'security' | 'personalData' | 'installation' | 'wifiSwitchOff' | 'training' | 'support' | 'maintenance' | 'warranty' | 'endOfLife', SectionScope | null>;
  /** Tablets are judged on the EU repairability class of their energy label, not the French index (DOMAIN.md C13). */
  tabletRepairabilityClass: boolean;
}

export interface SectionScope {
  /** « Ces dispositions s’appliquent aux lots 1 et 3. », or null for a single-lot file. */
  appliesTo: string | null;
}

export interface LotContext {
  number: number;
  title: string;
  offer: string | null;
  lines: Array<{ label: string; unit: string; quantity: string; cpv: string; nature: string }>;
  groups: Array<{ title: string; requirements: RequirementContext[] }>;
  deliverySites: string[];
  hasDeliverySites: boolean;
  requirementCount: number;
  terms: LotTerms | null;
}

export interface RequirementContext {
  id: string;
  label: string;
  text: string;
  threshold: string;
  level: string;
  proof: string;
  /** The regulation a requirement comes from, when it does; other origins stay in the note interne. */
  regulation: string | null;
}

/** Equipment that is delivered, installed, kept under warranty and taken back at its end of life. */
const PHYSICAL: readonly Category[] = ['tablet', 'laptop', 'charging-cart', 'wifi-access-point', 'network', 'interactive-display', 'server-storage'];
/** Items whose service processes personal data of pupils or staff (fleet management, hosting). */
const PERSONAL_DATA: readonly Category[] = ['mdm', 'server-storage'];
/** Items configured on the school's network, to which the ANSSI's recommendations apply. */
const CONNECTED: readonly Category[] = ['tablet', 'laptop', 'wifi-access-point', 'network', 'mdm', 'server-storage', 'interactive-display'];

/** The criterion asking for a tablet's EU repairability class (framework version 3 onwards). */
const TABLET_REPAIRABILITY_CLASS = 'environment.tablet-repairability-class';

function sectionScopes(tender: ResolvedTender): CctpContext['sections'] {
  const has = (lot: ResolvedLot, categories: readonly Category[]) => lot.lines.some((l) => categories.includes(l.item.category));
  const levels = schoolLevelsOf(tender.request.buyer);
  const scope = (test: (lot: ResolvedLot) => boolean): SectionScope | null => {
    const numbers = tender.lots.filter(test).map((l) => l.number);
    if (numbers.length === 0) return null;
    return { appliesTo: tender.lots.length === 1 ? null : appliesTo(numbers, tender.lots.length) };
  };
  const maintained = (lot: ResolvedLot) => has(lot, ['warranty-support']);
  return {
    security: scope((lot) => has(lot, CONNECTED)),
    personalData: scope(processesPersonalData),
    installation: scope((lot) => has(lot, ['services'])),
    // Loi 2015-136: access points switched off when unused, in primary schools only, not collèges (DOMAIN.md C16).
    wifiSwitchOff: levels.includes('primary') ? scope((lot) => has(lot, ['wifi-access-point'])) : null,
    training: scope((lot) => has(lot, ['training'])),
    // The warranty and support chapter: lots under maintenance, and lots of equipment under warranty.
    support: scope((lot) => maintained(lot) || has(lot, PHYSICAL)),
    maintenance: scope((lot) => maintained(lot)),
    warranty: scope((lot) => has(lot, PHYSICAL) && !maintained(lot)),
    endOfLife: scope((lot) => has(lot, PHYSICAL)),
  };
}

function appliesTo(numbers: readonly number[], lotCount: number): string {
  if (numbers.length === lotCount) return 'Ces dispositions s’appliquent à tous les lots.';
  if (numbers.length === 1) return `Ces dispositions s’appliquent au lot ${numbers[0]}.`;
  return `Ces dispositions s’appliquent aux lots ${numbers.slice(0, -1).join(', ')} et ${numbers.at(-1)}.`;
}

export function buildCctpContext(tender: ResolvedTender): CctpContext {
  const { request, framework } = tender;
  const { contract } = request;
  const isFrameworkAgreement = contract.form === 'framework-agreement';
  const terms = termsOf(tender);

  return {
    title: request.title,
    reference: request.reference ?? null,
    buyer: {
      name: request.buyer.name,
      designation: buyerDesignation(request.buyer),
      type: BUYER_TYPE_LABELS[request.buyer.type],
      address: request.buyer.address ?? null,
    },
    consultationDate: formatDate(request.consultationDate),
    procedure: PROCEDURE_LABELS[request.procedure],
    contract: {
      form: contractFormLabel(contract),
      isFrameworkAgreement,
      duration: contract.durationMonths === undefined ? null : `${formatInteger(contract.durationMonths)} mois`,
      maximum: isFrameworkAgreement && contract.maximumAmount !== undefined ? formatMoneyRounded(contract.maximumAmount) : null,
      minimum: isFrameworkAgreement && contract.minimumAmount !== undefined ? formatMoneyRounded(contract.minimumAmount) : null,
      maximumQuantity: isFrameworkAgreement && contract.maximumQuantity !== undefined ? formatInteger(contract.maximumQuantity) : null,
    },
    context: request.context ?? null,
    framework: {
      title: framework.title,
      version: framework.version,
      reference: framework.reference,
    },
    singleLot: tender.lots.length === 1,
    allotmentJustification: request.allotmentJustification ?? null,
    lotCount: tender.lots.length,
    lots: tender.lots.map((lot, i) => lotContext(lot, terms?.lots[i] ?? null)),
    award: {
      hasCriteria: request.awardCriteria.length > 0,
      criteria: awardRows(request.awardCriteria),
    },
    variants: {
      allowed: request.variants.allowed,
      description: request.variants.description ?? null,
      minimumRequirements: request.variants.minimumRequirements ?? null,
    },
    options: request.options.map((o, i) => ({ number: i + 1, label: o.label, description: o.description })),
    hasOptions: request.options.length > 0 || (terms?.file.options.length ?? 0) > 0,
    terms: terms?.file ?? null,
    perLotAward: (terms?.file.awardByLot ?? null) !== null,
    perLotVariants: (terms?.file.variantsByLot ?? null) !== null,
    sections: sectionScopes(tender),
    tabletRepairabilityClass: tender.lots.some((lot) => lot.requirements.some((r) => r.id === TABLET_REPAIRABILITY_CLASS)),
  };
}

function lotContext(lot: ResolvedLot, terms: LotTerms | null): LotContext {
  const groups = new Map<Category | 'buyer', RequirementContext[]>();
  for (const requirement of lot.requirements) {
    const list = groups.get(requirement.category) ?? [];
    list.push(requirementContext(requirement));
    groups.set(requirement.category, list);
  }
  return {
    number: lot.number,
    title: lot.title,
    offer: lot.offer ? `${lot.offer.offer.label} × ${formatInteger(lot.offer.count)}` : null,
    lines: lot.lines.map((l) => ({
      label: l.item.label,
      unit: l.item.unit,
      quantity: formatInteger(l.quantity),
      cpv: formatCpv(l.item.cpv),
      nature: l.item.nature === 'supply' ? 'Fourniture' : 'Service',
    })),
    groups: CATEGORY_ORDER.filter((c) => groups.has(c)).map((c) => ({ title: CATEGORY_LABELS[c], requirements: groups.get(c)! })),
    deliverySites: lot.deliverySites,
    hasDeliverySites: lot.deliverySites.length > 0,
    requirementCount: lot.requirements.length,
    terms,
  };
}

function requirementContext(r: ResolvedRequirement): RequirementContext {
  return {
    id: r.reference,
    label: r.label,
    text: r.requirement,
    threshold: formatThreshold(r.metric),
    level: LEVEL_LABELS[r.level],
    proof: r.proof.map((p) => PROOF_LABELS[p]).join(', '),
    regulation: r.source === 'reference' && r.authority.type === 'law' ? r.authority.reference : null,
  };
}

/** Whether a lot's items process personal data of pupils or staff (fleet management, hosting): the lots the data-processing annex binds. */
export function processesPersonalData(lot: ResolvedLot): boolean {
  return lot.lines.some((l) => PERSONAL_DATA.includes(l.item.category));
}
