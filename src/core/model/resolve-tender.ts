import { schoolLevelsOf } from './school-levels.ts';
import type { Catalogue, CatalogueItem, Framework, Offer } from './catalogue.ts';
import type { Authority, Category, Criterion, CriterionKind, Level, LotScale, Metric, Proof } from './criterion.ts';
import { NotFoundError, ValidationError, type Issue } from './errors.ts';
import { compareMetric, type MetricChange } from './metric.ts';
import { requirementReferences } from './requirement-reference.ts';
import { lotMetric, renderRequirementText, scaleLots, sumQuantities } from './requirement-text.ts';
import { withFrenchApostrophes } from './typography.ts';
import { convertible, convertibleUnits } from './units.ts';
import type { AwardCriterion, TieBreak, Variants } from './tender-request.ts';
import { isV2, lotSites, type AnyTenderRequest, type ComputedQuantity, type ExistingEquipment, type ItemLine, type LotV2, type Site, type TenderRequestV2, type Visit } from './tender-request-v2.ts';
import { upgradeRequest } from './upgrade-request.ts';

export { pinCatalogue, snapshotOf, type CatalogueSnapshot } from './catalogue-snapshot.ts';
import type { CatalogueSnapshot } from './catalogue-snapshot.ts';

export interface ResolvedLine {
  /**
   * The catalogue item, or for a line the buyer wrote (or renamed) an item built from it: label,
   * unit, CPV, nature and category are what every document prints.
   */
  item: CatalogueItem;
  /** Unique within its lot: the item id for a catalogue line as version 1 had them, else « line-3 », « option-1-line-2 ». */
  id: string;
  quantity: number;
  /** Euros excl. VAT, when the buyer gave an estimate: per unit, or the line's price when priced as a lump sum. */
  estimatedUnitPrice?: number;
  /** Request path of the field holding the estimate (for findings). */
  pricePath: string;
  pricing: 'unit' | 'lump-sum';
  /** Percent. */
  vatRate: number;
  /** The quantity is an estimate, not a commitment (version 1: a framework agreement's quantities). */
  estimated: boolean;
  /** How the quantity was computed, when it was. */
  computed?: ComputedQuantity;
  /** Id of the optional tranche; absent: the firm tranche. */
  tranche?: string;
  /** Quantities per site, when the buyer split the line (sites with a quantity above 0, in the file's site order). */
  sites: Array<{ site: Site; quantity: number }>;
}

/** A priced option of a lot (PSE), with its own lines. */
export interface ResolvedOption {
  /** 1-based within the lot. */
  number: number;
  label: string;
  description: string;
  lines: ResolvedLine[];
  estimatedAmount?: number;
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
  /** The lot's award criteria: its own, else the file's. */
  awardCriteria: AwardCriterion[];
  /** True when the lot states its own criteria (version 2). */
  ownAwardCriteria: boolean;
  /** How the lot's offers with the same total are ranked: its own rule (version 2), else the file's; absent when neither states one (none). */
  tieBreak?: TieBreak;
  variants: Variants;
  options: ResolvedOption[];
  limits: Pick<LotV2, 'minimumAmount' | 'maximumAmount' | 'minimumQuantity' | 'maximumQuantity'>;
  cpv: { main: string; additional: string[] } | null;
  reserved?: LotV2['reserved'];
  visit?: Visit;
  /** The sites this lot delivers (version 2), in the file's order. */
  sites: Site[];
  /** Existing equipment at this lot's sites, or everywhere. */
  existingEquipment: ExistingEquipment[];
}

export interface ResolvedTender {
  /** The version 2 model of the request (a version 1 request upgraded): what rules and documents read. */
  request: TenderRequestV2;
  /** The request as received (version 1 or 2), French apostrophes applied: what identifies it (OCDS ids). */
  source: AnyTenderRequest;
  framework: Framework;
  lots: ResolvedLot[];
}


const BUYER_AUTHORITY: Authority = { type: 'buyer', reference: "Choix de l'acheteur" };

/**
 * A requirement the buyer wrote (on the lot, on a line, or from the equipment in place): the
 * buyer's authority, unchanged from itself, a text minimum unless the buyer gave a metric and level.
 * Keys in the order every resolved requirement has them, so the JSON outputs stay as they were.
 */
