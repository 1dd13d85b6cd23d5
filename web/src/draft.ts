import { DEFAULT_FORMATS, FORMATS } from '../../src/adapters/render/formats.ts';
import { canonicalJson } from '../../src/core/model/canonical-json.ts';
import type { Category, Criterion, Level, Metric } from '../../src/core/model/criterion.ts';
import type { AwardTheme, BuyerType, PriceScoring, Procedure, TenderRequest, TieBreak } from '../../src/core/model/tender-request.ts';
import type { AnyTenderRequest, FrameworkType, ItemLine, LotV2, TenderRequestV2, TenderRequestV2Input } from '../../src/core/model/tender-request-v2.ts';

/**
 * The buyer's work in progress, as the wizard edits it: every field as typed (empty strings,
 * missing numbers), kept in localStorage so that it survives a reload. `toRequest` turns it into
 * the API's request, version 2 (lots, lines, prices and sites as a tender file states them).
 * A draft saved by the version 1 wizard (`format: 1`) opens upgraded (`upgradeDraft`).
 */
export type QuantityMode = 'given' | 'sites' | 'devices' | 'teachers';

export interface DraftLine {
  /** Catalogue item; '' for a line the buyer writes. */
  itemId: string;
  /** The buyer's designation: required without itemId, else renames the catalogue label. */
  designation: string;
  unit: string;
  nature: 'supply' | 'service';
  /** Family of a line the buyer writes (tablet, services…); '' for none. */
  category: Category | '';
  cpv: string;
  quantityMode: QuantityMode;
  quantity: number | undefined;
  /** Site id → quantity, when split by site. */
  sites: Record<string, number | undefined>;
  perTeacher: number | undefined;
  estimated: boolean;
  pricing: 'unit' | 'lump-sum';
  unitPrice: number | undefined;
  vatRate: number | undefined;
  /** Optional tranche id; '' for the firm tranche. */
  tranche: string;
  /** Requirements attached to the line, one per line of text. */
  requirements: string;
}

export interface DraftOverride {
  metric?: Metric;
  level?: Level;
  excluded?: boolean;
  justification: string;
}

export interface DraftAward {
  name: string;
  type: 'price' | 'cost' | 'quality';
  theme: AwardTheme;
  weight: number | undefined;
  subCriteria: Array<{ name: string; weight: number | undefined; theme?: AwardTheme }>;
  /** A price or cost criterion's scoring method; absent: the default (points × lowest ÷ amount), and the request says nothing. */
  priceScoring?: PriceScoring;
}

export interface DraftOption {
  label: string;
  description: string;
  lines: DraftLine[];
  estimatedAmount: number | undefined;
}

export interface DraftLot {
  title: string;
  cpvMain: string;
  cpvAdditional: string;
  /** A packaged offer kept whole (from a version 1 draft or a stored request) until the buyer details it into lines. */
  offer: { offerId: string; count: number | undefined } | undefined;
  /** Estimated unit prices of the kept offer's items. */
  prices: Record<string, number | undefined>;
  lines: DraftLine[];
  minimumAmount: number | undefined;
  maximumAmount: number | undefined;
  minimumQuantity: number | undefined;
  maximumQuantity: number | undefined;
  award: DraftAward[];
  /** How the lot's tied offers are ranked; absent: none, and the request says nothing. */
  tieBreak?: TieBreak;
  variants: { allowed: boolean; description: string; minimumRequirements: string };
  options: DraftOption[];
  visit: { kind: 'none' | 'optional' | 'mandatory'; dates: string; booking: string; /** Site ids visited; empty: the lot's sites. */ sites: string[] };
  spareSlots: number | undefined;
  overrides: Record<string, DraftOverride>;
  custom: Array<{ label: string; requirement: string; level: Level }>;
  deliverySites: string;
}

export interface DraftSite {
  /** Internal key the quantities use; never shown. */
  id: string;
  name: string;
  address: string;
  uai: string;
  pupils: number | undefined;
  teachers: number | undefined;
  deliveryPeriods: string;
}

export interface DraftTranche {
  id: string;
  title: string;
  content: string;
  deadline: string;
  condition: string;
}

