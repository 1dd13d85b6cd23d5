import type { Catalogue, CatalogueItem, Framework, Offer } from './catalogue.ts';
import type { Authority, Category, Criterion, CriterionKind, Level, Metric, Proof } from './criterion.ts';
import { NotFoundError, ValidationError, type Issue } from './errors.ts';
import { compareMetric, type MetricChange } from './metric.ts';
import { requirementReferences } from './requirement-reference.ts';
import { lotMetric, renderRequirementText } from './requirement-text.ts';
import { withFrenchApostrophes } from './typography.ts';
import { convertible, convertibleUnits } from './units.ts';
import type { TenderRequest } from './tender-request.ts';

/** Everything the reference catalogue contributes to one generation, already pinned. */
export interface CatalogueSnapshot {
  framework: Framework;
  /** The criterion versions the framework pins, by id. */
  criteria: ReadonlyMap<string, Criterion>;
  items: ReadonlyMap<string, CatalogueItem>;
  offers: ReadonlyMap<string, Offer>;
}

export interface ResolvedLine {
  item: CatalogueItem;
  quantity: number;
  /** Euros excl. VAT, when the buyer gave an estimate. */
  estimatedUnitPrice?: number;
}

export interface ResolvedRequirement {
  /** Criterion id, or "lot-N.buyer-M" for a buyer-written requirement. */
  id: string;
  /** What bidders quote, the same in every document: « L1-TAB-03 » (requirement-reference.ts). */
  reference: string;
  source: 'reference' | 'buyer';
  /** The pinned reference criterion, for reference requirements. */
  criterion?: Criterion;
  label: string;
  /**
   * The sentence every document prints: for a reference criterion, its text with `{seuil}` replaced
   * by the threshold in force (`metric`); a buyer's text as written.
   */
  requirement: string;
  category: Category | 'buyer';
  kind: CriterionKind;
  /** The threshold in force: the buyer's override, else `referenceMetric`. */
  metric: Metric;
  /**
   * The framework's threshold for this lot, which overrides are compared with: the criterion's
   * metric, or what the lot implies for a criterion with a lot scale (a 16-slot cart for 16 tablets).
   * A buyer-written requirement's own metric.
   */
  referenceMetric: Metric;
  level: Level;
  authority: Authority;
  proof: Proof[];
  /** Item ids of the lot this requirement applies to. */
  items: string[];
  change: { metric: MetricChange; level: 'same' | 'raised' | 'lowered' };
  justification?: string;
  /** Path of the request field that shaped it, for findings. */
  path?: string;
}

export interface ExcludedCriterion {
  criterion: Criterion;
  justification?: string;
  path: string;
}

export interface ResolvedLot {
  /** 1-based lot number. */
  number: number;
  title: string;
  offer?: { offer: Offer; count: number };
  lines: ResolvedLine[];
  requirements: ResolvedRequirement[];
  excluded: ExcludedCriterion[];
  deliverySites: string[];
}

export interface ResolvedTender {
  request: TenderRequest;
  framework: Framework;
  lots: ResolvedLot[];
}

/**
 * A framework version with the criterion versions it pins, taken from `versions` (any criterion
 * versions, in any order), and every item and offer: what both catalogue readers serve. Throws
 * NotFoundError('criterion', 'id@version') when a pinned version is not among `versions`.
 */
export function pinCatalogue(
  framework: Framework,
  versions: readonly Criterion[],
  items: readonly CatalogueItem[],
  offers: readonly Offer[],
): CatalogueSnapshot {
  const byRef = new Map(versions.map((c) => [`${c.id}@${c.version}`, c]));
  const criteria = new Map<string, Criterion>();
  for (const ref of framework.criteria) {
    const criterion = byRef.get(`${ref.id}@${ref.version}`);
    if (!criterion) throw new NotFoundError('criterion', `${ref.id}@${ref.version}`);
    criteria.set(ref.id, criterion);
  }
  return { framework, criteria, items: new Map(items.map((i) => [i.id, i])), offers: new Map(offers.map((o) => [o.id, o])) };
}

