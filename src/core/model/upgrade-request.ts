import type { TenderRequest } from './tender-request.ts';
import { isV2, type AnyTenderRequest, type TenderRequestV2 } from './tender-request-v2.ts';

/**
 * The version 2 model of any accepted request, so that rules and documents have one code path.
 * A version 1 request says the same things with fewer words: its lots' lines are catalogue items
 * with a quantity, its award criteria, variants and options are the file's (version 2 keeps them
 * as the defaults of lots that state none), and its renewal count moves into the contract, each
 * renewal as long as the initial duration, as version 1 counted them. Nothing is invented: a
 * field version 1 could not state stays absent, so every document of a version 1 request reads
 * exactly as before.
 */
export function upgradeRequest(request: AnyTenderRequest): TenderRequestV2 {
  if (isV2(request)) return request;
  return upgradeV1(request);
}

function upgradeV1(request: TenderRequest): TenderRequestV2 {
  const { schemaVersion: _version, renewals, contract, lots, ...common } = request;
  return {
    ...common,
    schemaVersion: 2,
    contract: renewals === undefined ? contract : { ...contract, renewals: { count: renewals } },
    sites: [],
    existingEquipment: [],
    lots: lots.map((lot) => ({
      ...lot,
      items: lot.items.map((line) => ({ itemId: line.itemId, quantity: line.quantity, requirements: [], pricing: 'unit' as const, vatRate: 20 })),
      options: [],
    })),
  };
}