export interface DraftContract {
  form: 'ordinary' | 'framework-agreement';
  frameworkType: FrameworkType;
  durationMonths: number | undefined;
  minimumAmount: number | undefined;
  maximumAmount: number | undefined;
  renewals: { count: number | undefined; months: number | undefined; kind: 'tacit' | 'express' };
  start: { kind: 'none' | 'date' | 'event'; date: string; event: string };
  tranches: { enabled: boolean; firmTitle: string; firmContent: string; optional: DraftTranche[] };
  price: { form: '' | 'lump-sum' | 'unit' | 'mixed'; type: 'firm' | 'adjustable' | 'revisable'; index: string };
}

export interface Draft {
  format: 2;
  buyer: { name: string; type: BuyerType; address: string };
  title: string;
  reference: string;
  framework: { id: string; version: number } | undefined;
  procedure: Procedure;
  contract: DraftContract;
  consultationDate: string;
  context: string;
  allotmentJustification: string;
  sites: DraftSite[];
  lots: DraftLot[];
  /**
   * Kept from a duplicated tender; step 1 edits the buyer's SIRET, the place of execution and the offer deadline, the rest is kept as it came
   * (the RC's procedural choices among them: questions deadline, validity of offers, buyer profile, lots per bidder, negotiation).
   */
  kept: Pick<TenderRequestV2Input, 'options' | 'existingEquipment' | 'awardCriteria' | 'justifications' | 'executionPlace' | 'offerDeadline' | 'administrative' | 'questionsDeadline' | 'offerValidityDays' | 'buyerProfileUrl' | 'maxLotsPerBidder' | 'negotiation'> & {
    variants?: TenderRequestV2Input['variants'];
    /** The buyer's fields the wizard does not edit (article, school levels…). */
    buyer?: Omit<TenderRequestV2Input['buyer'], 'name' | 'type' | 'address'>;
  };
}

export function emptyLine(): DraftLine {
  return {
    itemId: '',
    designation: '',
    unit: '',
    nature: 'supply',
    category: '',
    cpv: '',
    quantityMode: 'given',
    quantity: undefined,
    sites: {},
    perTeacher: undefined,
    estimated: false,
    pricing: 'unit',
    unitPrice: undefined,
    vatRate: 20,
    tranche: '',
    requirements: '',
  };
}

/** A lawful default: price, technical value and the environmental criterion every consultation needs. */
export function defaultAward(): DraftAward[] {
  return [
    { name: 'Prix des prestations', type: 'price', theme: 'price', weight: 50, subCriteria: [] },
    { name: 'Valeur technique', type: 'quality', theme: 'technical', weight: 35, subCriteria: [] },
    { name: 'Performance environnementale (durabilité, réparabilité, reprise en fin de vie)', type: 'quality', theme: 'environmental', weight: 15, subCriteria: [] },
  ];
}

/**
 * « Reprendre les critères du lot 1 »: lot `index` takes lot 1's award criteria (each with its
 * price-scoring method) and its tie-break rule, or none when lot 1 has none, so that the RC states
 * the same award rules for both lots.
 */
export function copyFirstLotAward(draft: Draft, index: number): void {
  const first = draft.lots[0];
  const lot = draft.lots[index];
  if (!first || !lot || lot === first) return;
  lot.award = structuredClone(first.award);
  if (first.tieBreak) lot.tieBreak = first.tieBreak;
  else delete lot.tieBreak;
}

export function emptyLot(): DraftLot {
  return {
    title: '',
    cpvMain: '',
    cpvAdditional: '',
    offer: undefined,
    prices: {},
    lines: [],
    minimumAmount: undefined,
    maximumAmount: undefined,
    minimumQuantity: undefined,
    maximumQuantity: undefined,
    award: defaultAward(),
    variants: { allowed: false, description: '', minimumRequirements: '' },
    options: [],
    visit: { kind: 'none', dates: '', booking: '', sites: [] },
    spareSlots: undefined,
    overrides: {},
    custom: [],
    deliverySites: '',
  };
}