/** One framework version of a whole catalogue, pinned. NotFoundError('framework', 'id@version') when the catalogue lacks it. */
export function snapshotOf(catalogue: Catalogue, frameworkId: string, version: number): CatalogueSnapshot {
  const framework = catalogue.frameworks.find((f) => f.id === frameworkId && f.version === version);
  if (!framework) throw new NotFoundError('framework', `${frameworkId}@${version}`);
  return pinCatalogue(framework, catalogue.criteria, catalogue.items, catalogue.offers);
}

const BUYER_AUTHORITY: Authority = { type: 'buyer', reference: "Choix de l'acheteur" };

/**
 * Binds a validated request to the pinned catalogue: expands offers into item lines, collects the
 * criteria that apply to each lot, applies the buyer's overrides and adds buyer requirements.
 * Anything the request names that the catalogue does not hold is a ValidationError with its path.
 */
export function resolveTender(request: TenderRequest, catalogue: CatalogueSnapshot): ResolvedTender {
  const issues: Issue[] = [];
  const { framework } = catalogue;
  if (request.framework.id !== framework.id || request.framework.version !== framework.version) {
    issues.push({
      path: 'framework',
      message: `framework ${request.framework.id} v${request.framework.version} does not match the catalogue (${framework.id} v${framework.version})`,
    });
  }
  const lots = request.lots.map((lot, index) => resolveLot(lot, index, catalogue, issues));
  if (issues.length > 0) throw new ValidationError(issues);
  // Every document prints what is resolved here: one apostrophe style whatever the source.
  return { request: withFrenchApostrophes(request), framework: withFrenchApostrophes(framework), lots: withFrenchApostrophes(lots) };
}

