/**
 * The essential data of the contracts (DECP, format 2.0, arrêté du 22 décembre 2022) that a tender
 * already knows, one `marche` per lot (each lot is awarded as its own contract): buyer SIRET,
 * object, CPV, procedure, techniques, execution modalities, CCAG, initial duration in months
 * (tranches and renewals included), price form and type, main place of execution, social and
 * environmental considerations.
 *
 * What only the award knows (holders, amount, notification and publication dates, offers received,
 * advance, grouping, declared subcontracting) is not invented: `completeDecp` adds it from the
 * award, which the offer-analysis work supplies. Until then `missing` lists, per lot, what a record
 * still lacks, the request's own gaps (no SIRET, no place, no duration, no price form) included.
 */
import type { ResolvedLot, ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { Procedure } from '#src/core/model/tender-request.ts';
import { isEnvironmentalCondition, isSocialCondition } from '#src/core/rules/legal-lint.ts';

/** The fields of a DECP `marche` known before award (codes as the format spells them, straight apostrophes included). */
export interface DecpPreAward {
  id: string;
  acheteur?: { id: string };
  nature: 'Marché';
  objet: string;
  codeCPV: string;
  techniques: { technique: string[] };
  modalitesExecution: { modaliteExecution: string[] };
  marcheInnovant: boolean;
  ccag: string;
  procedure: string;
  /** The request's INSEE code (« Code commune »); at award, the place the award details give. */
  lieuExecution?: { code: string; typeCode: string };
  dureeMois?: number;
  typesPrix?: { typePrix: string[] };
  formePrix?: 'Unitaire' | 'Forfaitaire' | 'Mixte';
  considerationsSociales: { considerationSociale: string[] };
  considerationsEnvironnementales: { considerationEnvironnementale: string[] };
}

/** What the award adds to each lot's record. */
export interface DecpAward {
  titulaires: Array<{ typeIdentifiant: 'SIRET' | 'TVA' | 'TAHITI' | 'RIDET' | 'FRWF' | 'IREP' | 'HORS-UE'; id: string }>;
  /** Euros excl. VAT: the lump sum, or the estimated maximum. */
  montant: number;
  dateNotification: string;
  datePublicationDonnees: string;
  offresRecues: number;
  attributionAvance: boolean;
  tauxAvance?: number;
  typeGroupementOperateurs: 'Conjoint' | 'Solidaire' | 'Pas de groupement';
  sousTraitanceDeclaree: boolean;
}

/** The award fields, named as the format names them. */
export const DECP_AWARD_FIELDS = [
  'titulaires',
  'montant',
  'dateNotification',
  'datePublicationDonnees',
  'offresRecues',
  'attributionAvance',
  'typeGroupementOperateurs',
  'sousTraitanceDeclaree',
] as const;

const PROCEDURES: Record<Procedure, string> = {
  adapted: 'Procédure adaptée',
  open: "Appel d'offres ouvert",
  restricted: "Appel d'offres restreint",
  'negotiated-without-notice': 'Marché passé sans publicité ni mise en concurrence préalable',
};

const PRICE_TYPES = { firm: 'Définitif ferme', adjustable: 'Définitif actualisable', revisable: 'Définitif révisable' } as const;
const PRICE_FORMS = { unit: 'Unitaire', 'lump-sum': 'Forfaitaire', mixed: 'Mixte' } as const;

/** Cahier's pieces are written on the CCAG for information and communication technologies (arrêté du 30 mars 2021). */
const CCAG_TIC = "Techniques de l'information et de la communication";

/** A DECP identifier: 1 to 16 characters, none the format asks to avoid. */
function marketId(base: string, lot: ResolvedLot, lots: number): string {
  const clean = base.replace(/[^A-Za-z0-9_.\-/]/g, '');
  const suffix = lots > 1 ? `-L${lot.number}` : '';
  return `${clean.slice(0, 16 - suffix.length)}${suffix}`;
}

export interface DecpPreAwardRecords {
  marches: DecpPreAward[];
  /** Per record id, the required fields it still lacks (the award's, then the request's gaps). */
  missing: Record<string, string[]>;
}

/** The pre-award records of a tender; `tenderId` names them when the request has no reference. */
export function decpPreAward(tender: ResolvedTender, tenderId: string): DecpPreAwardRecords {
  const { request } = tender;
  const contract = request.contract;
  const renewals = contract.renewals?.count ?? 0;
  const dureeMois = contract.durationMonths === undefined ? undefined : contract.durationMonths + renewals * (contract.renewals?.months ?? contract.durationMonths);
  const isFramework = contract.form === 'framework-agreement';
  const frameworkType = isFramework ? contract.frameworkType : undefined;
  const missing: Record<string, string[]> = {};
  const marches = tender.lots.map((lot): DecpPreAward => {
    const id = marketId(request.reference ?? tenderId, lot, tender.lots.length);
    const lines = lot.lines;
    const pricing = new Set(lines.map((l) => l.pricing));
    const form = contract.price?.form ?? (pricing.size > 1 ? 'mixed' : pricing.has('lump-sum') ? 'lump-sum' : 'unit');
    const modalities = [
      ...(contract.tranches ? ['Tranches'] : []),
      ...(frameworkType === 'subsequent-contracts' ? ['Marchés subséquents'] : isFramework ? ['Bons de commande'] : []),
    ];
    const social = [
      ...(lot.requirements.some(isSocialCondition) ? ['Clause sociale'] : []),
      ...(lot.awardCriteria.some((c) => c.theme === 'social' && c.weight > 0) ? ['Critère social'] : []),
      ...(lot.reserved ? ['Marché réservé'] : []),
    ];
    const environmental = [
      ...(lot.requirements.some(isEnvironmentalCondition) ? ['Clause environnementale'] : []),
      ...(lot.awardCriteria.some((c) => (c.theme === 'environmental' || c.environmental === true) && c.weight > 0) ? ['Critère environnemental'] : []),
    ];
    const cpv = lot.cpv?.main ?? lines.find((l) => l.item.nature === 'supply')?.item.cpv ?? lines[0]!.item.cpv;
    const record: DecpPreAward = {
      id,
      ...(request.buyer.siret ? { acheteur: { id: request.buyer.siret } } : {}),
      nature: 'Marché',
      objet: (tender.lots.length > 1 ? `${request.title} — lot ${lot.number} : ${lot.title}` : request.title).slice(0, 1000),
      codeCPV: cpv.slice(0, 8),
      techniques: { technique: [isFramework ? 'Accord-cadre' : 'Sans objet'] },
      modalitesExecution: { modaliteExecution: modalities.length > 0 ? modalities : ['Sans objet'] },
      marcheInnovant: false,
      ccag: CCAG_TIC,
      procedure: PROCEDURES[request.procedure],
      ...(request.executionPlace ? { lieuExecution: { code: request.executionPlace.inseeCode, typeCode: 'Code commune' as const } } : {}),
      ...(dureeMois === undefined ? {} : { dureeMois }),
      ...(contract.price ? { typesPrix: { typePrix: [PRICE_TYPES[contract.price.type]] } } : {}),
      formePrix: PRICE_FORMS[form],
      considerationsSociales: { considerationSociale: social.length > 0 ? social : ['Pas de considération sociale'] },
      considerationsEnvironnementales: { considerationEnvironnementale: environmental.length > 0 ? environmental : ['Pas de considération environnementale'] },
    };
    missing[id] = [
      ...DECP_AWARD_FIELDS,
      ...(record.acheteur ? [] : ['acheteur']),
      ...(record.lieuExecution ? [] : ['lieuExecution']),
      ...(record.dureeMois === undefined ? ['dureeMois'] : []),
      ...(record.typesPrix ? [] : ['typesPrix']),
    ];
    return record;
  });
  return { marches, missing };
}

/** A DECP 2.0 file (`marches.marche[]`) from the pre-award records and each record's award. */
export function completeDecp(records: readonly DecpPreAward[], award: (record: DecpPreAward, index: number) => DecpAward) {
  return {
    marches: {
      marche: records.map((record, index) => {
        const { titulaires, ...rest } = award(record, index);
        return { ...record, ...rest, titulaires: titulaires.map((titulaire) => ({ titulaire })) };
      }),
    },
  };
}