export function emptySite(id: string): DraftSite {
  return { id, name: '', address: '', uai: '', pupils: undefined, teachers: undefined, deliveryPeriods: '' };
}

/** The next free id « prefix-N » among `taken`. */
export function nextId(prefix: string, taken: readonly string[]): string {
  const numbers = taken.map((id) => Number(id.slice(prefix.length + 1))).filter(Number.isInteger);
  return `${prefix}-${Math.max(0, ...numbers) + 1}`;
}

function emptyContract(): DraftContract {
  return {
    form: 'ordinary',
    frameworkType: 'purchase-orders-single',
    durationMonths: undefined,
    minimumAmount: undefined,
    maximumAmount: undefined,
    renewals: { count: 0, months: undefined, kind: 'express' },
    start: { kind: 'event', date: '', event: 'la notification du marché' },
    tranches: { enabled: false, firmTitle: '', firmContent: '', optional: [] },
    price: { form: '', type: 'firm', index: '' },
  };
}

export function newDraft(today = new Date()): Draft {
  return {
    format: 2,
    buyer: { name: '', type: 'municipality', address: '' },
    title: '',
    reference: '',
    framework: undefined,
    procedure: 'adapted',
    contract: emptyContract(),
    consultationDate: today.toISOString().slice(0, 10),
    context: '',
    allotmentJustification: '',
    sites: [],
    lots: [emptyLot()],
    kept: {},
  };
}

const opt = (s: string) => (s.trim() === '' ? undefined : s.trim());
const lines = (s: string) =>
  s
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);
const num = (n: number | undefined) => n as number;
/** « 12/01/2027 » (as French people write dates) → « 2027-01-12 »; anything else as typed, for the API to name. */
const isoDate = (s: string) => s.replace(/^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/, (_, d: string, m: string, y: string) => `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`);
const ifDefined = <K extends string>(key: K, value: number | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, number>));

function lineRequest(line: DraftLine): ItemLine {
  const quantity =
    line.quantityMode === 'given'
      ? { quantity: num(line.quantity) }
      : line.quantityMode === 'sites'
        ? { sites: Object.fromEntries(Object.entries(line.sites).filter((e): e is [string, number] => e[1] !== undefined && e[1] > 0)) }
        : line.quantityMode === 'devices'
          ? { quantityFrom: { rule: 'devices' as const } }
          : { quantityFrom: { rule: 'teachers' as const, perTeacher: num(line.perTeacher) } };
  const own = line.itemId === '';
  return {
    ...(own ? {} : { itemId: line.itemId }),
    ...(opt(line.designation) || own ? { designation: line.designation.trim() } : {}),
    ...(own ? { unit: line.unit.trim(), nature: line.nature, ...(line.category ? { category: line.category } : {}), cpv: line.cpv.trim() } : {}),
    ...quantity,
    ...(line.estimated ? { estimated: true } : {}),
    requirements: lines(line.requirements),
    pricing: line.pricing,
    ...ifDefined('unitPrice', line.unitPrice),
    vatRate: line.vatRate ?? 20,
    ...(line.tranche ? { tranche: line.tranche } : {}),
  };
}

function awardRequest(award: DraftAward[]): TenderRequestV2['awardCriteria'] {
  return award.map((a) => ({
    name: a.name.trim(),
    type: a.type,
    theme: a.theme,
    weight: num(a.weight),
    subCriteria: a.subCriteria.map((s) => ({ name: s.name.trim(), weight: num(s.weight), ...(s.theme ? { theme: s.theme } : {}) })),
    // A quality criterion is graded, not computed: a method chosen before the type changed is not sent.
    ...(a.priceScoring && a.type !== 'quality' ? { priceScoring: a.priceScoring } : {}),
  }));
}