function buyerRequirement(r: {
  id: string;
  label: string;
  requirement: string;
  metric?: Metric;
  level?: Level;
  proof: Proof[];
  items: string[];
  path: string;
}): Omit<ResolvedRequirement, 'reference'> {
  const metric: Metric = r.metric ?? { type: 'text' };
  return {
    id: r.id,
    source: 'buyer',
    label: r.label,
    requirement: r.requirement,
    category: 'buyer',
    kind: 'functional',
    metric,
    referenceMetric: metric,
    level: r.level ?? 'minimum',
    authority: BUYER_AUTHORITY,
    proof: r.proof,
    items: r.items,
    change: { metric: 'same', level: 'same' },
    path: r.path,
  };
}

/**
 * Binds a validated request to the pinned catalogue: expands offers into item lines, collects the
 * criteria that apply to each lot, applies the buyer's overrides and adds buyer requirements.
 * Anything the request names that the catalogue does not hold is a ValidationError with its path.
 */
export function resolveTender(source: AnyTenderRequest, catalogue: CatalogueSnapshot): ResolvedTender {
  const request = upgradeRequest(source);
  const issues: Issue[] = [];
  const { framework } = catalogue;
  if (request.framework.id !== framework.id || request.framework.version !== framework.version) {
    issues.push({
      path: 'framework',
      message: `framework ${request.framework.id} v${request.framework.version} does not match the catalogue (${framework.id} v${framework.version})`,
    });
  }
  // Every lot's lines first: a lot's scaled criteria may count another lot's items (scaleLots).
  const lotIssues = request.lots.map((): Issue[] => []);
  const stocks = request.lots.map((lot, index) => resolveLotLines(lot, index, request, catalogue, lotIssues[index]!));
  const fleetFor = (lotScale: LotScale, index: number): Fleet => {
    // Version 1 lots kept their own count, so that stored tenders regenerate byte for byte.
    if (!isV2(source)) return stocks[index]!;
    const pooled = scaleLots(lotScale, stocks.map((s) => s.quantities), index);
    return pooled.length === 1 && pooled[0] === index ? stocks[index]! : poolFleets(pooled.map((i) => stocks[i]!));
  };
  const lots = request.lots.map((lot, index) => resolveLot(lot, index, request, catalogue, lotIssues[index]!, stocks[index]!, (lotScale) => fleetFor(lotScale, index)));
  issues.push(...lotIssues.flat());
  if (issues.length > 0) throw new ValidationError(issues);
  // Every document prints what is resolved here: one apostrophe style whatever the source.
  return {
    request: withFrenchApostrophes(request),
    source: withFrenchApostrophes(source),
    framework: withFrenchApostrophes(framework),
    lots: withFrenchApostrophes(lots),
  };
}

/** What a lot buys, item by item, in total and per delivery site: what scaled criteria count. */
interface Fleet {
  quantities: ReadonlyMap<string, number>;
  /** Quantities per delivery site. */
  bySite: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Items some line of which is not split by site. */
  unsplit: ReadonlySet<string>;
}

/** A lot's lines and options, resolved before its requirements (which may count other lots' items). */
interface LotStock extends Fleet {
  sites: Site[];
  offer: ResolvedLot['offer'];
  lines: ResolvedLine[];
  options: ResolvedOption[];
}

/** Several lots' items together, for a criterion that counts across lots. */
function poolFleets(fleets: readonly Fleet[]): Fleet {
  const bySite = new Map<string, ReadonlyMap<string, number>>();
  for (const fleet of fleets) for (const [site, counts] of fleet.bySite) bySite.set(site, sumQuantities([bySite.get(site) ?? new Map(), counts]));
  return { quantities: sumQuantities(fleets.map((f) => f.quantities)), bySite, unsplit: new Set(fleets.flatMap((f) => [...f.unsplit])) };
}

