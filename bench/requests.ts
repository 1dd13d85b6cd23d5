/**
 * The three tender requests the benchmark generates, built from real catalogue items and offers.
 * Deterministic: no clock, no randomness, so every run lays out the same documents.
 *
 * - small:  one lot of interactive displays with their installation (≈ 15 requirements);
 * - medium: the shipped example of a commune's classe mobile of 16 tablets (≈ 60 requirements);
 * - large:  a department-wide framework agreement of 10 lots combining most of the catalogue,
 *           with buyer-written requirements, overrides and delivery sites (≈ 500 requirements).
 *
 * All three pass the rules: weights sum to 100 with an environmental criterion, an accessibility
 * requirement remains in every purchase, and the procedure fits the estimated value.
 */
import { example } from '../test/support/pipeline.ts';

export type BenchSize = 'small' | 'medium' | 'large';

const FRAMEWORK = { id: 'carmo-education', version: 1 } as const;

export function smallRequest(): Record<string, unknown> {
  return {
    buyer: {
      name: 'Commune de Val-des-Prés',
      type: 'municipality',
      address: 'Mairie, 1 place de la Fontaine, 05100 Val-des-Prés',
    },
    title: "Fourniture et installation de deux écrans numériques interactifs pour l'école du bourg",
    reference: 'MAPA-2026-11',
    framework: FRAMEWORK,
    procedure: 'adapted',
    contract: { form: 'ordinary' },
    consultationDate: '2026-10-12',
    context:
      "L'école du bourg compte deux classes (38 élèves). Les tableaux blancs existants sont remplacés par des écrans " +
      'numériques interactifs raccordés au réseau de la commune.',
    lots: [
      {
        title: 'Écrans numériques interactifs et installation',
        items: [
          { itemId: 'interactive-display', quantity: 2 },
          { itemId: 'display-installation', quantity: 2 },
        ],
        estimatedUnitPrices: { 'interactive-display': 2900, 'display-installation': 400 },
        deliverySites: ['École du bourg, 3 rue de l’École, 05100 Val-des-Prés'],
      },
    ],
    awardCriteria: [
      { name: 'Prix', type: 'price', theme: 'price', weight: 50 },
      { name: 'Valeur technique', type: 'quality', theme: 'technical', weight: 35 },
      {
        name: 'Performance environnementale (réparabilité, disponibilité des pièces, reprise en fin de vie)',
        type: 'quality',
        theme: 'environmental',
        weight: 15,
      },
    ],
  };
}

export function mediumRequest(): Record<string, unknown> {
  return example('commune');
}

const COLLEGES = [
  'Collège Jean-Giono, 4 avenue des Alpes, 05000 Gap',
  'Collège Les Garcins, 12 rue des Garcins, 05100 Briançon',
  'Collège de Fontreyne, 2 chemin de Fontreyne, 05000 Gap',
  'Collège Marie-Marvingt, 1 allée des Écoles, 05200 Embrun',
  'Collège du Champsaur, route de Chaillol, 05500 Saint-Bonnet-en-Champsaur',
  'Collège de la Durance, 8 boulevard de la Durance, 05110 La Saulce',
  'Collège Les Écrins, 15 rue du Pré, 05120 L’Argentière-la-Bessée',
  'Collège du Buëch, 3 place du Marché, 05400 Veynes',
];