function lotRequest(lot: DraftLot, frameworkAgreement: boolean): LotV2 {
  const prices = Object.fromEntries(Object.entries(lot.prices).filter((e): e is [string, number] => e[1] !== undefined));
  return {
    title: lot.title.trim(),
    ...(opt(lot.cpvMain) ? { cpv: { main: lot.cpvMain.trim(), additional: lot.cpvAdditional.split(/[\s,;]+/).filter(Boolean) } } : {}),
    ...(lot.offer ? { offer: { offerId: lot.offer.offerId, count: num(lot.offer.count) } } : {}),
    items: lot.lines.map(lineRequest),
    estimatedUnitPrices: lot.offer ? prices : {},
    ...(frameworkAgreement
      ? { ...ifDefined('minimumAmount', lot.minimumAmount), ...ifDefined('maximumAmount', lot.maximumAmount), ...ifDefined('minimumQuantity', lot.minimumQuantity), ...ifDefined('maximumQuantity', lot.maximumQuantity) }
      : {}),
    awardCriteria: awardRequest(lot.award),
    ...(lot.tieBreak ? { tieBreak: lot.tieBreak } : {}),
    variants: lot.variants.allowed
      ? {
          allowed: true,
          ...(opt(lot.variants.description) ? { description: opt(lot.variants.description) } : {}),
          ...(opt(lot.variants.minimumRequirements) ? { minimumRequirements: opt(lot.variants.minimumRequirements) } : {}),
        }
      : { allowed: false },
    options: lot.options.map((o) => ({
      label: o.label.trim(),
      description: o.description.trim(),
      lines: o.lines.map(lineRequest),
      ...(o.lines.length === 0 ? ifDefined('estimatedAmount', o.estimatedAmount) : {}),
    })),
    ...(lot.visit.kind === 'none'
      ? {}
      : {
          visit: {
            kind: lot.visit.kind,
            dates: lines(lot.visit.dates.replace(/[,;]/g, '\n')).map(isoDate),
            ...(opt(lot.visit.booking) ? { booking: opt(lot.visit.booking) } : {}),
            ...(lot.visit.sites.length > 0 ? { sites: lot.visit.sites } : {}),
          },
        }),
    ...ifDefined('spareSlots', lot.spareSlots),
    overrides: Object.entries(lot.overrides)
      .filter(([, o]) => o.metric !== undefined || o.level !== undefined || o.excluded === true)
      .map(([criterionId, o]) => ({
        criterionId,
        ...(o.metric ? { metric: o.metric } : {}),
        ...(o.level ? { level: o.level } : {}),
        ...(o.excluded ? { excluded: true } : {}),
        ...(opt(o.justification) ? { justification: opt(o.justification) } : {}),
      })),
    customRequirements: lot.custom.map((c) => ({
      label: c.label.trim(),
      requirement: c.requirement.trim(),
      level: c.level,
      metric: { type: 'text' as const },
      proof: ['declaration' as const],
    })),
    deliverySites: lines(lot.deliverySites),
  } as LotV2;
}

function contractRequest(c: DraftContract): TenderRequestV2['contract'] {
  const terms = {
    ...(c.renewals.count ? { renewals: { count: c.renewals.count, ...ifDefined('months', c.renewals.months), kind: c.renewals.kind } } : {}),
    ...(c.start.kind === 'date' ? { start: { date: c.start.date } } : c.start.kind === 'event' ? { start: { event: c.start.event.trim() } } : {}),
    ...(c.tranches.enabled
      ? {
          tranches: {
            firm: { title: c.tranches.firmTitle.trim(), content: c.tranches.firmContent.trim() },
            optional: c.tranches.optional.map((t) => ({
              id: t.id,
              title: t.title.trim(),
              content: t.content.trim(),
              affirmation: { ...(t.deadline ? { deadline: t.deadline } : {}), ...(opt(t.condition) ? { condition: opt(t.condition) } : {}) },
            })),
          },
        }
      : {}),
    ...(c.price.form ? { price: { form: c.price.form, type: c.price.type, ...(c.price.type !== 'firm' ? { index: c.price.index.trim() } : {}) } } : {}),
  };
  if (c.form === 'ordinary') return { form: 'ordinary', ...ifDefined('durationMonths', c.durationMonths), ...terms };
  return {
    form: 'framework-agreement',
    frameworkType: c.frameworkType,
    durationMonths: num(c.durationMonths),
    ...ifDefined('minimumAmount', c.minimumAmount),
    ...ifDefined('maximumAmount', c.maximumAmount),
    ...terms,
  };
}

