import type { Offer } from '../../src/core/model/catalogue.ts';
import type { Criterion, LotScale } from '../../src/core/model/criterion.ts';
import { scaleLots, sumQuantities } from '../../src/core/model/requirement-text.ts';
import items from '../../catalogue/items.json' with { type: 'json' };
import type { Draft, DraftLot } from './draft.ts';
import { formatInteger } from './format.ts';

/**
 * What a draft lot buys, line by line, worked out as the API will (src/core/model/resolve-tender.ts):
 * quantities given, summed over establishments or computed from the lot's devices or teachers.
 */
const CATALOGUE = new Map((items as Array<{ id: string; label: string; category: string; criteria: string[] }>).map((i) => [i.id, i]));

/** Devices a management licence is counted on, as the API counts them (src/core/model/resolve-tender.ts). */
const DEVICE_CATEGORIES: readonly string[] = ['tablet', 'laptop'];

interface SiteLike {
  id: string;
  teachers: number | undefined;
}

/** One line of a lot with its quantity as the API will count it; `line` is its index in the lot's lines (absent: the kept offer's). */
export interface LotLine {
  itemId: string;
  quantity: number;
  line?: number;
  /** Quantity per site id, when the line is split by site. */
  perSite?: ReadonlyMap<string, number>;
}

/** The sites a lot delivers: those its lines give a quantity to, else every site of the file. */
export function lotSiteIds(lot: Pick<DraftLot, 'lines' | 'options'>, sites: readonly SiteLike[]): string[] {
  const named = new Set(
    [...lot.lines, ...lot.options.flatMap((o) => o.lines)]
      .filter((l) => l.quantityMode === 'sites')
      .flatMap((l) => Object.entries(l.sites).filter(([, q]) => (q ?? 0) > 0).map(([id]) => id)),
  );
  return sites.filter((s) => named.size === 0 || named.has(s.id)).map((s) => s.id);
}

/**
 * What a lot buys, line by line, with computed quantities worked out the API's way: the kept
 * offer's items times its count, given and per-site lines, then lines that follow the devices
 * of those (licences, cases) or the teachers of the lot's sites (training hours).
 */
export function lotQuantities(lot: Pick<DraftLot, 'offer' | 'lines' | 'options'>, sites: readonly SiteLike[], offers: readonly Offer[]): { lines: LotLine[]; devices: number; teachers: number } {
  const out: LotLine[] = [];
  const offer = lot.offer && offers.find((o) => o.id === lot.offer!.offerId);
  if (offer) for (const line of offer.items) out.push({ itemId: line.itemId, quantity: line.quantity * (lot.offer!.count ?? 0) });
  lot.lines.forEach((line, i) => {
    if (line.quantityMode === 'given') out.push({ itemId: line.itemId, quantity: line.quantity ?? 0, line: i });
    if (line.quantityMode === 'sites') {
      const perSite = new Map(Object.entries(line.sites).filter((e): e is [string, number] => (e[1] ?? 0) > 0));
      out.push({ itemId: line.itemId, quantity: [...perSite.values()].reduce((a, b) => a + b, 0), line: i, perSite });
    }
  });
  const category = (l: LotLine) => (l.line === undefined || lot.lines[l.line]!.itemId ? CATALOGUE.get(l.itemId)?.category : undefined);
  const devices = out.reduce((n, l) => n + (DEVICE_CATEGORIES.includes(category(l) ?? '') ? l.quantity : 0), 0);
  const siteIds = new Set(lotSiteIds(lot, sites));
  const teachers = sites.filter((s) => siteIds.has(s.id)).reduce((n, s) => n + (s.teachers ?? 0), 0);
  lot.lines.forEach((line, i) => {
    if (line.quantityMode === 'devices') out.push({ itemId: line.itemId, quantity: devices, line: i });
    if (line.quantityMode === 'teachers') out.push({ itemId: line.itemId, quantity: teachers * (line.perTeacher ?? 0), line: i });
  });
  return { lines: out, devices, teachers };
}

/** What a lot buys from the catalogue: quantity per catalogue item, the reference criteria's scale. */
export function lotLines(lot: Pick<DraftLot, 'offer' | 'lines' | 'options'>, sites: readonly SiteLike[], offers: readonly Offer[]): Array<{ itemId: string; quantity: number }> {
  const lines = new Map<string, number>();
  for (const l of lotQuantities(lot, sites, offers).lines) if (l.itemId) lines.set(l.itemId, (lines.get(l.itemId) ?? 0) + l.quantity);
  return [...lines].map(([itemId, quantity]) => ({ itemId, quantity }));
}