function resolveLot(
  lot: TenderRequest['lots'][number],
  index: number,
  catalogue: CatalogueSnapshot,
  issues: Issue[],
): ResolvedLot {
  const base = `lots.${index}`;
  const quantities = new Map<string, number>();
  let offer: ResolvedLot['offer'];
  if (lot.offer) {
    const found = catalogue.offers.get(lot.offer.offerId);
    if (!found) {
      issues.push({ path: `${base}.offer.offerId`, message: `unknown offer "${lot.offer.offerId}"` });
    } else {
      offer = { offer: found, count: lot.offer.count };
      for (const line of found.items) {
        quantities.set(line.itemId, (quantities.get(line.itemId) ?? 0) + line.quantity * lot.offer.count);
      }
    }
  }
  lot.items.forEach((line, i) => {
    if (!catalogue.items.has(line.itemId)) {
      issues.push({ path: `${base}.items.${i}.itemId`, message: `unknown item "${line.itemId}"` });
      return;
    }
    quantities.set(line.itemId, (quantities.get(line.itemId) ?? 0) + line.quantity);
  });

  const lines: ResolvedLine[] = [];
  for (const [itemId, quantity] of quantities) {
    const item = catalogue.items.get(itemId);
    if (!item) continue; // an offer naming an unknown item is a catalogue defect caught at load
    const price = lot.estimatedUnitPrices[itemId];
    lines.push(price === undefined ? { item, quantity } : { item, quantity, estimatedUnitPrice: price });
  }
  for (const itemId of Object.keys(lot.estimatedUnitPrices)) {
    if (!quantities.has(itemId)) {
      issues.push({ path: `${base}.estimatedUnitPrices.${itemId}`, message: `item "${itemId}" is not part of this lot` });
    }
  }

  // Criteria in first-seen order: items in line order, criteria in item order.
  const applicable = new Map<string, { criterion: Criterion; items: string[] }>();
  for (const line of lines) {
    for (const criterionId of line.item.criteria) {
      const criterion = catalogue.criteria.get(criterionId);
      if (!criterion) continue; // criteria outside the framework are not part of this purchase
      const entry = applicable.get(criterionId);
      if (entry) entry.items.push(line.item.id);
      else applicable.set(criterionId, { criterion, items: [line.item.id] });
    }
  }

  const overrides = new Map(lot.overrides.map((o, i) => [o.criterionId, { override: o, path: `${base}.overrides.${i}` }]));
  for (const [criterionId, { path }] of overrides) {
    if (!catalogue.criteria.has(criterionId)) {
      issues.push({ path: `${path}.criterionId`, message: `unknown criterion "${criterionId}"` });
    } else if (!applicable.has(criterionId)) {
      issues.push({ path: `${path}.criterionId`, message: `criterion "${criterionId}" does not apply to the items of this lot` });
    }
  }

  const requirements: Array<Omit<ResolvedRequirement, 'reference'>> = [];
  const excluded: ExcludedCriterion[] = [];
  for (const { criterion, items } of applicable.values()) {
    const entry = overrides.get(criterion.id);
    const override = entry?.override;
    if (entry && override?.excluded) {
      excluded.push(
        override.justification === undefined
          ? { criterion, path: entry.path }
          : { criterion, justification: override.justification, path: entry.path },
      );
      continue;
    }
    const referenceMetric = lotMetric(criterion, quantities);
    let metric = referenceMetric;
    if (override?.metric) {
      if (override.metric.type !== criterion.metric.type) {
        issues.push({
          path: `${entry!.path}.metric.type`,
          message: `expected a ${criterion.metric.type} metric like the reference criterion`,
        });
      } else if ('unit' in override.metric && 'unit' in criterion.metric && !convertible(override.metric.unit, criterion.metric.unit)) {
        issues.push({
          path: `${entry!.path}.metric.unit`,
          message: `unit "${override.metric.unit}" does not convert to the criterion's unit "${criterion.metric.unit}" (${convertibleUnits(criterion.metric.unit)})`,
        });
      } else {
        metric = override.metric;
      }
    }
    const level = override?.level ?? criterion.level;
    const requirement: Omit<ResolvedRequirement, 'reference'> = {
      id: criterion.id,
      source: 'reference',
      criterion,
      label: criterion.label,
      requirement: renderRequirementText(criterion.requirement, metric),
      category: criterion.category,
      kind: criterion.kind,
      metric,
      referenceMetric,
      level,
      authority: criterion.authority,
      proof: criterion.proof,
      items,
      change: {
        metric: compareMetric(referenceMetric, metric),
        level: level === criterion.level ? 'same' : level === 'minimum' ? 'raised' : 'lowered',
      },
    };
    if (override?.justification !== undefined) requirement.justification = override.justification;
    if (entry) requirement.path = entry.path;
    requirements.push(requirement);
  }

  const allItems = lines.map((l) => l.item.id);
  lot.customRequirements.forEach((custom, i) => {
    requirements.push({
      id: `lot-${index + 1}.buyer-${i + 1}`,
      source: 'buyer',
      label: custom.label,
      requirement: custom.requirement,
      category: 'buyer',
      kind: 'functional',
      metric: custom.metric,
      referenceMetric: custom.metric,
      level: custom.level,
      authority: BUYER_AUTHORITY,
      proof: custom.proof,
      items: allItems,
      change: { metric: 'same', level: 'same' },
      path: `${base}.customRequirements.${i}`,
    });
  });

  const references = requirementReferences(index + 1, requirements.map((r) => r.category));
  return {
    number: index + 1,
    title: lot.title,
    ...(offer ? { offer } : {}),
    lines,
    requirements: requirements.map((r, i) => ({ ...r, reference: references[i]! })),
    excluded,
    deliverySites: lot.deliverySites,
  };
}

/**
 * The reference criteria a tender uses, each once at its pinned version, by id: those its lots
 * require and those the buyer excluded (excluding one is also a use of the framework).
 */
export function criteriaUsed(tender: ResolvedTender): Criterion[] {
  const used = new Map<string, Criterion>();
  for (const lot of tender.lots) {
    for (const requirement of lot.requirements) if (requirement.criterion) used.set(requirement.criterion.id, requirement.criterion);
    for (const excluded of lot.excluded) used.set(excluded.criterion.id, excluded.criterion);
  }
  return [...used.values()].sort((a, b) => a.id.localeCompare(b.id));
}