/**
 * The API request for a draft (version 2), defaults written out and empty optional fields left
 * out, so that sending it again under its Idempotency-Key is recognised as the same request.
 * Required fields left empty are sent empty: the API's validation then names them.
 */
export function toRequest(draft: Draft): TenderRequestV2 {
  const frameworkAgreement = draft.contract.form === 'framework-agreement';
  return {
    schemaVersion: 2,
    buyer: { ...draft.kept.buyer, name: draft.buyer.name.trim(), type: draft.buyer.type, ...(opt(draft.buyer.address) ? { address: opt(draft.buyer.address) } : {}) },
    title: draft.title.trim(),
    ...(opt(draft.reference) ? { reference: opt(draft.reference) } : {}),
    framework: draft.framework ?? { id: '', version: 0 },
    procedure: draft.procedure,
    contract: contractRequest(draft.contract),
    consultationDate: draft.consultationDate,
    ...(opt(draft.context) ? { context: opt(draft.context) } : {}),
    ...(opt(draft.allotmentJustification) ? { allotmentJustification: opt(draft.allotmentJustification) } : {}),
    sites: draft.sites.map((s) => ({
      id: s.id,
      name: s.name.trim(),
      ...(opt(s.address) ? { address: opt(s.address) } : {}),
      ...(opt(s.uai) ? { uai: opt(s.uai) } : {}),
      ...ifDefined('pupils', s.pupils),
      ...ifDefined('teachers', s.teachers),
      ...(opt(s.deliveryPeriods) ? { deliveryPeriods: opt(s.deliveryPeriods) } : {}),
    })),
    existingEquipment: draft.kept.existingEquipment ?? [],
    lots: draft.lots.map((lot) => lotRequest(lot, frameworkAgreement)),
    awardCriteria: draft.kept.awardCriteria ?? [],
    variants: draft.kept.variants ?? { allowed: false },
    options: draft.kept.options ?? [],
    ...(draft.kept.justifications ? { justifications: draft.kept.justifications } : {}),
    ...(draft.kept.executionPlace ? { executionPlace: draft.kept.executionPlace } : {}),
    ...(draft.kept.offerDeadline ? { offerDeadline: draft.kept.offerDeadline } : {}),
    ...(draft.kept.administrative ? { administrative: draft.kept.administrative } : {}),
    ...procedureChoices(draft.kept),
  } as TenderRequestV2;
}

function lineDraft(line: ItemLine | (Partial<ItemLine> & { itemId: string; quantity: number })): DraftLine {
  const from = line.quantityFrom;
  return {
    ...emptyLine(),
    itemId: line.itemId ?? '',
    designation: line.designation ?? '',
    unit: line.itemId === undefined ? (line.unit ?? '') : '',
    nature: line.nature ?? 'supply',
    category: line.itemId === undefined ? (line.category ?? '') : '',
    cpv: line.itemId === undefined ? (line.cpv ?? '') : '',
    quantityMode: line.sites ? 'sites' : from?.rule === 'devices' ? 'devices' : from?.rule === 'teachers' ? 'teachers' : 'given',
    quantity: line.quantity,
    sites: { ...line.sites },
    perTeacher: from?.rule === 'teachers' ? from.perTeacher : undefined,
    estimated: line.estimated ?? false,
    pricing: line.pricing ?? 'unit',
    unitPrice: line.unitPrice,
    vatRate: line.vatRate ?? 20,
    tranche: line.tranche ?? '',
    requirements: (line.requirements ?? []).join('\n'),
  };
}

function awardDraft(award: TenderRequestV2['awardCriteria']): DraftAward[] {
  return award.map((a) => ({
    name: a.name,
    type: a.type,
    theme: a.theme,
    weight: a.weight,
    subCriteria: (a.subCriteria ?? []).map((s) => ({ ...s })),
    ...(a.priceScoring ? { priceScoring: a.priceScoring } : {}),
  }));
}

