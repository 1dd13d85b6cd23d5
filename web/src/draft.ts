import { DEFAULT_FORMATS, FORMATS } from '../../src/adapters/render/formats.ts';
import { canonicalJson } from '../../src/core/model/canonical-json.ts';
import type { Criterion, Level, Metric } from '../../src/core/model/criterion.ts';
import type { AwardTheme, BuyerType, Procedure, TenderRequest } from '../../src/core/model/tender-request.ts';

/**
 * The buyer's work in progress, as the wizard edits it: every field as typed (empty strings,
 * missing numbers), kept in localStorage so that it survives a reload. `toRequest` turns it
 * into the API's request.
 */
export interface DraftLot {
  title: string;
  offerId: string;
  offerCount: number | undefined;
  items: Array<{ itemId: string; quantity: number | undefined }>;
  prices: Record<string, number | undefined>;
  overrides: Record<string, DraftOverride>;
  custom: Array<{ label: string; requirement: string; level: Level }>;
  deliverySites: string;
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
}

export interface Draft {
  format: 1;
  buyer: { name: string; type: BuyerType; address: string };
  title: string;
  reference: string;
  framework: { id: string; version: number } | undefined;
  procedure: Procedure;
  contract: { form: 'ordinary' | 'framework-agreement'; durationMonths: number | undefined; maximumAmount: number | undefined };
  consultationDate: string;
  context: string;
  allotmentJustification: string;
  lots: DraftLot[];
  award: DraftAward[];
  variants: { allowed: boolean; minimumRequirements: string };
  /** Kept from a duplicated tender; not edited by the wizard. */
  options: Array<{ label: string; description: string }>;
}

export function emptyLot(): DraftLot {
  return { title: '', offerId: '', offerCount: 1, items: [], prices: {}, overrides: {}, custom: [], deliverySites: '' };
}

export function newDraft(today = new Date()): Draft {
  return {
    format: 1,
    buyer: { name: '', type: 'municipality', address: '' },
    title: '',
    reference: '',
    framework: undefined,
    procedure: 'adapted',
    contract: { form: 'ordinary', durationMonths: undefined, maximumAmount: undefined },
    consultationDate: today.toISOString().slice(0, 10),
    context: '',
    allotmentJustification: '',
    lots: [emptyLot()],
    award: [
      { name: 'Prix des prestations', type: 'price', theme: 'price', weight: 60, subCriteria: [] },
      { name: 'Valeur technique', type: 'quality', theme: 'technical', weight: 40, subCriteria: [] },
    ],
    variants: { allowed: false, minimumRequirements: '' },
    options: [],
  };
}

const opt = (s: string) => (s.trim() === '' ? undefined : s.trim());

/**
 * The API request for a draft, in the exact form the API stores it (strings trimmed, defaults
 * written out, empty optional fields left out), so that sending a stored request again under its
 * Idempotency-Key is recognised as the same request. Required fields left empty are sent empty:
 * the API's validation then names them.
 */