/** Buyer-written requirements, numbered so each lot has its own wording. */
function customRequirements(lot: number, count: number): Record<string, unknown>[] {
  const themes = [
    ['Étiquetage des équipements', "Chaque équipement porte une étiquette d'inventaire indélébile fournie par le Département, posée par le titulaire avant la livraison, et son numéro de série est reporté dans le bordereau de livraison au format tableur."],
    ['Insertion professionnelle', 'Le titulaire réserve au moins 5 % des heures de main-d’œuvre consacrées à l’installation à des personnes éloignées de l’emploi, directement ou par une structure d’insertion par l’activité économique, et en rend compte à chaque réception.'],
    ['Accessibilité de la documentation', "La documentation d'utilisation est fournie en français, dans un format accessible conforme au RGAA, et comprend un guide de prise en main illustré destiné aux élèves en situation de handicap."],
    ['Reprise des emballages', 'Le titulaire reprend et valorise les emballages le jour de la livraison ; aucun emballage n’est laissé dans les établissements.'],
    ['Délai de livraison', 'La livraison intervient dans un délai de six semaines à compter de la notification du bon de commande, pendant les heures d’ouverture du collège et hors périodes d’examens.'],
    ['Interlocuteur unique', "Le titulaire désigne un interlocuteur unique joignable du lundi au vendredi de 8 h à 18 h, chargé du suivi des commandes, des livraisons et des demandes de garantie."],
    ['Compte rendu de déploiement', 'À l’issue de chaque déploiement, le titulaire remet un compte rendu indiquant les équipements installés, leur emplacement, les réglages appliqués et les réserves éventuelles.'],
    ['Pièces détachées', 'Le titulaire garantit la disponibilité des pièces détachées pendant sept ans à compter de la livraison et communique leur prix public.'],
    ['Réemploi en fin de vie', 'En fin de vie, le titulaire propose une filière de réemploi ou de recyclage agréée et remet au Département les certificats d’effacement des données.'],
    ['Sécurité des interventions', 'Les intervenants respectent le règlement intérieur et le plan de prévention de chaque collège ; toute intervention en présence d’élèves est signalée au chef d’établissement.'],
    ['Formation des référents', "Le titulaire forme, dans chaque collège, un référent numérique à l'administration courante des équipements livrés, en deux heures au moins, sur site."],
  ] as const;
  return Array.from({ length: count }, (_, i) => {
    const [label, requirement] = themes[i % themes.length]!;
    return {
      label: `${label} (lot ${lot}, exigence ${i + 1})`,
      requirement,
      level: i % 3 === 2 ? 'assessed' : 'minimum',
      proof: i % 2 === 0 ? ['declaration'] : ['service-description'],
    };
  });
}

interface LotPlan {
  title: string;
  offer?: { offerId: string; count: number };
  items: Array<[itemId: string, quantity: number]>;
  prices: Record<string, number>;
  overrides?: Record<string, unknown>[];
}

const PRICES: Record<string, number> = {
  tablet: 390,
  'tablet-keyboard-case': 60,
  'teacher-laptop': 880,
  'charging-cart': 2300,
  'wifi-access-point': 420,
  'interactive-display': 3100,
  'video-projector-interactive': 1900,
  'school-server': 3800,
  'mdm-licence': 48,
  installation: 900,
  'display-installation': 420,
  'teacher-training': 100,
  maintenance: 4500,
};

const OFFER_ITEMS: Record<string, string[]> = {
  'classe-mobile-16': ['tablet', 'teacher-laptop', 'charging-cart', 'wifi-access-point', 'mdm-licence', 'installation', 'teacher-training'],
  'classe-mobile-30': ['tablet', 'teacher-laptop', 'charging-cart', 'wifi-access-point', 'mdm-licence', 'installation', 'teacher-training'],
  'salle-interactive': ['interactive-display', 'teacher-laptop', 'display-installation'],
  'salle-vpi': ['video-projector-interactive', 'teacher-laptop', 'display-installation'],
};

function plan(title: string, options: { offer?: [string, number]; items?: Array<[string, number]>; overrides?: Record<string, unknown>[] }): LotPlan {
  const items = options.items ?? [];
  const ids = new Set([...(options.offer ? OFFER_ITEMS[options.offer[0]]! : []), ...items.map(([id]) => id)]);
  const prices = Object.fromEntries([...ids].map((id) => [id, PRICES[id]!]));
  const lot: LotPlan = { title, items, prices };
  if (options.offer) lot.offer = { offerId: options.offer[0], count: options.offer[1] };
  if (options.overrides) lot.overrides = options.overrides;
  return lot;
}