/** A v1 request's contract and file-level terms in the v2 draft's terms. */
function contractDraft(request: AnyTenderRequest): DraftContract {
  const c = request.contract;
  const base = emptyContract();
  const v2 = request.schemaVersion === 2 ? (request.contract as TenderRequestV2['contract']) : undefined;
  const renewalCount = v2 ? v2.renewals?.count : (request as TenderRequest).renewals;
  return {
    ...base,
    form: c.form,
    frameworkType: (v2?.form === 'framework-agreement' && v2.frameworkType) || base.frameworkType,
    durationMonths: c.durationMonths,
    minimumAmount: c.form === 'framework-agreement' && 'minimumAmount' in c ? c.minimumAmount : undefined,
    maximumAmount: c.form === 'framework-agreement' ? c.maximumAmount : undefined,
    renewals: { count: renewalCount ?? 0, months: v2?.renewals?.months, kind: v2?.renewals?.kind ?? 'express' },
    start: v2?.start ? (v2.start.date ? { kind: 'date', date: v2.start.date, event: '' } : { kind: 'event', date: '', event: v2.start.event ?? '' }) : { kind: 'none', date: '', event: '' },
    tranches: v2?.tranches
      ? {
          enabled: true,
          firmTitle: v2.tranches.firm.title,
          firmContent: v2.tranches.firm.content,
          optional: v2.tranches.optional.map((t) => ({ id: t.id, title: t.title, content: t.content, deadline: t.affirmation.deadline ?? '', condition: t.affirmation.condition ?? '' })),
        }
      : base.tranches,
    price: v2?.price ? { form: v2.price.form, type: v2.price.type, index: v2.price.index ?? '' } : base.price,
  };
}

/**
 * A stored tender's request (version 1 or 2) as a new draft (« Dupliquer »). A version 1 request's
 * file-level award criteria and variants become each lot's; its file options are kept as they are.
 */
export function fromRequest(request: AnyTenderRequest): Draft {
  const v2 = request.schemaVersion === 2 ? (request as TenderRequestV2) : undefined;
  const fileAward = awardDraft(request.awardCriteria ?? []);
  const { name: _name, type: _type, address: _address, ...buyerRest } = request.buyer;
  return {
    format: 2,
    buyer: { name: request.buyer.name, type: request.buyer.type, address: request.buyer.address ?? '' },
    title: request.title,
    reference: request.reference ?? '',
    framework: { ...request.framework },
    procedure: request.procedure,
    contract: contractDraft(request),
    consultationDate: request.consultationDate,
    context: request.context ?? '',
    allotmentJustification: request.allotmentJustification ?? '',
    sites: (v2?.sites ?? []).map((s) => ({
      id: s.id,
      name: s.name,
      address: s.address ?? '',
      uai: s.uai ?? '',
      pupils: s.pupils,
      teachers: s.teachers,
      deliveryPeriods: s.deliveryPeriods ?? '',
    })),
    lots: (request.lots as Array<TenderRequest['lots'][number] | LotV2>).map((lot) => {
      const l2 = 'options' in lot ? (lot as LotV2) : undefined;
      const variants = l2?.variants ?? request.variants;
      return {
        ...emptyLot(),
        title: lot.title,
        cpvMain: l2?.cpv?.main ?? '',
        cpvAdditional: (l2?.cpv?.additional ?? []).join(' '),
        offer: lot.offer ? { ...lot.offer } : undefined,
        prices: lot.offer ? { ...lot.estimatedUnitPrices } : {},
        lines: (lot.items as ItemLine[]).map((line) => ({ ...lineDraft(line), unitPrice: line.unitPrice ?? (line.itemId === undefined ? undefined : lot.estimatedUnitPrices[line.itemId]) })),
        minimumAmount: l2?.minimumAmount,
        maximumAmount: l2?.maximumAmount,
        minimumQuantity: l2?.minimumQuantity,
        maximumQuantity: l2?.maximumQuantity,
        award: l2?.awardCriteria ? awardDraft(l2.awardCriteria) : fileAward.length > 0 ? structuredClone(fileAward) : defaultAward(),
        // The wizard sets the rule per lot: the file's rule becomes each lot's that has none of its own (the same RC).
        ...((l2?.tieBreak ?? request.tieBreak) ? { tieBreak: l2?.tieBreak ?? request.tieBreak } : {}),
        variants: { allowed: variants?.allowed ?? false, description: variants?.description ?? '', minimumRequirements: variants?.minimumRequirements ?? '' },
        options: (l2?.options ?? []).map((o) => ({ label: o.label, description: o.description, lines: o.lines.map(lineDraft), estimatedAmount: o.estimatedAmount })),
        visit: l2?.visit ? { kind: l2.visit.kind, dates: (l2.visit.dates ?? []).map((d) => d.split('-').reverse().join('/')).join('\n'), booking: l2.visit.booking ?? '', sites: [...(l2.visit.sites ?? [])] } : { kind: 'none', dates: '', booking: '', sites: [] },
        spareSlots: l2?.spareSlots,
        overrides: Object.fromEntries(
          lot.overrides.map((o) => [
            o.criterionId,
            { ...(o.metric ? { metric: o.metric } : {}), ...(o.level ? { level: o.level } : {}), ...(o.excluded ? { excluded: true } : {}), justification: o.justification ?? '' },
          ]),
        ),
        custom: lot.customRequirements.map((c) => ({ label: c.label, requirement: c.requirement, level: c.level })),
        deliverySites: lot.deliverySites.join('\n'),
      };
    }),
    kept: {
      ...(Object.keys(buyerRest).length > 0 ? { buyer: buyerRest } : {}),
      ...(request.options.length > 0 ? { options: request.options.map((o) => ({ ...o })) } : {}),
      ...(v2?.existingEquipment.length ? { existingEquipment: v2.existingEquipment } : {}),
      ...(request.justifications && Object.keys(request.justifications).length > 0 ? { justifications: request.justifications } : {}),
      ...(request.executionPlace ? { executionPlace: request.executionPlace } : {}),
      ...(request.offerDeadline ? { offerDeadline: request.offerDeadline } : {}),
      ...(v2?.administrative ? { administrative: v2.administrative } : {}),
      ...procedureChoices(request),
    },
  };
}

