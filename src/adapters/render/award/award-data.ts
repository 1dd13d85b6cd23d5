/**
 * The award data of an analysed tender, one record per awarded lot:
 * - DECP 2.0.3 (données essentielles de la commande publique, the format the arrêté of 22 December
 *   2022 sets; schema vendored in test/standards/decp): the lot's record as decp.ts builds it from
 *   the tender, completed with its holder, amount and the number of offers received, every offer
 *   counted whatever came of it;
 * - an OCDS 1.1 award release in the tender's contracting process (same ocid as the tender
 *   release of ocds.ts): the award per lot with its supplier and value, every bidder a party.
 * The amount is the same in both: the lot's maximum for a framework agreement with one, else the
 * amount of the chosen offer as examined (rectified where the unit price prevailed).
 */
import { completeDecp, decpPreAward } from '#src/adapters/render/decp/decp.ts';
import { buildOcdsRelease, lotId, ocdsIdentity, SIRENE_SCHEME } from '#src/adapters/render/ocds/ocds.ts';
import type { Publication } from '#src/app/ports/outputs.ts';
import type { OffersAnalysis, LotAnalysis } from '#src/core/offers/analysis.ts';
import type { AwardDetails } from '#src/core/offers/award.ts';
const LOTS_EXTENSION = 'https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json';

/** The lots with a proposed award. */
const awarded = (analysis: OffersAnalysis) => analysis.lots.filter((l): l is LotAnalysis & { proposed: NonNullable<LotAnalysis['proposed']> } => l.proposed !== undefined);

/** The amount both records publish for a lot. */
export function awardAmount(analysis: OffersAnalysis, lot: LotAnalysis): number {
  const { contract } = analysis.tender.request;
  if (contract.form === 'framework-agreement') {
    const maximum = lot.lot.limits.maximumAmount ?? (analysis.tender.lots.length === 1 ? contract.maximumAmount : undefined);
    if (maximum !== undefined) return maximum;
  }
  return lot.ranking.find((s) => s.bid === lot.proposed!.id)!.amount;
}

/** DECP contract number: the buyer's, else the file reference's letters and digits and the lot. */
export function contractId(analysis: OffersAnalysis, lot: LotAnalysis, details: AwardDetails): string {
  const given = details.contractIds[String(lot.lot.number)];
  if (given) return given;
  const base = (analysis.tender.request.reference ?? 'CAHIER').replace(/[^A-Za-z0-9]/g, '').slice(0, 12) || 'CAHIER';
  return `${base}L${lot.lot.number}`;
}

/**
 * The DECP file of the awarded lots: each lot's record as the tender already states it
 * (decpPreAward: object, CPV, procedure, techniques, modalities, duration, prices, social and
 * environmental considerations from the CCTP's conditions and the award criteria), completed with
 * the award. Where the award details speak they prevail: the contract number, the buyer's SIRET,
 * the place of performance and the CCAG as notified.
 */
export function buildDecp(analysis: OffersAnalysis, details: AwardDetails) {
  const { tender } = analysis;
  const { marches } = decpPreAward(tender, 'CAHIER');
  const lots = awarded(analysis);
  const records = lots.map((lot) => {
    const known = marches[tender.lots.findIndex((l) => l.number === lot.lot.number)]!;
    return {
      ...known,
      id: contractId(analysis, lot, details),
      acheteur: { id: details.buyerSiret },
      lieuExecution: details.placeOfPerformance,
      ccag: details.ccag,
      // What the request leaves unsaid: one month at least, firm prices (the CCAP's default).
      dureeMois: known.dureeMois ?? 1,
      typesPrix: known.typesPrix ?? { typePrix: ['Définitif ferme'] },
    };
  });
  return completeDecp(records, (_record, index) => {
    const lot = lots[index]!;
    return {
      titulaires: [{ typeIdentifiant: 'SIRET', id: lot.proposed.siret }],
      montant: awardAmount(analysis, lot),
      dateNotification: details.notificationDate,
      datePublicationDonnees: details.publicationDate,
      offresRecues: lot.offers.length,
      attributionAvance: details.advance !== undefined,
      ...(details.advance !== undefined ? { tauxAvance: details.advance.rate } : {}),
      typeGroupementOperateurs: 'Pas de groupement',
      sousTraitanceDeclaree: details.subcontracting,
    };
  });
}

/** The award release, in the contracting process of the tender's release: same ocid, built the same way (stored tender, prefix). */
export function buildAwardRelease(analysis: OffersAnalysis, details: AwardDetails, publication?: Publication): unknown {
  const tenderPackage = buildOcdsRelease(analysis.tender, ocdsIdentity(publication));
  const tenderRelease = tenderPackage.releases[0]!;
  const date = `${details.notificationDate}T00:00:00Z`;
  const party = (bidder: { siret: string; name: string }) => ({ id: `${SIRENE_SCHEME}-${bidder.siret}`, name: bidder.name });
  const bidders = new Map(analysis.lots.flatMap((l) => l.offers.map((o) => [o.bidder.siret, o.bidder] as const)));
  const suppliers = new Set(awarded(analysis).map((l) => l.proposed.siret));
  return {
    uri: `${tenderPackage.uri}:award`,
    version: '1.1',
    extensions: [LOTS_EXTENSION],
    publishedDate: `${details.publicationDate}T00:00:00Z`,
    publisher: tenderPackage.publisher,
    releases: [
      {
        ocid: tenderRelease.ocid,
        id: `${tenderRelease.tender.id}-award`,
        date,
        tag: ['award'],
        initiationType: 'tender',
        language: 'fr',
        parties: [
          { ...tenderRelease.buyer, identifier: { scheme: SIRENE_SCHEME, id: details.buyerSiret }, roles: ['buyer', 'procuringEntity'] },
          ...[...bidders.values()].map((b) => ({
            ...party(b),
            identifier: { scheme: SIRENE_SCHEME, id: b.siret, legalName: b.name },
            roles: suppliers.has(b.siret) ? ['tenderer', 'supplier'] : ['tenderer'],
          })),
        ],
        buyer: tenderRelease.buyer,
        awards: awarded(analysis).map((lot) => ({
          id: `${lotId(lot.lot)}-award`,
          title: `Lot ${lot.lot.number} : ${lot.lot.title}`,
          status: 'active',
          date,
          value: { amount: awardAmount(analysis, lot), currency: 'EUR' },
          suppliers: [party(lot.proposed)],
          relatedLots: [lotId(lot.lot)],
        })),
      },
    ],
  };
}
