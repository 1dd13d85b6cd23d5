import type { AuthorityType, Category, Level, Proof } from '#src/core/model/criterion.ts';
import type { Severity } from '#src/core/model/findings.ts';
import type { CriterionChange } from '#src/core/products/framework-diff.ts';
import type { AwardTheme, BuyerType, Contract, Procedure } from '#src/core/model/tender-request.ts';
import type { FrameworkType } from '#src/core/model/tender-request-v2.ts';

/** French wording of the domain's enumerations, shared by every document format. */

export const CATEGORY_LABELS: Record<Category | 'buyer', string> = {
  tablet: 'Tablettes',
  laptop: 'Postes enseignants et ordinateurs portables',
  'charging-cart': 'Chariots et unités de recharge',
  'wifi-access-point': 'Points d’accès Wi-Fi',
  network: 'Réseau, filtrage et sécurité',
  'interactive-display': 'Écrans et vidéoprojecteurs interactifs',
  'server-storage': 'Serveurs et stockage',
  mdm: 'Gestion de flotte (MDM)',
  services: 'Livraison, installation et mise en service',
  training: 'Formation et accompagnement',
  'warranty-support': 'Garantie, maintenance et support',
  accessibility: 'Accessibilité',
  environment: 'Performance environnementale',
  buyer: 'Exigences complémentaires de l’acheteur',
};

/** Order in which requirement groups appear in each lot. */
export const CATEGORY_ORDER: ReadonlyArray<Category | 'buyer'> = [
  'tablet',
  'laptop',
  'interactive-display',
  'charging-cart',
  'wifi-access-point',
  'network',
  'server-storage',
  'mdm',
  'accessibility',
  'services',
  'training',
  'warranty-support',
  'environment',
  'buyer',
];

export const LEVEL_LABELS: Record<Level, string> = {
  minimum: 'Exigence minimale',
  assessed: 'Appréciée',
};

export const PROOF_LABELS: Record<Proof, string> = {
  datasheet: 'Fiche technique',
  certificate: 'Certificat',
  'label-or-equivalent': 'Label ou équivalent',
  declaration: 'Déclaration du candidat',
  'test-report': 'Rapport d’essai',
  'service-description': 'Mémoire technique',
  sample: 'Échantillon',
};

export const AUTHORITY_LABELS: Record<AuthorityType, string> = {
  ministry: 'Ministère',
  'funding-programme': 'Programme de financement',
  law: 'Réglementation',
  'academic-guidance': 'Recommandation académique',
  'market-practice': 'Usage du marché',
  buyer: 'Acheteur',
};

export const BUYER_TYPE_LABELS: Record<BuyerType, string> = {
  municipality: 'Commune',
  intercommunal: 'Établissement public de coopération intercommunale',
  department: 'Département',
  region: 'Région',
  school: 'Établissement scolaire',
  'central-state': 'Administration centrale de l’État',
  'central-purchasing-body': 'Centrale d’achat',
  other: 'Autre acheteur public',
};

export const PROCEDURE_LABELS: Record<Procedure, string> = {
  'negotiated-without-notice': 'Marché sans publicité ni mise en concurrence préalables (article R2122-8 du code de la commande publique)',
  adapted: 'Procédure adaptée (articles L2123-1 et R2123-1 du code de la commande publique)',
  open: 'Appel d’offres ouvert (articles L2124-2 et R2124-2 du code de la commande publique)',
  restricted: 'Appel d’offres restreint (articles L2124-2, R2124-2 et R2161-6 à R2161-11 du code de la commande publique)',
};

/** An accord-cadre by how it is executed: purchase orders with one or several holders, or subsequent contracts. */
export const FRAMEWORK_TYPE_LABELS: Record<FrameworkType, string> = {
  'purchase-orders-single': 'Accord-cadre à bons de commande, attribué à un seul titulaire',
  'purchase-orders-multiple': 'Accord-cadre à bons de commande, attribué à plusieurs titulaires',
  'subsequent-contracts': 'Accord-cadre à marchés subséquents',
};

/**
 * The contract's form as every document prints it, an accord-cadre with its type. One whose type
 * the request does not state (version 1) is executed by purchase orders, as its CCAP and its
 * BPU/DQE have it, and is named so.
 */
export function contractFormLabel(contract: { form: Contract['form']; frameworkType?: FrameworkType | undefined }): string {
  if (contract.form === 'ordinary') return 'Marché ordinaire';
  return contract.frameworkType ? FRAMEWORK_TYPE_LABELS[contract.frameworkType] : 'Accord-cadre à bons de commande';
}

export const AWARD_THEME_LABELS: Record<AwardTheme, string> = {
  price: 'Prix',
  technical: 'Valeur technique',
  environmental: 'Performance environnementale',
  social: 'Performance sociale',
  service: 'Qualité du service',
  accessibility: 'Accessibilité',
  delivery: 'Délais et conditions de livraison',
};

export const SEVERITY_LABELS: Record<Severity, string> = {
  error: 'Bloquant',
  warning: 'Avertissement',
  info: 'Information',
};

/** How a criterion changes from one framework version to the next (changelog, publication preview). */
export const CHANGE_LABELS: Record<CriterionChange, string> = {
  added: 'ajouté',
  removed: 'retiré',
  tightened: 'renforcé',
  loosened: 'assoupli',
  'level-raised': 'devient exigence minimale',
  'level-lowered': 'devient seulement apprécié',
  rewritten: 'réécrit',
};

export function changeLabels(changes: readonly CriterionChange[]): string {
  return changes.map((c) => CHANGE_LABELS[c]).join(', ');
}