/** The RC's procedural choices a request states, which the wizard keeps as they came. */
function procedureChoices(from: Pick<TenderRequestV2Input, 'questionsDeadline' | 'offerValidityDays' | 'buyerProfileUrl' | 'maxLotsPerBidder' | 'negotiation'>): Pick<TenderRequestV2Input, 'questionsDeadline' | 'offerValidityDays' | 'buyerProfileUrl' | 'maxLotsPerBidder' | 'negotiation'> {
  const { questionsDeadline, offerValidityDays, buyerProfileUrl, maxLotsPerBidder, negotiation } = from;
  return {
    ...(questionsDeadline !== undefined ? { questionsDeadline } : {}),
    ...(offerValidityDays !== undefined ? { offerValidityDays } : {}),
    ...(buyerProfileUrl !== undefined ? { buyerProfileUrl } : {}),
    ...(maxLotsPerBidder !== undefined ? { maxLotsPerBidder } : {}),
    ...(negotiation !== undefined ? { negotiation } : {}),
  };
}

/** The draft the version 1 wizard saved (format 1), as it was stored. */
interface DraftV1 {
  format: 1;
  buyer: Draft['buyer'];
  title: string;
  reference: string;
  framework: Draft['framework'];
  procedure: Procedure;
  contract: { form: 'ordinary' | 'framework-agreement'; durationMonths: number | undefined; maximumAmount: number | undefined };
  consultationDate: string;
  context: string;
  allotmentJustification: string;
  lots: Array<{
    title: string;
    offerId: string;
    offerCount: number | undefined;
    items: Array<{ itemId: string; quantity: number | undefined }>;
    prices: Record<string, number | undefined>;
    overrides: Record<string, DraftOverride>;
    custom: DraftLot['custom'];
    deliverySites: string;
  }>;
  award: DraftAward[];
  variants: { allowed: boolean; minimumRequirements: string };
  options: Array<{ label: string; description: string }>;
}

/**
 * A version 1 draft, upgraded: its offer kept whole with its prices, its items as lines priced
 * at the prices typed for them, its award criteria and variants on every lot. Nothing typed is lost.
 */
