import { fingerprint } from '#src/core/model/fingerprint.ts';
import { FundingProgrammeSchema, type FundingProgramme, type FundingProgrammeInput, type FundingTerms } from './programme.ts';

/**
 * The co-funding programmes Cahier knows (DOMAIN.md C11), data only. Historical programmes are kept
 * with their closed application windows, so an estimate for a past date is right and an estimate
 * for today says plainly that they are closed.
 */
const HARDWARE = ['tablet', 'laptop', 'charging-cart', 'wifi-access-point', 'network', 'interactive-display', 'server-storage'] as const;
/** Communes and their groupings equipping their primary schools' hardware (SNEE, TNE schools). */
const PRIMARY_SCHOOL_HARDWARE: Pick<FundingTerms, 'buyerTypes' | 'schoolLevels' | 'expenses'> = {
  buyerTypes: ['municipality', 'intercommunal'],
  schoolLevels: ['primary'],
  expenses: [...HARDWARE],
};
/** 70 % of a project's spending below 200 000 € HT, 50 % from it (DOMAIN.md C11). */
const TIERS_70_50 = [{ below: 200_000, rate: 0.7 }, { below: null, rate: 0.5 }];

const PROGRAMMES: FundingProgrammeInput[] = [
  {
    id: 'plan-numerique-colleges-2016',
    name: 'Plan numérique pour l’éducation — collèges numériques et innovation pédagogique (2015–2017)',
    operator: 'État (programme d’investissements d’avenir), appel à projets du ministère de l’éducation nationale',
    applications: {
      from: '2015-11-01',
      until: '2017-12-31',
      verification: 'unverified',
      note: 'Appel à projets de novembre 2015 (dépôt au 30 janvier 2016, seconde phase au 31 mars 2016), reconduit en 2017 ; la date de clôture retenue est la fin du plan.',
    },
    terms: [
      {
        buyerTypes: ['department', 'school'],
        schoolLevels: ['college'],
        expenses: ['tablet', 'laptop'],
        rate: { kind: 'flat', rate: 0.5 },
        capPerDevice: { pupil: 190, teacher: 380 },
        note: 'Un euro de l’État pour un euro de la collectivité, au plus 190 € par élève et 380 € par enseignant équipés ; 30 € par élève pour les ressources (non modélisé).',
      },
    ],
    sources: [
      'https://www.avicca.org/actualite/equiper-les-collegiens-en-attendant-quils-sequipent',
      'https://gestionnaires.actifforum.com/t33785-college-numerique-2016?theme_id=178978',
    ],
    verification: 'verified',
  },
  {
    id: 'snee-2021',
    name: 'Socle numérique dans les écoles élémentaires (plan de relance, 2021)',
    operator: 'État (plan de relance), ministère de l’éducation nationale, via Démarches simplifiées',
    applications: { from: '2021-01-14', until: '2021-03-31', verification: 'verified' },
    terms: [
      {
        ...PRIMARY_SCHOOL_HARDWARE,
        rate: { kind: 'project-tiers', tiers: TIERS_70_50, projectCeiling: 1_000_000 },
        note: '70 % sous 200 000 € de dépense par projet, 50 % de 200 000 € à 1 M€ (DOMAIN.md C11) ; plafonds par classe non vérifiés.',
      },
    ],
    sources: ['https://education.gouv.fr/plan-de-relance-continuite-pedagogique-appel-projets-pour-un-socle-numerique-dans-les-ecoles-308341'],
    verification: 'unverified',
    note: 'Window verified (education.gouv.fr); the tier semantics (one rate for the whole project, chosen by its spending) follow DOMAIN.md C11 and were not confirmed in the call text.',
  },
  {
    id: 'tne',
    name: 'Territoires numériques éducatifs (TNE)',
    operator: 'État (France 2030, ex-PIA 4) avec la Banque des Territoires, par l’intermédiaire des départements retenus',
    applications: {
      from: '2022-01-01',
      until: null,
      verification: 'unverified',
      note: 'Appels à manifestation d’intérêt propres à chaque département (2022 à 2024 dans les sources lues) ; aucune date de fin publiée n’a été trouvée.',
    },
    territory: 'Seulement dans les départements retenus au titre des TNE, selon le calendrier de leur appel à manifestation d’intérêt.',
    terms: [
      {
        ...PRIMARY_SCHOOL_HARDWARE,
        rate: { kind: 'project-tiers', tiers: TIERS_70_50 },
        note: 'Matériel des écoles : 70 % pour une dépense inférieure à 200 000 € HT, 50 % au-delà.',
      },
      {
        buyerTypes: ['department'],
        schoolLevels: ['college'],
        expenses: [...HARDWARE],
        rate: { kind: 'flat', rate: 0.5 },
        note: 'Matériel des collèges : 50 %.',
      },
    ],
    sources: [
      'https://www.lavienne86.fr/le-departement/les-priorites-de-la-vienne/dispositif-territoires-numeriques-educatifs/financement',
      'https://www.doubs.fr/index.php/rubriquenewsletter/item/5904-tne-des-aides-pour-equiper-les-ecoles-et-les-colleges-du-doubs',
      'https://www.isere.fr/actualites/deploiement-du-tne-dans-les-colleges-prives',
    ],
    verification: 'verified',
  },
];

export const FUNDING_PROGRAMMES: readonly FundingProgramme[] = PROGRAMMES.map((p) => FundingProgrammeSchema.parse(p));

/** Fingerprint of the programme records, reported with every estimate (see `fingerprint`). */
export const FUNDING_VERSION = fingerprint(FUNDING_PROGRAMMES);

export function fundingProgramme(id: string): FundingProgramme | undefined {
  return FUNDING_PROGRAMMES.find((p) => p.id === id);
}
