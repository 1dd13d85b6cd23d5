import type { Finding } from '#src/core/model/findings.ts';
import { formatDate, formatDecimal, formatMoney, formatMoneyRounded } from '#src/core/model/format.ts';
import type { ResolvedRequirement, ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { BuyerType, Procedure } from '#src/core/model/tender-request.ts';
import { brandsWithoutEquivalent } from './brands.ts';
import { roundCents } from './money.ts';
import { sortFindings } from './order.ts';

/**
 * Legal lint of a resolved tender against the Code de la commande publique (DOMAIN.md §2).
 * Pure and deterministic: the findings come back sorted by severity, code, lot, path.
 */
export function lintTender(tender: ResolvedTender): Finding[] {
  return sortFindings([
    ...awardCriteria(tender),
    ...accessibility(tender),
    ...brands(tender),
    ...repairability(tender),
    ...frameworkAgreement(tender),
    ...procedureThresholds(tender),
    ...allotment(tender),
    ...variants(tender),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Award criteria (R2152-7, R2152-11/12; loi Climat et résilience art. 35)

/** Consultations launched from this date must carry an environmental award criterion. */
export const ENVIRONMENTAL_CRITERION_DATE = '2026-08-22';
const WEIGHT_TOLERANCE = 1e-9;
const FORMALISED: ReadonlySet<Procedure> = new Set(['open', 'restricted']);

function awardCriteria(tender: ResolvedTender): Finding[] {
  const { request } = tender;
  const criteria = request.awardCriteria;
  const findings: Finding[] = [];

  // A negotiation without notice has no competition to rank (e.g. R2122-8 below 40 000 € HT):
  // no criterion is required. Formalised procedures need weighted criteria; a MAPA must still
  // announce how offers will be compared.
  if (criteria.length === 0 && request.procedure !== 'negotiated-without-notice') {
    const formalised = FORMALISED.has(request.procedure);
    findings.push({
      code: 'AWARD_CRITERIA_MISSING',
      severity: formalised ? 'error' : 'warning',
      message: formalised
        ? "Aucun critère d'attribution : en procédure formalisée, les critères d'attribution doivent être définis et pondérés."
        : "Aucun critère d'attribution : en procédure adaptée, les critères doivent tout de même être annoncés aux candidats ; " +
          `l'attribution sur le seul prix n'est plus possible pour les consultations lancées à compter du ${formatDate(ENVIRONMENTAL_CRITERION_DATE)}.`,
      reference: 'CCP R2152-7',
      path: 'awardCriteria',
    });
  }

  if (criteria.length > 0) {
    const sum = criteria.reduce((s, c) => s + c.weight, 0);
    if (Math.abs(sum - 100) > WEIGHT_TOLERANCE) {
      findings.push({
        code: 'AWARD_WEIGHTS_SUM',
        severity: 'error',
        message: `La somme des pondérations des critères d'attribution vaut ${formatDecimal(sum)} % au lieu de 100 %.`,
        reference: 'CCP R2152-7',
        path: 'awardCriteria',
      });
    }
  }

  criteria.forEach((criterion, i) => {
    if (criterion.subCriteria.length === 0) return;
    const sum = criterion.subCriteria.reduce((s, c) => s + c.weight, 0);
    if (Math.abs(sum - criterion.weight) > WEIGHT_TOLERANCE) {
      findings.push({
        code: 'AWARD_SUBCRITERIA_SUM',
        severity: 'warning',
        message:
          `Les sous-critères de « ${criterion.name} » totalisent ${formatDecimal(sum)} % alors que le critère pèse ` +
          `${formatDecimal(criterion.weight)} % : les pondérations communiquées aux candidats doivent être cohérentes.`,
        reference: 'CCP R2152-12',
        path: `awardCriteria.${i}.subCriteria`,
      });
    }
  });

  const environmental = criteria.some(
    (c) => c.theme === 'environmental' || c.subCriteria.some((s) => s.theme === 'environmental'),
  );
  // Same exemption as above: a negotiation without notice and without criteria compares nothing.
  const exempt = criteria.length === 0 && request.procedure === 'negotiated-without-notice';
  if (!environmental && !exempt) {
    const mandatory = request.consultationDate >= ENVIRONMENTAL_CRITERION_DATE;
    findings.push({
      code: 'AWARD_ENVIRONMENTAL_MISSING',
      severity: mandatory ? 'error' : 'warning',
      message: mandatory
        ? "Aucun critère ni sous-critère d'attribution ne porte sur les caractéristiques environnementales de l'offre : " +
          `il est obligatoire pour les consultations lancées à compter du ${formatDate(ENVIRONMENTAL_CRITERION_DATE)}.`
        : "Aucun critère ni sous-critère d'attribution ne porte sur les caractéristiques environnementales de l'offre : " +
          `il deviendra obligatoire pour les consultations lancées à compter du ${formatDate(ENVIRONMENTAL_CRITERION_DATE)} ; il est recommandé dès maintenant.`,
      reference: 'Loi n° 2021-1104, art. 35 ; CCP L2152-7',
      path: 'awardCriteria',
    });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Technical specifications (R2111-4 ff., R2111-7; loi AGEC art. 55)

const ACCESSIBILITY_TEXT = /accessibilit[ée]|handicap|(?<![\p{L}\p{N}])RGAA(?![\p{L}\p{N}])|EN\s*301[\s\u00a0\u202f]*549/iu;

const allRequirements = (tender: ResolvedTender): ResolvedRequirement[] => tender.lots.flatMap((l) => l.requirements);

function accessibility(tender: ResolvedTender): Finding[] {
  const covered = allRequirements(tender).some(
    (r) =>
      r.category === 'accessibility' ||
      (r.source === 'buyer' && (ACCESSIBILITY_TEXT.test(r.label) || ACCESSIBILITY_TEXT.test(r.requirement))),
  );
  if (covered) return [];
  // The request has no field to justify the absence (R2111-4 "sauf cas dûment justifié"): an error.
  const dropped = tender.lots.flatMap((l) => l.excluded.map((e) => ({ lot: l.number, ...e }))).find((e) => e.criterion.category === 'accessibility');
  const finding: Finding = {
    code: 'ACCESSIBILITY_MISSING',
    severity: 'error',
    message: dropped
      ? `Aucune exigence d'accessibilité aux personnes handicapées ne subsiste : le critère « ${dropped.criterion.label} » a été exclu du lot ${dropped.lot}. ` +
        'Les spécifications techniques doivent comporter des critères d\'accessibilité (EN 301 549, RGAA).'
      : "Aucune exigence d'accessibilité aux personnes handicapées : les spécifications techniques doivent en comporter " +
        '(par exemple EN 301 549 pour les équipements, RGAA pour les services numériques).',
    reference: 'CCP R2111-4',
  };
  if (dropped) {
    finding.path = dropped.path;
    finding.lot = dropped.lot;
  }
  return [finding];
}

interface BuyerText {
  path: string;
  field: string;
  text: string;
  lot?: number;
}

/** Every free text the buyer wrote that ends up in the documents. */
function buyerTexts(tender: ResolvedTender): BuyerText[] {
  const { request } = tender;
  const texts: BuyerText[] = [{ path: 'title', field: 'le titre de la consultation', text: request.title }];
  if (request.context !== undefined) texts.push({ path: 'context', field: 'le contexte', text: request.context });
  if (request.allotmentJustification !== undefined) {
    texts.push({ path: 'allotmentJustification', field: "la justification de l'absence d'allotissement", text: request.allotmentJustification });
  }
  request.lots.forEach((lot, i) => {
    const n = i + 1;
    texts.push({ path: `lots.${i}.title`, field: `l'intitulé du lot ${n}`, text: lot.title, lot: n });
    lot.overrides.forEach((o, j) => {
      if (o.justification !== undefined) {
        texts.push({ path: `lots.${i}.overrides.${j}.justification`, field: `la justification de la modification du critère ${o.criterionId} (lot ${n})`, text: o.justification, lot: n });
      }
    });
    lot.customRequirements.forEach((c, j) => {
      texts.push({ path: `lots.${i}.customRequirements.${j}.label`, field: `l'intitulé de l'exigence « ${c.label} » (lot ${n})`, text: c.label, lot: n });
      texts.push({ path: `lots.${i}.customRequirements.${j}.requirement`, field: `le texte de l'exigence « ${c.label} » (lot ${n})`, text: c.requirement, lot: n });
    });
  });
  if (request.variants.description !== undefined) {
    texts.push({ path: 'variants.description', field: 'la description des variantes', text: request.variants.description });
  }
  if (request.variants.minimumRequirements !== undefined) {
    texts.push({ path: 'variants.minimumRequirements', field: 'les exigences minimales des variantes', text: request.variants.minimumRequirements });
  }
  request.options.forEach((o, i) => {
    texts.push({ path: `options.${i}.label`, field: `l'intitulé de l'option ${i + 1}`, text: o.label });
    texts.push({ path: `options.${i}.description`, field: `la description de l'option ${i + 1}`, text: o.description });
  });
  return texts;
}

function brands(tender: ResolvedTender): Finding[] {
  return buyerTexts(tender).flatMap((t): Finding[] => {
    const found = brandsWithoutEquivalent(t.text);
    if (found.length === 0) return [];
    const names = found.map((b) => `« ${b} »`).join(', ');
    const finding: Finding = {
      code: 'BRAND_WITHOUT_EQUIVALENT',
      severity: 'warning',
      message:
        `${found.length > 1 ? 'Marques ou modèles cités' : 'Marque ou modèle cité'} dans ${t.field} sans la mention « ou équivalent » : ${names}. ` +
        'Décrivez le besoin en performances ou fonctionnalités, ou ajoutez « ou équivalent ».',
      reference: 'CCP R2111-7',
      path: t.path,
    };
    if (t.lot !== undefined) finding.lot = t.lot;
    return [finding];
  });
}

const REPAIRABILITY_ID = /repairability|durability/;
const REPAIRABILITY_LABEL = /r[ée]parabilit[ée]|durabilit[ée]/iu;

/**
 * Checked per lot: each lot buying tablets or laptops must take the repairability (or, from
 * 2026, durability) index into account itself; a criterion in another lot covers other devices.
 */
function repairability(tender: ResolvedTender): Finding[] {
  return tender.lots.flatMap((lot): Finding[] => {
    const devices = lot.lines.filter((l) => l.item.category === 'tablet' || l.item.category === 'laptop');
    if (devices.length === 0) return [];
    const considered = lot.requirements.some((r) => REPAIRABILITY_ID.test(r.id) || REPAIRABILITY_LABEL.test(r.label));
    if (considered) return [];
    const dropped = lot.excluded.find((e) => REPAIRABILITY_ID.test(e.criterion.id) || REPAIRABILITY_LABEL.test(e.criterion.label));
    const finding: Finding = {
      code: 'REPAIRABILITY_NOT_CONSIDERED',
      severity: 'warning',
      message:
        `Le lot ${lot.number} achète des ${[...new Set(devices.map((d) => d.item.label))].join(', ')} sans exigence sur l'indice de réparabilité ` +
        "ou de durabilité : l'acheteur public doit en tenir compte pour les produits numériques.",
      reference: 'Loi n° 2020-105 (AGEC), art. 55',
      lot: lot.number,
      path: dropped ? dropped.path : `lots.${lot.number - 1}`,
    };
    if (dropped) finding.criterionId = dropped.criterion.id;
    return [finding];
  });
}

// ---------------------------------------------------------------------------------------------
// Framework agreements (R2162-4)

const FRAMEWORK_MAX_MONTHS = 48;

function frameworkAgreement(tender: ResolvedTender): Finding[] {
  const { contract } = tender.request;
  if (contract.form !== 'framework-agreement') return [];
  const findings: Finding[] = [];
  if (contract.maximumAmount === undefined && contract.maximumQuantity === undefined) {
    findings.push({
      code: 'FRAMEWORK_AGREEMENT_MAXIMUM_MISSING',
      severity: 'error',
      message: "L'accord-cadre doit fixer un montant maximum ou une quantité maximum.",
      reference: 'CCP R2162-4',
      path: 'contract.maximumAmount',
    });
  }
  if (contract.durationMonths > FRAMEWORK_MAX_MONTHS) {
    findings.push({
      code: 'FRAMEWORK_AGREEMENT_TOO_LONG',
      severity: 'error',
      message:
        `L'accord-cadre dure ${contract.durationMonths} mois : la durée ne peut dépasser 4 ans (48 mois), ` +
        "sauf cas exceptionnel dûment justifié par son objet ; la demande ne permettant pas de porter cette justification, ramenez la durée à 48 mois.",
      reference: 'CCP R2162-4 3°',
      path: 'contract.durationMonths',
    });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Procedure thresholds (R2121-1 ff., R2122-8, R2124-1; avis relatif aux seuils 2026-2027)

/** Thresholds for supplies and services, euros excl. VAT, 2026-2027. */
export const FORMALISED_THRESHOLD_CENTRAL = 140_000;
export const FORMALISED_THRESHOLD_OTHER = 216_000;
export const NO_ADVERTISING_THRESHOLD = 40_000;
const CENTRAL_BUYERS: ReadonlySet<BuyerType> = new Set(['central-state', 'central-purchasing-body']);

export function formalisedThreshold(buyer: BuyerType): number {
  return CENTRAL_BUYERS.has(buyer) ? FORMALISED_THRESHOLD_CENTRAL : FORMALISED_THRESHOLD_OTHER;
}

export interface ProcedureEstimate {
  /** Euros excl. VAT; a lower bound when `complete` is false. */
  value: number;
  complete: boolean;
  source: 'framework-maximum' | 'lots';
  /** Paths of the missing unit prices. */
  missing: { path: string; lot: number; label: string }[];
}

/**
 * The estimated value of the purchase: the maximum of a framework agreement when set, otherwise
 * Σ quantity × estimated unit price over all the lots together (R2121-6: lots are never split to
 * dodge a threshold).
 */
export function estimateProcedureValue(tender: ResolvedTender): ProcedureEstimate {
  const { contract } = tender.request;
  if (contract.form === 'framework-agreement' && contract.maximumAmount !== undefined) {
    return { value: contract.maximumAmount, complete: true, source: 'framework-maximum', missing: [] };
  }
  let value = 0;
  const missing: ProcedureEstimate['missing'] = [];
  for (const lot of tender.lots) {
    for (const line of lot.lines) {
      if (line.estimatedUnitPrice === undefined) {
        missing.push({ path: `lots.${lot.number - 1}.estimatedUnitPrices.${line.item.id}`, lot: lot.number, label: line.item.label });
      } else {
        value += line.quantity * line.estimatedUnitPrice;
      }
    }
  }
  return { value: roundCents(value), complete: missing.length === 0, source: 'lots', missing };
}

/** Whole euros print without cents, other amounts with them, so 215 999,99 € never reads 216 000 €. */
const money = (euros: number): string => (Number.isInteger(euros) ? formatMoneyRounded(euros) : formatMoney(euros));

/**
 * - value ≥ formalised threshold with `adapted` or `negotiated-without-notice` → PROCEDURE_REQUIRED_FORMALISED (error).
 * - 40 000 € ≤ value < threshold with `negotiated-without-notice` → PROCEDURE_ADVERTISING_REQUIRED
 *   (error): publicity and competition are required (an adapted procedure at least). The cases of
 *   R2122-1 to R2122-11 (urgency, exclusivity, unsuccessful procedure…) cannot be recorded in a
 *   request yet, so like the formalised case this stays an error rather than a guess.
 * - value < 40 000 € with any other procedure → PROCEDURE_BELOW_THRESHOLD (info, R2122-8).
 * - An incomplete estimate raises PROCEDURE_ESTIMATE_MISSING (info); the known part is a lower
 *   bound, so it can still prove a threshold is crossed, never that the value is below one.
 */
function procedureThresholds(tender: ResolvedTender): Finding[] {
  const { request } = tender;
  const estimate = estimateProcedureValue(tender);
  const threshold = formalisedThreshold(request.buyer.type);
  const findings: Finding[] = [];
  const valueText = `${estimate.complete ? '' : 'au moins '}${money(estimate.value)} HT`;
  const basis = estimate.source === 'framework-maximum' ? "(montant maximum de l'accord-cadre)" : '(tous lots confondus)';

  const first = estimate.missing[0];
  if (first !== undefined) {
    findings.push({
      code: 'PROCEDURE_ESTIMATE_MISSING',
      severity: 'info',
      message:
        `Valeur estimée incomplète : ${estimate.missing.length} ligne(s) sans prix unitaire estimé (dont « ${first.label} », lot ${first.lot}). ` +
        `Le choix de la procédure dépend de la valeur de tous les lots ; montant connu : ${money(estimate.value)} HT.`,
      reference: 'CCP R2121-1 à R2121-6',
      path: first.path,
    });
  }

  const adaptedOrLess = request.procedure === 'adapted' || request.procedure === 'negotiated-without-notice';
  if (estimate.value >= threshold && adaptedOrLess) {
    findings.push({
      code: 'PROCEDURE_REQUIRED_FORMALISED',
      severity: 'error',
      message:
        `Valeur estimée ${valueText} ${basis}, supérieure ou égale au seuil de ${formatMoneyRounded(threshold)} HT : ` +
        "une procédure formalisée (appel d'offres ouvert ou restreint) est requise.",
      reference: 'CCP R2124-1 ; avis relatif aux seuils de procédure 2026-2027',
      path: 'procedure',
    });
  } else if (
    request.procedure === 'negotiated-without-notice' &&
    estimate.value >= NO_ADVERTISING_THRESHOLD
  ) {
    findings.push({
      code: 'PROCEDURE_ADVERTISING_REQUIRED',
      severity: 'error',
      message:
        `Valeur estimée ${valueText} ${basis}, supérieure ou égale à ${formatMoneyRounded(NO_ADVERTISING_THRESHOLD)} HT : ` +
        'un marché sans publicité ni mise en concurrence n\'est possible que dans les cas des articles R2122-1 à R2122-11 ; ' +
        'sinon une procédure adaptée au moins est requise.',
      reference: 'CCP R2122-8',
      path: 'procedure',
    });
  }
  if (estimate.complete && estimate.value < NO_ADVERTISING_THRESHOLD && request.procedure !== 'negotiated-without-notice') {
    findings.push({
      code: 'PROCEDURE_BELOW_THRESHOLD',
      severity: 'info',
      message:
        `Valeur estimée ${valueText} ${basis}, inférieure à ${formatMoneyRounded(NO_ADVERTISING_THRESHOLD)} HT : ` +
        "l'acheteur peut passer le marché sans publicité ni mise en concurrence préalables, en veillant à une bonne utilisation des deniers publics.",
      reference: 'CCP R2122-8',
      path: 'procedure',
    });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Lots and variants (L2113-10/11, R2151-8 ff.)

function allotment(tender: ResolvedTender): Finding[] {
  if (tender.lots.length !== 1) return [];
  const lot = tender.lots[0]!;
  const natures = new Set(lot.lines.map((l) => l.item.nature));
  if (!(natures.has('supply') && natures.has('service'))) return [];
  const justified = tender.request.allotmentJustification !== undefined;
  return [
    {
      code: 'ALLOTMENT_SINGLE_LOT_MIXED',
      severity: justified ? 'info' : 'warning',
      message: justified
        ? "Lot unique regroupant fournitures et services : la justification de l'absence d'allotissement est reprise dans les documents."
        : "Lot unique regroupant fournitures et services : l'allotissement est la règle ; séparez les prestations en lots " +
          "ou motivez l'absence d'allotissement (prestations indissociables, coordination impossible, coût ou concurrence).",
      reference: 'CCP L2113-10 et L2113-11',
      path: 'allotmentJustification',
      lot: lot.number,
    },
  ];
}

function variants(tender: ResolvedTender): Finding[] {
  const { request } = tender;
  if (!request.variants.allowed) return [];
  const findings: Finding[] = [];
  if (request.variants.minimumRequirements === undefined) {
    findings.push({
      code: 'VARIANTS_MINIMUM_REQUIREMENTS_MISSING',
      severity: 'error',
      message: 'Les variantes sont autorisées sans exigences minimales : indiquez celles que les variantes doivent respecter et leurs modalités de présentation.',
      reference: 'CCP R2151-8 à R2151-11',
      path: 'variants.minimumRequirements',
    });
  }
  if (FORMALISED.has(request.procedure)) {
    findings.push({
      code: 'VARIANTS_FORMALISED_EXPLICIT',
      severity: 'info',
      message:
        "En procédure formalisée, les variantes sont interdites par défaut pour un pouvoir adjudicateur : l'avis de marché " +
        'ou le règlement de la consultation doit les autoriser expressément.',
      reference: 'CCP R2151-8',
      path: 'variants.allowed',
    });
  }
  return findings;
}