export function upgradeDraft(old: DraftV1): Draft {
  const contract = emptyContract();
  return {
    ...newDraft(),
    buyer: { ...old.buyer },
    title: old.title,
    reference: old.reference,
    framework: old.framework,
    procedure: old.procedure,
    contract: { ...contract, form: old.contract.form, durationMonths: old.contract.durationMonths, maximumAmount: old.contract.maximumAmount, start: { kind: 'none', date: '', event: '' } },
    consultationDate: old.consultationDate,
    context: old.context,
    allotmentJustification: old.allotmentJustification,
    lots: old.lots.map(
      (lot): DraftLot => ({
        ...emptyLot(),
        title: lot.title,
        offer: lot.offerId ? { offerId: lot.offerId, count: lot.offerCount } : undefined,
        prices: lot.offerId ? { ...lot.prices } : {},
        lines: lot.items.filter((i) => i.itemId !== '').map((i) => ({ ...emptyLine(), itemId: i.itemId, quantity: i.quantity, unitPrice: lot.prices[i.itemId] })),
        award: structuredClone(old.award),
        variants: { description: '', ...old.variants },
        overrides: lot.overrides,
        custom: lot.custom,
        deliverySites: lot.deliverySites,
      }),
    ),
    kept: old.options.length > 0 ? { options: old.options } : {},
  };
}

const key = (subject: string) => `cahier:draft:${subject}`;

export function loadDraft(subject: string): Draft | undefined {
  try {
    const raw = localStorage.getItem(key(subject));
    const draft = raw ? (JSON.parse(raw) as Draft | DraftV1) : undefined;
    if (draft?.format === 2) return draft;
    return draft?.format === 1 ? upgradeDraft(draft) : undefined;
  } catch {
    return undefined;
  }
}

export function saveDraft(subject: string, draft: Draft | undefined): void {
  if (draft) localStorage.setItem(key(subject), JSON.stringify(draft));
  else localStorage.removeItem(key(subject));
}

/** JSON with sorted keys, as the API hashes requests for idempotency. */
export { canonicalJson };

/**
 * The documents a buyer may add to the default ones (`POST /tenders?formats=`), in the API's
 * order, with their labels on the generate step: the server's own list of formats.
 */
export const EXTRA_FORMATS = FORMATS.filter((f) => !DEFAULT_FORMATS.includes(f.name));
export type ExtraFormat = (typeof EXTRA_FORMATS)[number]['name'];

/** The `formats` query value: the defaults and the chosen extras, in the API's order. */
export function formatsOf(extras: ReadonlySet<ExtraFormat>): string[] {
  return FORMATS.map((f) => f.name).filter((f) => DEFAULT_FORMATS.includes(f) || extras.has(f as ExtraFormat));
}

/**
 * The Idempotency-Key of a generation: a retry of the same request with the same documents is
 * the same key; other documents make another key (the API refuses a key reused for a different
 * set). PDF only hashes the request alone, as before formats could be chosen.
 */
export async function idempotencyKeyOf(request: AnyTenderRequest, formats: readonly string[] = ['pdf']): Promise<string> {
  const identity = formats.length === 1 && formats[0] === 'pdf' ? request : { formats, request };
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonicalJson(identity)));
  return `web-${[...new Uint8Array(digest)].slice(0, 20).map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** How a buyer's change stands against the reference criterion. */
export type RequirementStatus = 'kept' | 'tightened' | 'loosened' | 'downgraded' | 'excluded';

export function requirementStatus(criterion: Criterion, override: DraftOverride | undefined, compare: (a: Metric, b: Metric) => 'same' | 'tightened' | 'loosened'): RequirementStatus {
  if (!override) return 'kept';
  if (override.excluded) return 'excluded';
  if (override.level === 'assessed' && criterion.level === 'minimum') return 'downgraded';
  const change = override.metric ? compare(criterion.metric, override.metric) : 'same';
  if (change === 'loosened') return 'loosened';
  if (change === 'tightened' || (override.level === 'minimum' && criterion.level === 'assessed')) return 'tightened';
  return 'kept';
}