function resolveLotLines(lot: LotV2, index: number, request: TenderRequestV2, catalogue: CatalogueSnapshot, issues: Issue[]): LotStock {
  const base = `lots.${index}`;
  const sites = request.sites.length === 0 ? [] : lotSites(lot, request.sites);
  /*
   * Version 1 lines (a catalogue item and a quantity, nothing else) merge by item, in first-seen
   * order, the offer's first: one line per item as before. Any other line stays its own.
   */
  const merged = new Map<string, number>();
  const own: Array<{ line: ItemLine; index: number }> = [];
  let offer: ResolvedLot['offer'];
  if (lot.offer) {
    const found = catalogue.offers.get(lot.offer.offerId);
    if (!found) {
      issues.push({ path: `${base}.offer.offerId`, message: `unknown offer "${lot.offer.offerId}"` });
    } else {
      offer = { offer: found, count: lot.offer.count };
      for (const line of found.items) merged.set(line.itemId, (merged.get(line.itemId) ?? 0) + line.quantity * lot.offer.count);
    }
  }
  lot.items.forEach((line, i) => {
    if (line.itemId !== undefined && !catalogue.items.has(line.itemId)) {
      issues.push({ path: `${base}.items.${i}.itemId`, message: `unknown item "${line.itemId}"` });
      return;
    }
    if (isPlainCatalogueLine(line)) merged.set(line.itemId!, (merged.get(line.itemId!) ?? 0) + line.quantity!);
    else own.push({ line, index: i });
  });

  const lines: ResolvedLine[] = [];
  const quantities = new Map<string, number>();
  /** Quantities per delivery site, and the items some line of which is not split by site. */
  const bySite = new Map<string, Map<string, number>>();
  const unsplit = new Set<string>();
  const count = (itemId: string, quantity: number, sites: ResolvedLine['sites'] = []) => {
    quantities.set(itemId, (quantities.get(itemId) ?? 0) + quantity);
    if (sites.length === 0) unsplit.add(itemId);
    for (const { site, quantity: q } of sites) {
      const counts = bySite.get(site.id) ?? new Map<string, number>();
      counts.set(itemId, (counts.get(itemId) ?? 0) + q);
      bySite.set(site.id, counts);
    }
  };
  for (const [itemId, quantity] of merged) {
    const item = catalogue.items.get(itemId);
    if (!item) continue; // an offer naming an unknown item is a catalogue defect caught at load
    count(itemId, quantity);
    const price = lot.estimatedUnitPrices[itemId];
    lines.push({
      item,
      id: itemId,
      quantity,
      ...(price === undefined ? {} : { estimatedUnitPrice: price }),
      pricePath: `${base}.estimatedUnitPrices.${itemId}`,
      pricing: 'unit',
      vatRate: 20,
      estimated: false,
      sites: [],
    });
  }
  const given = own.filter(({ line }) => line.quantityFrom === undefined);
  const computed = own.filter(({ line }) => line.quantityFrom !== undefined);
  for (const { line, index: i } of given) {
    const resolved = resolveLine(line, `line-${i + 1}`, `${base}.items.${i}`, lot, request, catalogue, 0);
    lines.push(resolved);
    if (line.itemId !== undefined) count(line.itemId, resolved.quantity, resolved.sites);
  }
  // Computed lines follow the lines above (devices), or the lot's sites (teachers).
  const devices = lines.reduce((n, l) => n + (DEVICE_CATEGORIES.includes(l.item.category) ? l.quantity : 0), 0);
  const teachers = sites.reduce((n, site) => n + (site.teachers ?? 0), 0);
  for (const { line, index: i } of computed) {
    const path = `${base}.items.${i}`;
    const rule = line.quantityFrom!;
    const quantity = rule.rule === 'devices' ? devices : teachers * rule.perTeacher;
    if (quantity <= 0) {
      issues.push({
        path: `${path}.quantityFrom`,
        message: rule.rule === 'devices' ? 'no tablet or computer in this lot to count' : 'the lot’s sites have no teachers to count',
      });
      continue;
    }
    const resolved = resolveLine(line, `line-${i + 1}`, path, lot, request, catalogue, quantity);
    lines.push(resolved);
    if (line.itemId !== undefined) count(line.itemId, resolved.quantity);
  }
  for (const itemId of Object.keys(lot.estimatedUnitPrices)) {
    if (!quantities.has(itemId)) {
      issues.push({ path: `${base}.estimatedUnitPrices.${itemId}`, message: `item "${itemId}" is not part of this lot` });
    }
  }
  const options: ResolvedOption[] = lot.options.map((option, k) => {
    const optionLines = option.lines.flatMap((line, j) => {
      const path = `${base}.options.${k}.lines.${j}`;
      if (line.itemId !== undefined && !catalogue.items.has(line.itemId)) {
        issues.push({ path: `${path}.itemId`, message: `unknown item "${line.itemId}"` });
        return [];
      }
      const quantity = line.quantityFrom === undefined ? 0 : line.quantityFrom.rule === 'devices' ? devices : teachers * line.quantityFrom.perTeacher;
      return [resolveLine(line, `option-${k + 1}-line-${j + 1}`, path, lot, request, catalogue, quantity)];
    });
    return {
      number: k + 1,
      label: option.label,
      description: option.description,
      lines: optionLines,
      ...(option.estimatedAmount === undefined ? {} : { estimatedAmount: option.estimatedAmount }),
    };
  });
  return { sites, offer, lines, options, quantities, bySite, unsplit };
}