/** The reference criteria of a lot's items whose threshold grows with the lot (cart slots per tablet), each once. */
export function scaledCriteria(itemIds: readonly string[], criteria: ReadonlyMap<string, Criterion>): Criterion[] {
  const ids = new Set(itemIds.flatMap((id) => CATALOGUE.get(id)?.criteria ?? []));
  return [...ids].map((id) => criteria.get(id)).filter((c): c is Criterion => c?.lotScale !== undefined);
}

/** « 16 × Tablette », « Licence de gestion (quantité calculée) »: a request line in a summary. */
export function requestLineSummary(line: { itemId?: string | undefined; designation?: string | undefined; quantity?: number | undefined; sites?: Record<string, number> | undefined }): string {
  const label = line.designation ?? (CATALOGUE.get(line.itemId ?? '')?.label ?? line.itemId ?? '');
  const quantity = line.quantity ?? (line.sites ? Object.values(line.sites).reduce((a, b) => a + b, 0) : undefined);
  return quantity === undefined ? `${label} (quantité calculée)` : `${formatInteger(quantity)} × ${label}`;
}

/**
 * What a lot's scaled criterion (cart slots) counts, as the API counts it: the lot's own items, or
 * for a lot of carts without tablets (a packaged offer split across lots) the tablets of the lots
 * without carts (src/core/model/requirement-text.ts, scaleLots). `perSite` holds each
 * establishment's quantities when every line counted is split by establishment (the API then sizes
 * the carts on the establishment that needs the most), else nothing. `lots` lists the lots
 * (1-based) whose counted items it takes, when they are others than the lot itself.
 */
export function scaledQuantities(
  lotScale: LotScale,
  draft: Pick<Draft, 'lots' | 'sites'>,
  offers: readonly Offer[],
  index: number,
): { quantities: Map<string, number>; perSite: Array<Map<string, number>>; lots: number[] } {
  const fleets = draft.lots.map((lot) => lotQuantities(lot, draft.sites, offers).lines.filter((l) => l.itemId !== ''));
  const all = fleets.map((lines) => sumQuantities(lines.map((l) => new Map([[l.itemId, l.quantity]]))));
  const pooled = scaleLots(lotScale, all, index);
  const own = pooled.length === 1 && pooled[0] === index;
  const counted = (i: number) => lotScale.count.some((id) => (all[i]!.get(id) ?? 0) > 0);
  const scaled = new Set([...lotScale.count, ...lotScale.per]);
  const lines = pooled.flatMap((i) => fleets[i]!);
  const split = lines.every((l) => !scaled.has(l.itemId) || (l.perSite !== undefined && l.perSite.size > 0));
  const bySite = new Map<string, Map<string, number>>();
  if (split) for (const l of lines) for (const [site, quantity] of l.perSite ?? []) bySite.set(site, sumQuantities([bySite.get(site) ?? new Map(), new Map([[l.itemId, quantity]])]));
  return { quantities: sumQuantities(pooled.map((i) => all[i]!)), perSite: [...bySite.values()], lots: own ? [] : pooled.filter(counted).map((i) => i + 1) };
}

/**
 * Moves a line of lot `from` to the end of lot `to` (a packaged offer split across lots: the
 * tablets stay in lot 1, the cart and the Wi-Fi go to lot 2). The buyer's changes to criteria that
 * only the moved item bound in its first lot go with it, unless the other lot has its own.
 */
export function moveLine(draft: Pick<Draft, 'lots' | 'sites'>, offers: readonly Offer[], from: number, line: number, to: number): void {
  const source = draft.lots[from]!;
  const target = draft.lots[to]!;
  const [moved] = source.lines.splice(line, 1);
  if (!moved) return;
  target.lines.push(moved);
  const stillBound = new Set(lotLines(source, draft.sites, offers).flatMap((l) => CATALOGUE.get(l.itemId)?.criteria ?? []));
  for (const id of CATALOGUE.get(moved.itemId)?.criteria ?? []) {
    const override = source.overrides[id];
    if (override === undefined || stillBound.has(id)) continue;
    delete source.overrides[id];
    target.overrides[id] ??= override;
  }
}