export function toRequest(draft: Draft): TenderRequest {
  const lots = draft.lots.map((lot) => {
    const items = lot.items.filter((i) => i.itemId !== '').map((i) => ({ itemId: i.itemId, quantity: i.quantity as number }));
    const prices = Object.fromEntries(Object.entries(lot.prices).filter((e): e is [string, number] => e[1] !== undefined));
    return {
      title: lot.title.trim(),
      ...(lot.offerId ? { offer: { offerId: lot.offerId, count: lot.offerCount as number } } : {}),
      items,
      estimatedUnitPrices: prices,
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
      deliverySites: lot.deliverySites
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean),
    };
  });
  const contract =
    draft.contract.form === 'ordinary'
      ? { form: 'ordinary' as const, ...(draft.contract.durationMonths !== undefined ? { durationMonths: draft.contract.durationMonths } : {}) }
      : {
          form: 'framework-agreement' as const,
          durationMonths: draft.contract.durationMonths as number,
          ...(draft.contract.maximumAmount !== undefined ? { maximumAmount: draft.contract.maximumAmount } : {}),
        };
  return {
    buyer: { name: draft.buyer.name.trim(), type: draft.buyer.type, ...(opt(draft.buyer.address) ? { address: opt(draft.buyer.address) } : {}) },
    title: draft.title.trim(),
    ...(opt(draft.reference) ? { reference: opt(draft.reference) } : {}),
    framework: draft.framework ?? { id: '', version: 0 },
    procedure: draft.procedure,
    contract,
    consultationDate: draft.consultationDate,
    ...(opt(draft.context) ? { context: opt(draft.context) } : {}),
    ...(opt(draft.allotmentJustification) ? { allotmentJustification: opt(draft.allotmentJustification) } : {}),
    lots,
    awardCriteria: draft.award.map((a) => ({
      name: a.name.trim(),
      type: a.type,
      theme: a.theme,
      weight: a.weight as number,
      subCriteria: a.subCriteria.map((s) => ({ name: s.name.trim(), weight: s.weight as number, ...(s.theme ? { theme: s.theme } : {}) })),
    })),
    variants: draft.variants.allowed
      ? { allowed: true, ...(opt(draft.variants.minimumRequirements) ? { minimumRequirements: opt(draft.variants.minimumRequirements) } : {}) }
      : { allowed: false },
    options: draft.options,
  } as TenderRequest;
}

/** A stored tender's request as a new draft ("dupliquer"). */
export function fromRequest(request: TenderRequest): Draft {
  return {
    format: 1,
    buyer: { name: request.buyer.name, type: request.buyer.type, address: request.buyer.address ?? '' },
    title: request.title,
    reference: request.reference ?? '',
    framework: { ...request.framework },
    procedure: request.procedure,
    contract: {
      form: request.contract.form,
      durationMonths: request.contract.durationMonths,
      maximumAmount: request.contract.form === 'framework-agreement' ? request.contract.maximumAmount : undefined,
    },
    consultationDate: request.consultationDate,
    context: request.context ?? '',
    allotmentJustification: request.allotmentJustification ?? '',
    lots: request.lots.map((lot) => ({
      title: lot.title,
      offerId: lot.offer?.offerId ?? '',
      offerCount: lot.offer?.count ?? 1,
      items: lot.items.map((i) => ({ ...i })),
      prices: { ...lot.estimatedUnitPrices },
      overrides: Object.fromEntries(
        lot.overrides.map((o) => [
          o.criterionId,
          { ...(o.metric ? { metric: o.metric } : {}), ...(o.level ? { level: o.level } : {}), ...(o.excluded ? { excluded: true } : {}), justification: o.justification ?? '' },
        ]),
      ),
      custom: lot.customRequirements.map((c) => ({ label: c.label, requirement: c.requirement, level: c.level })),
      deliverySites: lot.deliverySites.join('\n'),
    })),
    award: request.awardCriteria.map((a) => ({ name: a.name, type: a.type, theme: a.theme, weight: a.weight, subCriteria: a.subCriteria.map((s) => ({ ...s })) })),
    variants: { allowed: request.variants.allowed, minimumRequirements: request.variants.minimumRequirements ?? '' },
    options: request.options.map((o) => ({ ...o })),
  };
}

const key = (subject: string) => `cahier:draft:${subject}`;

export function loadDraft(subject: string): Draft | undefined {
  try {
    const raw = localStorage.getItem(key(subject));
    const draft = raw ? (JSON.parse(raw) as Draft) : undefined;
    return draft?.format === 1 ? draft : undefined;
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

/** One Idempotency-Key per request content: a retry (or a second click) returns the tender already generated. */
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
export async function idempotencyKeyOf(request: TenderRequest, formats: readonly string[] = ['pdf']): Promise<string> {
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