function resolveLot(
  lot: LotV2,
  index: number,
  request: TenderRequestV2,
  catalogue: CatalogueSnapshot,
  issues: Issue[],
  stock: LotStock,
  fleetFor: (lotScale: LotScale) => Fleet,
): ResolvedLot {
  const base = `lots.${index}`;
  const { sites, offer, lines, options } = stock;

  // Criteria in first-seen order: items in line order, criteria in item order.
  const levels = schoolLevelsOf(request.buyer);
  const applicable = new Map<string, { criterion: Criterion; items: string[] }>();
  for (const line of lines) {
    for (const criterionId of line.item.criteria) {
      const criterion = catalogue.criteria.get(criterionId);
      if (!criterion) continue; // criteria outside the framework are not part of this purchase
      // A duty of some school levels only (the primary-school Wi-Fi switch-off) binds no other purchase.
      if (criterion.schoolLevels && !criterion.schoolLevels.some((level) => levels.includes(level))) continue;
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
    const scaled = criterion.lotScale ? [...criterion.lotScale.count, ...criterion.lotScale.per] : [];
    const fleet = criterion.lotScale ? fleetFor(criterion.lotScale) : stock;
    const perSite = scaled.some((id) => fleet.unsplit.has(id)) ? [] : [...fleet.bySite.values()];
    const referenceMetric = lotMetric(criterion, fleet.quantities, lot.spareSlots ?? 0, perSite);
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

  const allItems = [...new Set(lines.map((l) => l.item.id))];
  lot.customRequirements.forEach((custom, i) => {
    requirements.push(
      buyerRequirement({
        id: `lot-${index + 1}.buyer-${i + 1}`,
        label: custom.label,
        requirement: custom.requirement,
        metric: custom.metric,
        level: custom.level,
        proof: custom.proof,
        items: allItems,
        path: `${base}.customRequirements.${i}`,
      }),
    );
  });

  lot.items.forEach((line, i) => {
    const resolved = lines.find((l) => l.id === `line-${i + 1}`);
    if (!resolved) return;
    line.requirements.forEach((text, j) => {
      requirements.push(
        buyerRequirement({
          id: `lot-${index + 1}.line-${i + 1}.requirement-${j + 1}`,
          label: resolved.item.label,
          requirement: text,
          proof: ['declaration'],
          items: [resolved.item.id],
          path: `${base}.items.${i}.requirements.${j}`,
        }),
      );
    });
  });

  const siteIds = new Set(sites.map((s) => s.id));
  const existingEquipment = request.existingEquipment.filter((e) => e.sites === undefined || e.sites.some((id) => siteIds.has(id)));
  // What is in place binds the lots that deliver connected equipment: one compatibility requirement each.
  if (lines.some((l) => CONNECTED_CATEGORIES.includes(l.item.category))) {
    existingEquipment.forEach((equipment) => {
      const i = request.existingEquipment.indexOf(equipment);
      const everywhere = equipment.sites === undefined || sites.every((s) => equipment.sites!.includes(s.id));
      const where = everywhere ? 'sur tous les sites' : `sur les sites suivants : ${sites.filter((s) => equipment.sites!.includes(s.id)).map((s) => s.name).join(', ')}`;
      requirements.push(
        buyerRequirement({
          id: `lot-${index + 1}.existing-${i + 1}`,
          label: `Compatibilité avec l’existant (${EQUIPMENT_LABELS[equipment.kind]})`,
          requirement: `La solution proposée fonctionne avec l’équipement en place ${where}. ${equipment.description}`,
          proof: ['declaration', 'service-description'],
          items: allItems,
          path: `existingEquipment.${i}`,
        }),
      );
    });
  }

  const references = requirementReferences(index + 1, requirements.map((r) => r.category));
  const ownAwardCriteria = lot.awardCriteria !== undefined;
  const firstSupply = lines.find((l) => l.item.nature === 'supply') ?? lines[0];
  return {
    number: index + 1,
    title: lot.title,
    ...(offer ? { offer } : {}),
    lines,
    requirements: requirements.map((r, i) => ({ ...r, reference: references[i]! })),
    excluded,
    deliverySites: lot.deliverySites,
    awardCriteria: lot.awardCriteria ?? request.awardCriteria,
    ownAwardCriteria,
    ...(lot.tieBreak ?? request.tieBreak ? { tieBreak: lot.tieBreak ?? request.tieBreak } : {}),
    variants: lot.variants ?? request.variants,
    options,
    limits: {
      ...(lot.minimumAmount === undefined ? {} : { minimumAmount: lot.minimumAmount }),
      ...(lot.maximumAmount === undefined ? {} : { maximumAmount: lot.maximumAmount }),
      ...(lot.minimumQuantity === undefined ? {} : { minimumQuantity: lot.minimumQuantity }),
      ...(lot.maximumQuantity === undefined ? {} : { maximumQuantity: lot.maximumQuantity }),
    },
    cpv: lot.cpv ? { main: lot.cpv.main, additional: lot.cpv.additional } : firstSupply ? { main: firstSupply.item.cpv, additional: [] } : null,
    ...(lot.reserved ? { reserved: lot.reserved } : {}),
    ...(lot.visit ? { visit: lot.visit } : {}),
    sites,
    existingEquipment,
  };
}

/** Lines configured on the school's network or systems, which must work with what is in place. */
const CONNECTED_CATEGORIES: readonly string[] = ['tablet', 'laptop', 'wifi-access-point', 'network', 'mdm', 'server-storage', 'interactive-display'];

const EQUIPMENT_LABELS: Record<ExistingEquipment['kind'], string> = {
  wifi: 'réseau Wi-Fi',
  mdm: 'gestion de flotte',
  directory: 'annuaire',
  ent: 'espace numérique de travail',
  display: 'affichage',
  network: 'réseau',
  other: 'équipement en place',
};

/** Devices a management licence is counted on. */
const DEVICE_CATEGORIES: readonly string[] = ['tablet', 'laptop'];

/** A line version 1 could write: a catalogue item and a quantity, every other field at its default. */
function isPlainCatalogueLine(line: ItemLine): boolean {
  return (
    line.itemId !== undefined &&
    line.quantity !== undefined &&
    line.designation === undefined &&
    line.unit === undefined &&
    line.nature === undefined &&
    line.category === undefined &&
    line.cpv === undefined &&
    line.estimated === undefined &&
    line.quantityFrom === undefined &&
    line.sites === undefined &&
    line.requirements.length === 0 &&
    line.pricing === 'unit' &&
    line.unitPrice === undefined &&
    line.vatRate === 20 &&
    line.tranche === undefined
  );
}

/** One line as written: its item (from the catalogue, renamed, or the buyer's own), quantity, sites and price. */
function resolveLine(
  line: ItemLine,
  id: string,
  path: string,
  lot: LotV2,
  request: TenderRequestV2,
  catalogue: CatalogueSnapshot,
  computedQuantity: number,
): ResolvedLine {
  const fromCatalogue = line.itemId === undefined ? undefined : catalogue.items.get(line.itemId);
  const item: CatalogueItem = fromCatalogue
    ? {
        ...fromCatalogue,
        ...(line.designation === undefined ? {} : { label: line.designation }),
        ...(line.unit === undefined ? {} : { unit: line.unit }),
        ...(line.cpv === undefined ? {} : { cpv: line.cpv }),
      }
    : {
        id,
        label: line.designation!,
        description: '',
        category: line.category ?? 'services',
        nature: line.nature!,
        unit: line.unit!,
        cpv: line.cpv!,
        criteria: [],
      };
  const perSite = line.sites
    ? request.sites.flatMap((site) => {
        const quantity = line.sites![site.id] ?? 0;
        return quantity > 0 ? [{ site, quantity }] : [];
      })
    : [];
  const quantity = line.quantity ?? (line.sites ? perSite.reduce((n, s) => n + s.quantity, 0) : computedQuantity);
  const price = line.unitPrice ?? (line.itemId === undefined ? undefined : lot.estimatedUnitPrices[line.itemId]);
  return {
    item,
    id,
    quantity,
    ...(price === undefined ? {} : { estimatedUnitPrice: price }),
    pricePath: line.unitPrice === undefined && line.itemId !== undefined && lot.estimatedUnitPrices[line.itemId] !== undefined ? `lots.${request.lots.indexOf(lot)}.estimatedUnitPrices.${line.itemId}` : `${path}.unitPrice`,
    pricing: line.pricing,
    vatRate: line.vatRate,
    estimated: line.estimated ?? false,
    ...(line.quantityFrom ? { computed: line.quantityFrom } : {}),
    ...(line.tranche === undefined ? {} : { tranche: line.tranche }),
    sites: perSite,
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
