import { formatPercent } from '#src/core/model/format.ts';
import type { ResolvedLot, ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { consultationFacts, contractTerms, lotFacts, type CcapContext } from './ccap-context.ts';

type LotFacts = CcapContext['lots'][number];

/**
 * What the acte d'engagement of each lot prints, in the structure of the official ATTRI1 form:
 * the buyer and the contract (A), the bidder's commitment with its identity, prices, options,
 * duration, advance and account left blank for the bidder (B), and the buyer's acceptance (C).
 * Durations, renewals and maxima come from the same function as the CCAP's (contractTerms), so
 * both pieces print them alike.
 */
export interface AeContext extends Pick<CcapContext, 'title' | 'reference' | 'buyer' | 'consultationDate' | 'procedure'> {
  contract: CcapContext['contract'];
  singleLot: boolean;
  lots: AeLotContext[];
  delivery: string | null;
  /** The financial annex: BPU and DQE, or DPGF. */
  priceSchedule: string;
  tranches: Array<{ label: string }>;
}

export interface AeLotContext extends LotFacts {
  variantsAllowed: boolean;
  options: Array<{ number: number; label: string }>;
  hasOptions: boolean;
  vatRates: string;
}

export function buildAeContext(tender: ResolvedTender, lotNumber?: number): AeContext {
  const { request } = tender;
  const lots = lotNumber === undefined ? tender.lots : tender.lots.filter((l) => l.number === lotNumber);
  if (lots.length === 0) throw new RangeError(`no lot ${lotNumber}`);
  const contract = contractTerms(tender);
  const deliveryDays = request.administrative?.deliveryDays;
  return {
    ...consultationFacts(tender),
    contract,
    singleLot: tender.lots.length === 1,
    lots: lots.map((lot) => lotContext(tender, lot)),
    delivery: deliveryDays === undefined ? null : `${deliveryDays} jours`,
    priceSchedule: contract.isFrameworkAgreement
      ? 'du bordereau des prix unitaires (BPU), appliqués aux quantités du détail quantitatif estimatif (DQE) pour le jugement des offres'
      : 'de la décomposition du prix global et forfaitaire (DPGF)',
    tranches: request.contract.tranches
      ? [{ label: `Tranche ferme « ${request.contract.tranches.firm.title} »` }, ...request.contract.tranches.optional.map((t) => ({ label: `Tranche optionnelle « ${t.title} »` }))]
      : [],
  };
}

function lotContext(tender: ResolvedTender, lot: ResolvedLot): AeLotContext {
  const options = lot.options.length > 0 ? lot.options.map((o) => ({ number: o.number, label: o.label })) : tender.request.options.map((o, i) => ({ number: i + 1, label: o.label }));
  const rates = [...new Set(lot.lines.map((l) => l.vatRate))].sort((a, b) => a - b);
  return {
    ...lotFacts(lot),
    variantsAllowed: lot.variants.allowed,
    options,
    hasOptions: options.length > 0,
    vatRates: rates.map((r) => formatPercent(r)).join(', '),
  };
}
