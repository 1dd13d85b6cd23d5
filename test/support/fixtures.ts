/**
 * An in-code catalogue snapshot and a baseline tender request for rule tests. Independent of the
 * catalogue/ data files on purpose: rule tests must not change when the real catalogue does.
 *
 * The baseline resolves to a tender with no error and no warning (nor any info): every test
 * starts from it and changes one thing, so a finding can only come from that change.
 */
import type { CatalogueItem, Framework, Offer } from '#src/core/model/catalogue.ts';
import type { Criterion } from '#src/core/model/criterion.ts';
import { resolveTender, type CatalogueSnapshot, type ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { TenderRequestSchema, type TenderRequest, type TenderRequestInput } from '#src/core/model/tender-request.ts';

const CARMO = { type: 'ministry', reference: 'CARMO 3.0.1' } as const;
const SNEE = { type: 'funding-programme', reference: 'Socle numérique, annexe technique' } as const;
const LAW_ACCESS = { type: 'law', reference: 'CCP R2111-4' } as const;
const LAW_AGEC = { type: 'law', reference: 'Loi AGEC, art. 55' } as const;
const DSDEN = { type: 'academic-guidance', reference: 'DSDEN 27, guide 2021' } as const;
const MARKET = { type: 'market-practice', reference: 'Pratique de marché' } as const;

export const CRITERIA: readonly Criterion[] = [
  {
    id: 'tablet.storage.user',
    version: 2,
    category: 'tablet',
    kind: 'technical',
    label: 'Stockage utilisateur',
    requirement: "Espace de stockage disponible pour l'utilisateur, hors système et applications.",
    metric: { type: 'numeric', unit: 'Go', comparator: 'gte', value: 32 },
    level: 'minimum',
    authority: CARMO,
    proof: ['datasheet'],
  },
  {
    id: 'tablet.mdm.enrolment',
    version: 1,
    category: 'tablet',
    kind: 'functional',
    label: 'Enrôlement dans la solution de gestion',
    requirement: "La tablette s'enrôle automatiquement dans la solution de gestion de flotte.",
    metric: { type: 'boolean', expected: true },
    level: 'minimum',
    authority: CARMO,
    proof: ['datasheet'],
  },
  {
    id: 'tablet.private-space',
    version: 1,
    category: 'tablet',
    kind: 'functional',
    label: 'Espace privé de l’élève',
    requirement: "Un espace individuel privé est disponible et ses données ne sont pas sauvegardées pour restauration.",
    metric: { type: 'text' },
    level: 'minimum',
    authority: CARMO,
    proof: ['declaration'],
  },
  {
    id: 'tablet.keyboard',
    version: 1,
    category: 'tablet',
    kind: 'functional',
    label: 'Clavier en option',
    requirement: 'Un clavier (étui ou Bluetooth) peut être fourni en option.',
    metric: { type: 'boolean', expected: true },
    level: 'assessed',
    authority: CARMO,
    proof: ['datasheet'],
  },
  {
    id: 'tablet.wifi.standard',
    version: 1,
    category: 'tablet',
    kind: 'technical',
    label: 'Norme Wi-Fi',
    requirement: 'La tablette prend en charge la norme Wi-Fi indiquée ou une norme plus récente.',
    metric: { type: 'enum', options: ['802.11n', '802.11ac', '802.11ax'], comparator: 'gte', value: '802.11ac' },
    level: 'minimum',
    authority: SNEE,
    proof: ['datasheet'],
  },
  {
    id: 'tablet.screen.diagonal',
    version: 1,
    category: 'tablet',
    kind: 'technical',
    label: "Diagonale d'écran",
    requirement: "Diagonale de l'écran de la tablette.",
    metric: { type: 'numeric', unit: 'pouces', comparator: 'gte', value: 10 },
    level: 'minimum',
    authority: MARKET,
    proof: ['datasheet'],
  },
  {
    id: 'device.accessibility',
    version: 1,
    category: 'accessibility',
    kind: 'functional',
    label: 'Accessibilité intégrée',
    requirement: "Lecteur d'écran, zoom, contraste et dictée intégrés ; déclaration de conformité EN 301 549.",
    metric: { type: 'boolean', expected: true },
    level: 'minimum',
    authority: LAW_ACCESS,
    proof: ['declaration'],
  },
  {
    id: 'environment.repairability-index',
    version: 1,
    category: 'environment',
    kind: 'environmental',
    label: 'Indice de réparabilité',
    requirement: "Indice de réparabilité de l'équipement, noté sur 10.",
    metric: { type: 'numeric', unit: '/10', comparator: 'gte', value: 7 },
    level: 'assessed',
    authority: LAW_AGEC,
    proof: ['label-or-equivalent'],
  },
  {
    id: 'environment.take-back',
    version: 1,
    category: 'environment',
    kind: 'environmental',
    label: 'Reprise en fin de vie',
    requirement: 'Le titulaire reprend les équipements remplacés et les oriente vers le réemploi ou le recyclage.',
    metric: { type: 'boolean', expected: true },
    level: 'minimum',
    authority: MARKET,
    proof: ['declaration'],
  },
  {
    id: 'laptop.ram',
    version: 1,
    category: 'laptop',
    kind: 'technical',
    label: 'Mémoire vive',
    requirement: "Mémoire vive de l'ordinateur portable.",
    metric: { type: 'numeric', unit: 'Go', comparator: 'gte', value: 8 },
    level: 'minimum',
    authority: DSDEN,
    proof: ['datasheet'],
  },
  {
    id: 'laptop.screen.diagonal',
    version: 1,
    category: 'laptop',
    kind: 'technical',
    label: "Diagonale d'écran",
    requirement: "Diagonale de l'écran de l'ordinateur portable.",
    metric: { type: 'range', unit: 'pouces', min: 13, max: 15.6 },
    level: 'minimum',
    authority: DSDEN,
    proof: ['datasheet'],
  },
  {
    id: 'training.hours',
    version: 1,
    category: 'training',
    kind: 'service',
    label: 'Formation des enseignants',
    requirement: 'Formation à la prise en main et aux usages pédagogiques, par école.',
    metric: { type: 'numeric', unit: 'h', comparator: 'gte', value: 6 },
    level: 'minimum',
    authority: SNEE,
    proof: ['service-description'],
  },
  {
    id: 'services.ready-to-use',
    version: 1,
    category: 'services',
    kind: 'service',
    label: 'Livraison prête à l’emploi',
    requirement: 'Le matériel est livré installé, configuré et enrôlé, prêt à l’emploi.',
    metric: { type: 'boolean', expected: true },
    level: 'minimum',
    authority: MARKET,
    proof: ['service-description'],
  },
];

export const ITEMS: readonly CatalogueItem[] = [
  {
    id: 'tablet-10',
    label: 'Tablette élève 10 pouces',
    description: 'Tablette pour les élèves.',
    category: 'tablet',
    nature: 'supply',
    unit: 'unité',
    cpv: '30213200',
    criteria: [
      'tablet.storage.user',
      'tablet.mdm.enrolment',
      'tablet.private-space',
      'tablet.keyboard',
      'tablet.wifi.standard',
      'tablet.screen.diagonal',
      'device.accessibility',
      'environment.repairability-index',
    ],
  },
  {
    id: 'laptop-pupil',
    label: 'Ordinateur portable élève',
    description: 'Ordinateur portable pour les élèves.',
    category: 'laptop',
    nature: 'supply',
    unit: 'unité',
    cpv: '30213100-6',
    criteria: ['laptop.ram', 'laptop.screen.diagonal', 'device.accessibility', 'environment.repairability-index'],
  },
  {
    id: 'charging-cart-16',
    label: 'Chariot de recharge 16 places',
    description: 'Chariot de recharge et de rangement.',
    category: 'charging-cart',
    nature: 'supply',
    unit: 'unité',
    cpv: '39150000',
    criteria: ['environment.take-back'],
  },
  {
    id: 'installation',
    label: 'Installation et mise en service',
    description: 'Livraison, installation, configuration et enrôlement.',
    category: 'services',
    nature: 'service',
    unit: 'forfait',
    cpv: '51611100-9',
    criteria: ['services.ready-to-use'],
  },
  {
    id: 'training-teachers',
    label: 'Formation des enseignants',
    description: 'Session de formation par école.',
    category: 'training',
    nature: 'service',
    unit: 'session',
    cpv: '80533100-0',
    criteria: ['training.hours'],
  },
];

export const OFFERS: readonly Offer[] = [
  {
    id: 'classe-mobile-16',
    label: 'Classe mobile 16 tablettes',
    description: '16 tablettes, un chariot de recharge, installation.',
    items: [
      { itemId: 'tablet-10', quantity: 16 },
      { itemId: 'charging-cart-16', quantity: 1 },
      { itemId: 'installation', quantity: 1 },
    ],
  },
];

export function makeFramework(patch: Partial<Framework> = {}): Framework {
  return {
    id: 'socle-numerique',
    version: 1,
    title: 'Socle numérique des écoles',
    reference: 'CARMO 3.0.1 et annexe du socle numérique',
    description: 'Cadre de test.',
    status: 'published',
    publishedAt: '2026-01-15',
    fundingRule: {
      programme: 'Socle numérique dans les écoles',
      rate: 0.5,
      capPerDevice: 190,
      eligibleItems: ['tablet-10', 'laptop-pupil'],
      requiredAuthorities: ['ministry', 'funding-programme'],
    },
    criteria: CRITERIA.map((c) => ({ id: c.id, version: c.version })),
    ...patch,
  };
}

export function makeCatalogue(framework: Framework = makeFramework()): CatalogueSnapshot {
  return {
    framework,
    criteria: new Map(CRITERIA.map((c) => [c.id, c])),
    items: new Map(ITEMS.map((i) => [i.id, i])),
    offers: new Map(OFFERS.map((o) => [o.id, o])),
  };
}

/**
 * A department equipping two schools, adapted procedure, after 22 August 2026:
 * - lot 1: 4 mobile classrooms (64 tablets at 400 €, 4 carts at 1 500 €, 4 installations at 500 €) = 33 600 €;
 * - lot 2: 30 laptops at 600 € and 2 training sessions at 4 500 € = 27 000 €.
 * Total 60 600 € HT: above the 60 000 € of R2122-8 (from 1 April 2026), below 216 000 €.
 * Subsidy 94 devices × 190 € = 17 860 € (legacy framework rule). Its only finding is the
 * PROCEDURE_TIER note every file gets; lot 1 keeps a minimum environmental requirement (take-back),
 * the environmental execution condition due from 21 August 2026.
 */
export function baseRequestInput(): TenderRequestInput {
  return {
    buyer: { name: 'Département de l’Eure', type: 'department' },
    title: 'Équipement numérique des écoles du socle',
    framework: { id: 'socle-numerique', version: 1 },
    procedure: 'adapted',
    contract: { form: 'ordinary', durationMonths: 12 },
    consultationDate: '2026-09-15',
    context: 'Équipement de deux écoles élémentaires ; la surface de la salle informatique est de 40 m².',
    lots: [
      {
        title: 'Classes mobiles de tablettes',
        offer: { offerId: 'classe-mobile-16', count: 4 },
        estimatedUnitPrices: { 'tablet-10': 400, 'charging-cart-16': 1500, installation: 500 },
      },
      {
        title: 'Ordinateurs portables et formation',
        items: [
          { itemId: 'laptop-pupil', quantity: 30 },
          { itemId: 'training-teachers', quantity: 2 },
        ],
        estimatedUnitPrices: { 'laptop-pupil': 600, 'training-teachers': 4500 },
      },
    ],
    awardCriteria: [
      { name: 'Prix', type: 'price', theme: 'price', weight: 50 },
      {
        name: 'Valeur technique',
        type: 'quality',
        theme: 'technical',
        weight: 35,
        subCriteria: [
          { name: 'Qualité des équipements', weight: 20 },
          { name: 'Services et formation', weight: 15, theme: 'service' },
        ],
      },
      { name: 'Performance environnementale', type: 'quality', theme: 'environmental', weight: 15 },
    ],
  };
}

export type RequestPatch = Partial<TenderRequestInput> | ((draft: TenderRequestInput) => void);

/**
 * The baseline request with a change, parsed through TenderRequestSchema so defaults apply.
 * A patch is either merged at the top level or a function that edits a fresh deep copy.
 */
export function makeRequest(...patches: RequestPatch[]): TenderRequest {
  let draft = structuredClone(baseRequestInput());
  for (const patch of patches) {
    if (typeof patch === 'function') patch(draft);
    else draft = { ...draft, ...structuredClone(patch) };
  }
  return TenderRequestSchema.parse(draft);
}

/** The baseline tender, resolved against the in-code catalogue, with the given changes. */
export function makeTender(...patches: RequestPatch[]): ResolvedTender {
  return resolveTender(makeRequest(...patches), makeCatalogue());
}

/** Same, against a catalogue with another framework (e.g. another funding rule). */
export function makeTenderWith(framework: Framework, ...patches: RequestPatch[]): ResolvedTender {
  return resolveTender(makeRequest(...patches), makeCatalogue(framework));
}

/** Edits lot `index` (0-based) of the draft. */
export const withLot =
  (index: number, edit: (lot: TenderRequestInput['lots'][number]) => void): RequestPatch =>
  (draft) => {
    const lot = draft.lots[index];
    if (lot === undefined) throw new Error(`no lot ${index} in the request`);
    edit(lot);
  };

/** Adds an override to lot `index` (0-based). */
export const withOverride = (
  index: number,
  override: NonNullable<TenderRequestInput['lots'][number]['overrides']>[number],
): RequestPatch =>
  withLot(index, (lot) => {
    lot.overrides = [...(lot.overrides ?? []), override];
  });

/** Adds a buyer-written requirement to lot `index` (0-based). */
export const withCustomRequirement = (
  index: number,
  requirement: NonNullable<TenderRequestInput['lots'][number]['customRequirements']>[number],
): RequestPatch =>
  withLot(index, (lot) => {
    lot.customRequirements = [...(lot.customRequirements ?? []), requirement];
  });

/** A request with a single lot, the first of the baseline unless another is given. */
export const singleLot = (lot?: TenderRequestInput['lots'][number]): RequestPatch => (draft) => {
  draft.lots = [lot ?? draft.lots[0]!];
};