const LOTS: LotPlan[] = [
  plan('Lot 1 — Classes mobiles de 30 tablettes pour les collèges', {
    offer: ['classe-mobile-30', 10],
    items: [['tablet-keyboard-case', 300], ['maintenance', 10]],
    overrides: [
      {
        criterionId: 'tablet.storage.user',
        metric: { type: 'numeric', unit: 'Go', comparator: 'gte', value: 128 },
        justification: 'Les élèves conservent leurs productions multimédias sur la tablette pendant toute leur scolarité au collège.',
      },
    ],
  }),
  plan('Lot 2 — Classes mobiles de 16 tablettes pour les SEGPA et ULIS', {
    offer: ['classe-mobile-16', 8],
    items: [['school-server', 8], ['maintenance', 8]],
  }),
  plan('Lot 3 — Salles interactives (écrans, postes enseignants, installation)', {
    offer: ['salle-interactive', 60],
    items: [['wifi-access-point', 60], ['mdm-licence', 60], ['installation', 22], ['maintenance', 22]],
  }),
  plan('Lot 4 — Salles équipées de vidéoprojecteurs interactifs', {
    offer: ['salle-vpi', 40],
    items: [['tablet', 40], ['wifi-access-point', 40], ['installation', 10], ['teacher-training', 40]],
  }),
  plan('Lot 5 — Réseau sans fil et serveurs pédagogiques', {
    items: [['wifi-access-point', 300], ['school-server', 22], ['installation', 22], ['maintenance', 22], ['mdm-licence', 300]],
  }),
  plan('Lot 6 — Postes des enseignants et des documentalistes', {
    items: [['teacher-laptop', 400], ['mdm-licence', 400], ['installation', 22], ['teacher-training', 200]],
  }),
  plan('Lot 7 — Équipement des salles de sciences et de technologie', {
    items: [
      ['interactive-display', 30],
      ['video-projector-interactive', 20],
      ['teacher-laptop', 50],
      ['tablet', 120],
      ['display-installation', 50],
      ['installation', 8],
    ],
  }),
  plan('Lot 8 — Équipement complet des collèges ruraux', {
    items: [
      ['tablet', 90],
      ['tablet-keyboard-case', 90],
      ['teacher-laptop', 12],
      ['charging-cart', 6],
      ['wifi-access-point', 24],
      ['interactive-display', 12],
      ['school-server', 6],
      ['mdm-licence', 90],
      ['installation', 6],
      ['display-installation', 18],
      ['teacher-training', 60],
      ['maintenance', 6],
    ],
  }),
  plan('Lot 9 — Maintenance, formation et accompagnement', {
    items: [['maintenance', 22], ['teacher-training', 600], ['installation', 22], ['display-installation', 22]],
  }),
  plan('Lot 10 — Renouvellement des équipements des ateliers numériques', {
    items: [['tablet', 60], ['teacher-laptop', 30], ['charging-cart', 4], ['wifi-access-point', 8], ['mdm-licence', 60], ['maintenance', 2]],
  }),
];

/** Buyer-written rows added per lot so the large tender lands near 500 requirement rows. */
const LARGE_CUSTOM_PER_LOT = 2;

export function largeRequest(): Record<string, unknown> {
  return {
    buyer: {
      name: 'Département des Hautes-Combes',
      type: 'department',
      address: 'Hôtel du Département, direction de l’éducation, 10 avenue des Collèges, 05000 Gap',
    },
    title:
      'Accord-cadre de fourniture, d’installation et de maintenance des équipements numériques des collèges publics du département',
    reference: 'AC-2026-COL-NUM-XL',
    framework: FRAMEWORK,
    procedure: 'open',
    contract: { form: 'framework-agreement', durationMonths: 48, maximumAmount: 6_500_000 },
    consultationDate: '2026-12-01',
    context:
      'Le Département a la charge de vingt-deux collèges publics (9 400 élèves). Son schéma départemental du numérique éducatif ' +
      'prévoit le déploiement de classes mobiles, le remplacement des vidéoprojecteurs, la couverture Wi-Fi des salles ' +
      "d'enseignement, le renouvellement des postes des enseignants, la maintenance du parc et la formation des équipes. " +
      'Les commandes sont passées par bons de commande, collège par collège, pendant quatre ans.',
    lots: LOTS.map((lot, index) => {
      const out: Record<string, unknown> = {
        title: lot.title,
        items: lot.items.map(([itemId, quantity]) => ({ itemId, quantity })),
        estimatedUnitPrices: lot.prices,
        customRequirements: customRequirements(index + 1, LARGE_CUSTOM_PER_LOT),
        deliverySites: COLLEGES.slice(0, 3 + (index % 6)),
      };
      if (lot.offer) out.offer = lot.offer;
      if (lot.overrides) out.overrides = lot.overrides;
      return out;
    }),
    awardCriteria: [
      { name: 'Prix (application du bordereau des prix unitaires au détail quantitatif estimatif)', type: 'price', theme: 'price', weight: 45 },
      {
        name: 'Valeur technique',
        type: 'quality',
        theme: 'technical',
        weight: 35,
        subCriteria: [
          { name: 'Caractéristiques et robustesse des équipements', weight: 20, theme: 'technical' },
          { name: 'Organisation du déploiement, de la formation et du support', weight: 15, theme: 'service' },
        ],
      },
      {
        name: 'Performance environnementale (durabilité, réparabilité, reprise et réemploi des équipements)',
        type: 'quality',
        theme: 'environmental',
        weight: 15,
      },
      { name: 'Accessibilité des équipements pour les élèves en situation de handicap', type: 'quality', theme: 'accessibility', weight: 5 },
    ],
  };
}

export const REQUESTS: Readonly<Record<BenchSize, () => Record<string, unknown>>> = {
  small: smallRequest,
  medium: mediumRequest,
  large: largeRequest,
};
