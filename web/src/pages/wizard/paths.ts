/**
 * Where a request path is edited: the wizard's steps, each with the paths its fields write, and
 * a French label for each path the API may name in a 422.
 */
export const STEPS = [
  { title: 'Acheteur et cadre', paths: [/^(buyer|title|reference|framework|procedure|contract|consultationDate|context|existingEquipment|executionPlace|offerDeadline)\b/] },
  { title: 'Établissements', paths: [/^sites\b/] },
  {
    title: 'Lots et lignes',
    paths: [
      /^lots$/,
      /^allotmentJustification$/,
      /^lots\.\d+$/,
      /^lots\.\d+\.(title|cpv|offer|items|estimatedUnitPrices|deliverySites|minimumAmount|maximumAmount|minimumQuantity|maximumQuantity|options|visit|spareSlots)\b/,
    ],
  },
  { title: 'Exigences', paths: [/^lots\.\d+\.(overrides|customRequirements)\b/] },
  { title: 'Critères d’attribution', paths: [/^lots\.\d+\.(awardCriteria|variants)\b/, /^awardCriteria\b/, /^variants\b/] },
  { title: 'Vérification et génération', paths: [] },
] as const;

/** The 1-based step that edits a request path; 0 when none does. */
export function stepOf(path: string): number {
  return STEPS.findIndex((s) => s.paths.some((p) => p.test(path))) + 1;
}

const n = (s: string | undefined) => String(Number(s ?? 0) + 1);

const LINE_FIELDS: Record<string, string> = {
  itemId: 'article',
  designation: 'désignation',
  unit: 'unité',
  cpv: 'code CPV',
  quantity: 'quantité',
  quantityFrom: 'quantité calculée',
  sites: 'quantités par établissement',
  unitPrice: 'prix estimé',
  vatRate: 'TVA',
  tranche: 'tranche',
  requirements: 'exigences',
};

const PATH_LABELS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^buyer\.name$/, () => 'Nom de l’acheteur'],
  [/^buyer\.address$/, () => 'Adresse de l’acheteur'],
  [/^buyer\.siret$/, () => 'SIRET de l’acheteur'],
  [/^offerDeadline$/, () => 'Date et heure limites de remise des offres'],
  [/^executionPlace\.inseeCode$/, () => 'Code INSEE du lieu d’exécution'],
  [/^executionPlace\.name$/, () => 'Commune du lieu d’exécution'],
  [/^title$/, () => 'Objet du marché'],
  [/^reference$/, () => 'Référence interne'],
  [/^consultationDate$/, () => 'Date de lancement de la consultation'],
  [/^procedure$/, () => 'Procédure'],
  [/^contract\.durationMonths$/, () => 'Durée du marché'],
  [/^contract\.maximumAmount$/, () => 'Montant maximum de l’accord-cadre'],
  [/^contract\.renewals\.(\w+)$/, () => 'Reconductions'],
  [/^contract\.start/, () => 'Début d’exécution'],
  [/^contract\.price\.index$/, () => 'Indice de référence des prix'],
  [/^contract\.tranches\.firm/, () => 'Tranche ferme'],
  [/^contract\.tranches\.optional\.(\d+)/, (m) => `Tranche optionnelle ${n(m[1])}`],
  [/^context$/, () => 'Contexte'],
  [/^sites\.(\d+)\.uai$/, (m) => `Établissement ${n(m[1])} : code UAI`],
  [/^sites\.(\d+)\.name$/, (m) => `Établissement ${n(m[1])} : nom`],
  [/^sites\.(\d+)/, (m) => `Établissement ${n(m[1])}`],
  [/^lots\.(\d+)\.title$/, (m) => `Lot ${n(m[1])} : intitulé`],
  [/^lots\.(\d+)\.cpv/, (m) => `Lot ${n(m[1])} : code CPV`],
  [/^lots\.(\d+)\.offer\.count$/, (m) => `Lot ${n(m[1])} : nombre d’offres`],
  [/^lots\.(\d+)\.items\.(\d+)\.(\w+)/, (m) => `Lot ${n(m[1])}, ligne ${n(m[2])} : ${LINE_FIELDS[m[3]!] ?? 'ligne'}`],
  [/^lots\.(\d+)\.items/, (m) => `Lot ${n(m[1])} : lignes`],
  [/^lots\.(\d+)\.estimatedUnitPrices/, (m) => `Lot ${n(m[1])} : prix unitaires`],
  [/^lots\.(\d+)\.(maximum|minimum)(Amount|Quantity)$/, (m) => `Lot ${n(m[1])} : ${m[2] === 'maximum' ? 'maximum' : 'minimum'} en ${m[3] === 'Amount' ? 'montant' : 'quantité'}`],
  [/^lots\.(\d+)\.options\.(\d+)\.lines\.(\d+)\.(\w+)/, (m) => `Lot ${n(m[1])}, option ${n(m[2])}, ligne ${n(m[3])} : ${LINE_FIELDS[m[4]!] ?? 'ligne'}`],
  [/^lots\.(\d+)\.options\.(\d+)\.(\w+)/, (m) => `Lot ${n(m[1])}, option ${n(m[2])} : ${m[3] === 'label' ? 'intitulé' : m[3] === 'description' ? 'description' : 'montant estimé'}`],
  [/^lots\.(\d+)\.visit/, (m) => `Lot ${n(m[1])} : visite`],
  [/^lots\.(\d+)\.customRequirements\.(\d+)\.label$/, (m) => `Lot ${n(m[1])} : intitulé de l’exigence ajoutée`],
  [/^lots\.(\d+)\.customRequirements\.(\d+)\.requirement$/, (m) => `Lot ${n(m[1])} : texte de l’exigence ajoutée`],
  [/^lots\.(\d+)\.awardCriteria\.(\d+)\.subCriteria\.(\d+)\.(\w+)$/, (m) => `Lot ${n(m[1])}, critère ${n(m[2])}, sous-critère ${n(m[3])} : ${m[4] === 'weight' ? 'pondération' : 'nom'}`],
  [/^lots\.(\d+)\.awardCriteria\.(\d+)\.(\w+)$/, (m) => `Lot ${n(m[1])}, critère ${n(m[2])} : ${m[3] === 'weight' ? 'pondération' : 'nom'}`],
  [/^lots\.(\d+)\.variants/, (m) => `Lot ${n(m[1])} : variantes`],
  [/^lots\.(\d+)/, (m) => `Lot ${n(m[1])}`],
];

/** « Lot 2, ligne 3 : quantité »: a request path as the buyer reads it (never the path itself). */
export function labelOfPath(path: string): string {
  for (const [pattern, label] of PATH_LABELS) {
    const m = pattern.exec(path);
    if (m) return label(m);
  }
  return 'Champ de la demande';
}
