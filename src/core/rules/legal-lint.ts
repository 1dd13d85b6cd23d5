import type { Finding } from '#src/core/model/findings.ts';
import { formatDate, formatDecimal, formatMoney, formatMoneyRounded } from '#src/core/model/format.ts';
import type { ResolvedRequirement, ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { FORMALISED_PROCEDURES, type AwardCriterion, type Procedure, type Variants } from '#src/core/model/tender-request.ts';
import type { ItemLine } from '#src/core/model/tender-request-v2.ts';
import { LAW, lawAt, quoteLaw, type LawId, type LawRecord } from '#src/core/law/law.ts';
import { brandsWithoutEquivalent } from './brands.ts';
import { estimateValue, type EstimatedValue } from './estimated-value.ts';
import { sortFindings } from './order.ts';

export { estimateValue, type EstimatedValue } from './estimated-value.ts';

/**
 * Legal lint of a resolved tender against the Code de la commande publique. Every threshold, date
 * and reference comes from the law records in force on the consultation date (src/core/law), and
 * every finding quotes the record it applied: the values compared, the reference, the source and
 * what to do. Pure and deterministic: the findings come back sorted by severity, code, lot, path.
 */
export function lintTender(tender: ResolvedTender): Finding[] {
  const law = new LawReader(tender.request.consultationDate);
  const estimate = estimateValue(tender);
  const findings = [
    ...awardCriteria(tender, law),
    ...executionConditions(tender, law, estimate),
    ...accessibility(tender, law),
    ...brands(tender, law),
    ...repairability(tender, law),
    ...frameworkAgreement(tender, law),
    ...lotMaximaBelowEstimate(tender, law, estimate),
    ...procedureThresholds(tender, law, estimate),
    ...allotment(tender, law),
    ...variants(tender, law),
  ];
  return sortFindings([...findings, ...law.missingFindings()]);
}

/**
 * The records in force on one consultation date, and the findings that say so when a rule needs
 * a record the data does not hold for that date (a new legal period not yet entered).
 */
class LawReader {
  private readonly missing = new Set<LawId>();
  constructor(readonly date: string) {}

  /** The record governing the date; undefined (and a LAW_RECORD_MISSING finding) when none. */
  get(id: LawId): LawRecord | undefined {
    const record = lawAt(id, this.date);
    if (!record) this.missing.add(id);
    return record;
  }

  /** The record only if in force, without complaining: for obligations that start on a date. */
  inForce(id: LawId): LawRecord | undefined {
    return lawAt(id, this.date);
  }

  /** The next record of `id` after the date, for « deviendra obligatoire le … ». */
  next(id: LawId): LawRecord | undefined {
    return LAW.filter((r) => r.id === id && r.from > this.date).sort((a, b) => (a.from < b.from ? -1 : 1))[0];
  }

  /** « seuil 60 000 € HT en vigueur au 5 mai 2026 » */
  quote(record: LawRecord, noun?: string): string {
    return quoteLaw(record, this.date, noun);
  }

  missingFindings(): Finding[] {
    return [...this.missing].sort().map((id) => ({
      code: 'LAW_RECORD_MISSING' as const,
      severity: 'warning' as const,
      message:
        `Aucune règle « ${id} » n’est enregistrée pour une consultation lancée le ${formatDate(this.date)} : ` +
        'la vérification correspondante n’a pas pu être faite.',
      reference: 'Cahier, données juridiques (src/core/law/records.ts)',
      action: 'Vérifiez la règle applicable à cette date ; la donnée manquante doit être ajoutée avec sa source.',
      ruleId: id,
    }));
  }
}

/** A finding that applies `record`: reference, source and rule id come from it. */
function cite(record: LawRecord, finding: Omit<Finding, 'reference' | 'source' | 'ruleId'>): Finding {
  return { ...finding, reference: record.reference.citation, source: record.source, ruleId: record.id };
}

/** Whole euros print without cents, other amounts with them, so 215 999,99 € never reads 216 000 €. */
const money = (euros: number): string => (Number.isInteger(euros) ? formatMoneyRounded(euros) : formatMoney(euros));

// ---------------------------------------------------------------------------------------------
// Award criteria (L2152-7, R2152-7, R2152-11, R2152-12; loi Climat et résilience art. 35)

const WEIGHT_TOLERANCE = 1e-9;

/**
 * The file's criteria (every lot of a version 1 request, the lots of a version 2 request that state
 * none), then each lot's own criteria, checked alike: weights sum to 100 within the lot and
 * sub-criteria within their criterion, an environmental criterion that counts.
 */
function awardCriteria(tender: ResolvedTender, law: LawReader): Finding[] {
  const own = tender.lots.filter((lot) => lot.ownAwardCriteria);
  const fileUsed = own.length < tender.lots.length;
  return [
    ...(fileUsed ? criteriaFindings(tender.request.awardCriteria, { prefix: 'awardCriteria' }, tender, law) : []),
    ...own.map((lot) => criteriaFindings(lot.awardCriteria, { prefix: `lots.${lot.number - 1}.awardCriteria`, lot: lot.number }, tender, law)).flat(),
  ];
}

function criteriaFindings(criteria: readonly AwardCriterion[], scope: { prefix: string; lot?: number }, tender: ResolvedTender, law: LawReader): Finding[] {
  const { request } = tender;
  const found: Finding[] = [];
  const ofLot = scope.lot === undefined ? '' : ` (lot ${scope.lot})`;
  const findings = {
    push: (finding: Finding) => found.push(scope.lot === undefined ? finding : { ...finding, lot: scope.lot, message: finding.message.replace(/([.:])?$/, `${ofLot}$1`) }),
  };
  const formalised = FORMALISED_PROCEDURES.has(request.procedure);
  const environmentalRule = law.inForce('award.environmental-criterion');
  const upcoming = environmentalRule ? undefined : law.next('award.environmental-criterion');

  // A negotiation without notice has no competition to rank: no criterion is required.
  const exempt = criteria.length === 0 && request.procedure === 'negotiated-without-notice';
  if (criteria.length === 0 && !exempt) {
    const record = law.get(formalised ? 'award.weighting' : 'award.criteria');
    if (record) {
      findings.push(
        cite(record, {
          code: 'AWARD_CRITERIA_MISSING',
          severity: formalised ? 'error' : 'warning',
          message: formalised
            ? 'Aucun critère d’attribution : en procédure formalisée, les critères d’attribution doivent être définis et pondérés.'
            : 'Aucun critère d’attribution : en procédure adaptée, les critères doivent tout de même être annoncés aux candidats.',
          action: 'Définissez les critères d’attribution et leurs pondérations (dont un critère environnemental).',
          comparison: `aucun critère d’attribution, procédure ${formalised ? 'formalisée' : 'adaptée'}`,
          path: scope.prefix,
        }),
      );
    }
  }

  if (criteria.length > 0) {
    const sum = criteria.reduce((s, c) => s + c.weight, 0);
    const record = law.get('award.weighting');
    if (record && Math.abs(sum - 100) > WEIGHT_TOLERANCE) {
      findings.push(
        cite(record, {
          code: 'AWARD_WEIGHTS_SUM',
          severity: 'error',
          message: `La somme des pondérations des critères d’attribution vaut ${formatDecimal(sum)} % au lieu de 100 %.`,
          comparison: `total ${formatDecimal(sum)} %, attendu 100 %`,
          action: 'Corrigez les pondérations pour qu’elles totalisent 100 %.',
          path: scope.prefix,
        }),
      );
    }
  }

  criteria.forEach((criterion, i) => {
    if (criterion.subCriteria.length === 0) return;
    const sum = criterion.subCriteria.reduce((s, c) => s + c.weight, 0);
    const record = law.get('award.subcriteria-disclosure');
    if (record && Math.abs(sum - criterion.weight) > WEIGHT_TOLERANCE) {
      findings.push(
        cite(record, {
          code: 'AWARD_SUBCRITERIA_SUM',
          severity: 'warning',
          message:
            `Les sous-critères de « ${criterion.name} » totalisent ${formatDecimal(sum)} % alors que le critère pèse ` +
            `${formatDecimal(criterion.weight)} % : les pondérations communiquées aux candidats doivent être cohérentes.`,
          comparison: `sous-critères ${formatDecimal(sum)} %, critère ${formatDecimal(criterion.weight)} %`,
          action: 'Alignez la somme des sous-critères sur le poids du critère.',
          path: `${scope.prefix}.${i}.subCriteria`,
        }),
      );
    }
  });

  if (exempt) return found;
  // What counts: a criterion of non-zero weight whose theme is environmental or that says it covers
  // the environmental characteristics (a life-cycle cost, R2152-7 1°), or an environmental
  // sub-criterion of non-zero weight. A criterion weighted 0 % decides nothing.
  const counts = criteria.some(
    (c) =>
      c.weight > 0 &&
      (c.theme === 'environmental' || c.environmental === true || c.subCriteria.some((s) => s.theme === 'environmental' && s.weight > 0)),
  );
  if (counts) return found;
  const zero = criteria.find((c) => c.weight === 0 && (c.theme === 'environmental' || c.environmental === true));
  const singlePrice = criteria.length === 1 && criteria[0]!.type === 'price';
  const why = zero
    ? `le critère « ${zero.name} » pèse 0 % et ne compte donc pas`
    : singlePrice
      ? 'le seul critère retenu est le prix, et seul un critère unique de coût prenant en compte les caractéristiques environnementales est admis'
      : 'aucun critère ni sous-critère pondéré ne porte sur les caractéristiques environnementales de l’offre';
  const action =
    'Ajoutez un critère (ou sous-critère) environnemental de poids non nul, ou retenez un critère unique de coût ' +
    '(coût du cycle de vie) qui prend en compte les caractéristiques environnementales de l’offre.';
  if (environmentalRule) {
    findings.push(
      cite(environmentalRule, {
        code: 'AWARD_ENVIRONMENTAL_MISSING',
        severity: 'error',
        message: `Les caractéristiques environnementales de l’offre ne sont prises en compte par aucun critère d’attribution : ${why}. Cette prise en compte est obligatoire pour les consultations lancées à compter du ${formatDate(environmentalRule.from)}.`,
        comparison: `consultation lancée le ${formatDate(law.date)}, ${law.quote(environmentalRule, 'obligation')}`,
        action,
        path: zero ? `${scope.prefix}.${criteria.indexOf(zero)}.weight` : scope.prefix,
      }),
    );
  } else if (upcoming) {
    findings.push(
      cite(upcoming, {
        code: 'AWARD_ENVIRONMENTAL_MISSING',
        severity: 'warning',
        message: `Les caractéristiques environnementales de l’offre ne sont prises en compte par aucun critère d’attribution : ${why}. Cette prise en compte deviendra obligatoire pour les consultations lancées à compter du ${formatDate(upcoming.from)} ; il est recommandé dès maintenant.`,
        comparison: `consultation lancée le ${formatDate(law.date)}, obligation à compter du ${formatDate(upcoming.from)}`,
        action,
        path: scope.prefix,
      }),
    );
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Execution conditions (L2112-2, L2112-2-1)

const ENVIRONMENTAL_TEXT = /environnement|r[ée]emploi|recycl|reconditionn|emballage|carbone|d[ée]chets|DEEE|fin de vie|reprise/iu;
const SOCIAL_TEXT = /insertion|clause sociale|emploi|ESAT|entreprises? adapt[ée]es?|SIAE|ch[ôo]meurs?|apprenti/iu;

/** A minimum requirement that is an environmental execution condition (L2112-2): the rule's test, also read by the open data. */
export const isEnvironmentalCondition = (r: ResolvedRequirement): boolean =>
  r.level === 'minimum' && (r.source === 'reference' ? r.category === 'environment' || r.kind === 'environmental' : ENVIRONMENTAL_TEXT.test(`${r.label} ${r.requirement}`));

/** A buyer's requirement that is a social execution condition (L2112-2-1). */
export const isSocialCondition = (r: ResolvedRequirement): boolean => r.source === 'buyer' && SOCIAL_TEXT.test(`${r.label} ${r.requirement}`);

function executionConditions(tender: ResolvedTender, law: LawReader, estimate: EstimatedValue): Finding[] {
  const findings: Finding[] = [];
  const requirements = allRequirements(tender);
  const environmentalRule = law.inForce('execution.environmental-condition');
  if (environmentalRule) {
    const has = requirements.some(isEnvironmentalCondition);
    if (!has) {
      findings.push(
        cite(environmentalRule, {
          code: 'EXECUTION_ENVIRONMENTAL_CONDITION_MISSING',
          severity: 'error',
          message:
            'Aucune condition d’exécution ne prend en compte des considérations environnementales (aucune exigence minimale environnementale : ' +
            'reprise et réemploi en fin de vie, emballages, effacement et recyclage…).',
          comparison: `consultation lancée le ${formatDate(law.date)}, ${law.quote(environmentalRule, 'obligation')}`,
          action: 'Conservez une exigence environnementale minimale du référentiel (reprise en fin de vie, par exemple) ou ajoutez-en une.',
          path: 'lots',
        }),
      );
    }
  }
  const socialRule = law.inForce('execution.social-condition');
  const threshold = socialRule ? law.get(formalisedThresholdId(tender)) : undefined;
  if (socialRule && threshold && threshold.value !== null && estimate.total >= threshold.value) {
    const has = requirements.some(isSocialCondition);
    if (!has) {
      findings.push(
        cite(socialRule, {
          code: 'EXECUTION_SOCIAL_CONDITION_MISSING',
          severity: 'error',
          message:
            `Valeur estimée égale ou supérieure au seuil européen et aucune condition d’exécution ne prend en compte des considérations ` +
            'relatives au domaine social ou à l’emploi (insertion des personnes éloignées de l’emploi, par exemple).',
          comparison: `estimation ${estimate.complete ? '' : 'd’au moins '}${money(estimate.total)} HT, ${law.quote(threshold)} ; ${law.quote(socialRule, 'obligation')}`,
          action: 'Ajoutez une exigence de l’acheteur fixant la condition sociale (par exemple un volume d’heures d’insertion dans les prestations d’installation).',
          path: 'lots',
        }),
      );
    }
  }
  return findings;
}

const allRequirements = (tender: ResolvedTender): ResolvedRequirement[] => tender.lots.flatMap((l) => l.requirements);
// ---------------------------------------------------------------------------------------------
// Technical specifications (R2111-4 ff., R2111-7; repairability)

const ACCESSIBILITY_TEXT = /accessibilit[ée]|handicap|(?<![\p{L}\p{N}])RGAA(?![\p{L}\p{N}])|EN\s*301[\s\u00a0\u202f]*549/iu;

function accessibility(tender: ResolvedTender, law: LawReader): Finding[] {
  const covered = allRequirements(tender).some(
    (r) =>
      r.category === 'accessibility' ||
      (r.source === 'buyer' && (ACCESSIBILITY_TEXT.test(r.label) || ACCESSIBILITY_TEXT.test(r.requirement))),
  );
  const record = covered ? undefined : law.get('specs.accessibility');
  if (!record) return [];
  const dropped = tender.lots.flatMap((l) => l.excluded.map((e) => ({ lot: l.number, ...e }))).find((e) => e.criterion.category === 'accessibility');
  const finding = cite(record, {
    code: 'ACCESSIBILITY_MISSING',
    severity: 'error',
    message: dropped
      ? `Aucune exigence d’accessibilité aux personnes handicapées ne subsiste : le critère « ${dropped.criterion.label} » a été exclu du lot ${dropped.lot}. ` +
        'Les spécifications techniques doivent comporter des critères d’accessibilité, sauf cas dûment justifié.'
      : 'Aucune exigence d’accessibilité aux personnes handicapées : les spécifications techniques doivent en comporter, sauf cas dûment justifié.',
    action: 'Rétablissez une exigence d’accessibilité (EN 301 549 pour les équipements, RGAA pour les services numériques) ou justifiez son absence.',
    comparison: `aucune exigence d’accessibilité parmi les ${allRequirements(tender).length} exigences de la consultation`,
  });
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
  /** States what the offers must meet (a requirement, a variant's minimum, an option, an override's values), rather than context. */
  binding?: true;
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
      if (o.metric?.type === 'enum') {
        texts.push({ path: `lots.${i}.overrides.${j}.metric`, field: `les valeurs du critère ${o.criterionId} modifié (lot ${n})`, text: [...o.metric.options, o.metric.value].join(' ; '), lot: n, binding: true });
      }
    });
    lot.customRequirements.forEach((c, j) => {
      texts.push({ path: `lots.${i}.customRequirements.${j}.label`, field: `l'intitulé de l'exigence « ${c.label} » (lot ${n})`, text: c.label, lot: n, binding: true });
      texts.push({ path: `lots.${i}.customRequirements.${j}.requirement`, field: `le texte de l'exigence « ${c.label} » (lot ${n})`, text: c.requirement, lot: n, binding: true });
    });
    // Version 2: lines, their requirements, the lot's options and variants bind the offers too.
    const lineTexts = (line: ItemLine, path: string, where: string) => {
      if (line.designation !== undefined) texts.push({ path: `${path}.designation`, field: `la désignation ${where}`, text: line.designation, lot: n, binding: true });
      line.requirements.forEach((r, k) => texts.push({ path: `${path}.requirements.${k}`, field: `une exigence ${where}`, text: r, lot: n, binding: true }));
    };
    lot.items.forEach((line, j) => lineTexts(line, `lots.${i}.items.${j}`, `de la ligne ${j + 1} (lot ${n})`));
    lot.options.forEach((o, j) => {
      texts.push({ path: `lots.${i}.options.${j}.label`, field: `l'intitulé de l'option ${j + 1} (lot ${n})`, text: o.label, lot: n, binding: true });
      texts.push({ path: `lots.${i}.options.${j}.description`, field: `la description de l'option ${j + 1} (lot ${n})`, text: o.description, lot: n, binding: true });
      o.lines.forEach((line, k) => lineTexts(line, `lots.${i}.options.${j}.lines.${k}`, `de la ligne ${k + 1} de l'option ${j + 1} (lot ${n})`));
    });
    if (lot.variants?.minimumRequirements !== undefined) {
      texts.push({ path: `lots.${i}.variants.minimumRequirements`, field: `les exigences minimales des variantes (lot ${n})`, text: lot.variants.minimumRequirements, lot: n, binding: true });
    }
  });
  if (request.variants.description !== undefined) {
    texts.push({ path: 'variants.description', field: 'la description des variantes', text: request.variants.description });
  }
  if (request.variants.minimumRequirements !== undefined) {
    texts.push({ path: 'variants.minimumRequirements', field: 'les exigences minimales des variantes', text: request.variants.minimumRequirements, binding: true });
  }
  request.options.forEach((o, i) => {
    texts.push({ path: `options.${i}.label`, field: `l'intitulé de l'option ${i + 1}`, text: o.label, binding: true });
    texts.push({ path: `options.${i}.description`, field: `la description de l'option ${i + 1}`, text: o.description, binding: true });
  });
  return texts;
}

/**
 * A brand without « ou équivalent » in what binds the offers (a requirement, a variant's minimum,
 * an option, an override's values) is an error: it would exclude equivalent products (R2111-7).
 * The buyer may justify it by the subject of the contract (`justifications`), which makes it a
 * warning. In context text it is a warning.
 */
function brands(tender: ResolvedTender, law: LawReader): Finding[] {
  return buyerTexts(tender).flatMap((t): Finding[] => {
    const found = brandsWithoutEquivalent(t.text);
    if (found.length === 0) return [];
    const record = law.get('specs.brands');
    if (!record) return [];
    const names = found.map((b) => `« ${b} »`).join(', ');
    const finding = cite(record, {
      code: 'BRAND_WITHOUT_EQUIVALENT',
      severity: t.binding ? 'error' : 'warning',
      message: `${found.length > 1 ? 'Marques ou modèles cités' : 'Marque ou modèle cité'} dans ${t.field} sans la mention « ou équivalent » : ${names}.`,
      action: 'Décrivez le besoin en performances ou fonctionnalités, ajoutez « ou équivalent », ou justifiez la mention par l’objet du marché.',
      comparison: `${names} cité${found.length > 1 ? 's' : ''} sans « ou équivalent »`,
      path: t.path,
    });
    if (t.lot !== undefined) finding.lot = t.lot;
    return [finding];
  });
}

const REPAIRABILITY_ID = /repairability|durability/;
const REPAIRABILITY_LABEL = /r[ée]parabilit[ée]|durabilit[ée]/iu;

/**
 * Checked per lot: each lot buying tablets or laptops takes repairability into account itself. Since
 * 20 June 2025 slate tablets carry the EU repairability class (A to E) of their energy label instead
 * of the French index out of 10, which laptops keep (DOMAIN.md C13).
 */
function repairability(tender: ResolvedTender, law: LawReader): Finding[] {
  return tender.lots.flatMap((lot): Finding[] => {
    const devices = lot.lines.filter((l) => l.item.category === 'tablet' || l.item.category === 'laptop');
    if (devices.length === 0) return [];
    const considered = lot.requirements.some((r) => REPAIRABILITY_ID.test(r.id) || REPAIRABILITY_LABEL.test(r.label));
    if (considered) return [];
    const record = law.get('texts.repairability-public-buyers');
    if (!record) return [];
    const euClass = devices.some((d) => d.item.category === 'tablet') && law.inForce('texts.energy-label-phones-tablets');
    const dropped = lot.excluded.find((e) => REPAIRABILITY_ID.test(e.criterion.id) || REPAIRABILITY_LABEL.test(e.criterion.label));
    const finding = cite(record, {
      code: 'REPAIRABILITY_NOT_CONSIDERED',
      severity: 'warning',
      message:
        `Le lot ${lot.number} achète des ${[...new Set(devices.map((d) => d.item.label))].join(', ')} sans exigence sur la réparabilité ` +
        'ou la durabilité : l’acheteur public doit en tenir compte pour les produits numériques.',
      action: euClass
        ? 'Appréciez la classe de réparabilité (A à E) de l’étiquette énergie des tablettes (depuis le 20 juin 2025) et l’indice de réparabilité des ordinateurs.'
        : 'Appréciez l’indice de réparabilité (ou de durabilité) des équipements.',
      comparison: `aucune exigence de réparabilité ou de durabilité dans le lot ${lot.number}, ${devices.reduce((n, d) => n + d.quantity, 0)} tablette(s) ou ordinateur(s)`,
      lot: lot.number,
      path: dropped ? dropped.path : `lots.${lot.number - 1}`,
    });
    if (dropped) finding.criterionId = dropped.criterion.id;
    return [finding];
  });
}

// ---------------------------------------------------------------------------------------------
// Framework agreements (L2125-1, R2162-4)

function frameworkAgreement(tender: ResolvedTender, law: LawReader): Finding[] {
  const { request } = tender;
  const { contract } = request;
  if (contract.form !== 'framework-agreement') return [];
  const findings: Finding[] = [];
  const maximumRule = law.inForce('framework-agreement.maximum-required');
  const hasMaximum = (l: ResolvedTender['lots'][number]) => l.limits.maximumAmount !== undefined || l.limits.maximumQuantity !== undefined;
  if (maximumRule && tender.source.schemaVersion === 2 && (tender.lots.length > 1 || (contract.maximumAmount === undefined && contract.maximumQuantity === undefined))) {
    // Each lot is its own agreement (version 2): each states its maximum, in value or quantity (C6).
    for (const lot of tender.lots.filter((l) => !hasMaximum(l))) {
      findings.push(
        cite(maximumRule, {
          code: 'FRAMEWORK_AGREEMENT_MAXIMUM_MISSING',
          severity: 'error',
          message: `Le lot ${lot.number} (« ${lot.title} ») ne fixe pas de maximum : chaque lot d’un accord-cadre fixe son montant ou sa quantité maximum.`,
          comparison: `${law.quote(maximumRule, 'obligation')}`,
          action: 'Indiquez le montant maximum (ou la quantité maximum) du lot sur toute la durée de l’accord-cadre, reconductions comprises.',
          lot: lot.number,
          path: `lots.${lot.number - 1}.maximumAmount`,
        }),
      );
    }
  }
  const perLot = request.lots.every((l) => l.maximumAmount !== undefined);
  if (maximumRule && tender.source.schemaVersion !== 2 && contract.maximumAmount === undefined && contract.maximumQuantity === undefined && !perLot) {
    const without = request.lots.flatMap((l, i) => (l.maximumAmount === undefined ? [i + 1] : []));
    findings.push(
      cite(maximumRule, {
        code: 'FRAMEWORK_AGREEMENT_MAXIMUM_MISSING',
        severity: 'error',
        message:
          'L’accord-cadre doit fixer un montant ou une quantité maximum, pour l’ensemble de l’accord-cadre ou pour chaque lot' +
          (without.length < request.lots.length ? ` (sans maximum : lot${without.length > 1 ? 's' : ''} ${without.join(', ')}).` : '.'),
        comparison: `${law.quote(maximumRule, 'obligation')}`,
        action: 'Indiquez le montant maximum de l’accord-cadre, ou celui de chaque lot.',
        path: 'contract.maximumAmount',
      }),
    );
  }
  const duration = law.get('framework-agreement.max-duration');
  // Version 2 states renewals with the contract: the 4-year limit covers them (version 1 kept the count apart, unchecked).
  const renewals = contract.renewals;
  const months =
    tender.source.schemaVersion === 2 && renewals ? contract.durationMonths + renewals.count * (renewals.months ?? contract.durationMonths) : contract.durationMonths;
  const withRenewals = months !== contract.durationMonths ? ' reconductions comprises' : '';
  if (duration && duration.value !== null && months > duration.value) {
    findings.push(
      cite(duration, {
        code: 'FRAMEWORK_AGREEMENT_TOO_LONG',
        severity: 'error',
        message:
          `L’accord-cadre dure ${months} mois${withRenewals} : la durée d’un accord-cadre ne peut dépasser 4 ans, ` +
          'sauf cas exceptionnel dûment justifié, notamment par son objet ou par des investissements amortissables sur une durée supérieure.',
        comparison: `durée ${months} mois${withRenewals}, durée maximale ${duration.value} mois`,
        action: 'Ramenez la durée à 48 mois au plus, ou justifiez la durée (justifications.FRAMEWORK_AGREEMENT_TOO_LONG).',
        path: 'contract.durationMonths',
      }),
    );
  }
  return findings;
}

/**
 * A lot whose maximum is below what its own lines add up to (unit prices × quantities, options,
 * optional tranches and renewals): the orders stop at the maximum, which binds the buyer (R2162-4),
 * so either the maximum or the quantities are wrong. A warning for the buyer (note interne), never
 * printed for bidders; with prices missing, the lines already priced are enough to say so.
 */
function lotMaximaBelowEstimate(tender: ResolvedTender, law: LawReader, estimate: EstimatedValue): Finding[] {
  if (tender.request.contract.form !== 'framework-agreement') return [];
  const rule = law.inForce('framework-agreement.maximum-required');
  if (!rule) return [];
  return estimate.lots.flatMap((value) => {
    const lot = tender.lots.find((l) => l.number === value.lot);
    const maximum = lot?.limits.maximumAmount;
    if (!lot || maximum === undefined || value.basis !== 'lot-maximum') return [];
    const fromLines = Math.round(value.perPeriod * value.renewalFactor * 100) / 100;
    if (fromLines <= maximum) return [];
    const partial = estimate.missing.some((m) => m.lot === lot.number);
    const withRenewals = value.renewalFactor > 1 ? ', reconductions comprises' : '';
    return [
      cite(rule, {
        code: 'FRAMEWORK_AGREEMENT_MAXIMUM_BELOW_ESTIMATE',
        severity: 'warning',
        message:
          `Le maximum du lot ${lot.number} (« ${lot.title} »), ${money(maximum)} HT, est inférieur à l’estimation de ses lignes, ` +
          `${partial ? 'd’au moins ' : ''}${money(fromLines)} HT${withRenewals} : le maximum d’un accord-cadre borne les commandes, ` +
          'qui ne pourront pas le dépasser ; les quantités prévues ne pourraient pas toutes être commandées.',
        comparison: `maximum ${money(maximum)} HT, estimation des lignes ${partial ? 'd’au moins ' : ''}${money(fromLines)} HT${withRenewals} ; ${law.quote(rule, 'obligation')}`,
        action: 'Relevez le maximum du lot au niveau de l’estimation, reconductions et options comprises, ou réduisez les quantités.',
        lot: lot.number,
        path: `lots.${lot.number - 1}.maximumAmount`,
      }),
    ];
  });
}

// ---------------------------------------------------------------------------------------------
// Procedure thresholds and publicity tiers (R2121-1, R2122-8, R2123-1, R2124-1, R2131-12)

/** The central threshold applies only to the authorities listed in annexe 2 (C3), not to any central purchasing body. */
function isCentralAuthority(tender: ResolvedTender): boolean {
  const { buyer } = tender.request;
  return buyer.centralAuthority ?? buyer.type === 'central-state';
}

function formalisedThresholdId(tender: ResolvedTender): LawId {
  return isCentralAuthority(tender) ? 'eu-threshold.supplies-services.central' : 'eu-threshold.supplies-services.other';
}

/** « estimation 52 400 € HT (lots 50 000 € HT, options 2 400 € HT, 1 reconduction comprise) » */
function describeEstimate(estimate: EstimatedValue): string {
  const parts: string[] = [];
  if (estimate.basis === 'framework-maximum') parts.push('montant maximum de l’accord-cadre');
  else {
    if (estimate.renewals > 0) parts.push(`${estimate.renewals} reconduction${estimate.renewals > 1 ? 's' : ''} comprise${estimate.renewals > 1 ? 's' : ''}`);
    if (estimate.options > 0) parts.push(`dont options ${money(estimate.options)} HT`);
    if (estimate.lots.length > 1) parts.push('tous lots confondus');
    if (estimate.lots.some((l) => l.basis === 'lot-maximum')) parts.push('maxima des lots');
  }
  return `estimation ${estimate.complete ? '' : 'd’au moins '}${money(estimate.total)} HT${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

function procedureThresholds(tender: ResolvedTender, law: LawReader, estimate: EstimatedValue): Finding[] {
  const { request } = tender;
  const findings: Finding[] = [];
  const value = estimate.total;
  const described = describeEstimate(estimate);
  const method = law.get('estimate.method');

  const first = estimate.missing[0];
  if (method && (first !== undefined || estimate.unpricedOptions > 0)) {
    findings.push(
      cite(method, {
        code: 'PROCEDURE_ESTIMATE_MISSING',
        severity: 'info',
        message:
          `Valeur estimée incomplète : ${first ? `${estimate.missing.length} ligne(s) sans prix unitaire estimé (dont « ${first.label} », lot ${first.lot})` : ''}` +
          `${first && estimate.unpricedOptions > 0 ? ' et ' : ''}${estimate.unpricedOptions > 0 ? `${estimate.unpricedOptions} option(s) sans montant estimé` : ''}. ` +
          'Le choix de la procédure dépend de la valeur de tous les lots, options et reconductions comprises.',
        comparison: described,
        action: 'Renseignez les prix unitaires estimés et le montant des options.',
        path: first ? first.path : 'options',
      }),
    );
  }

  const formalised = law.get(formalisedThresholdId(tender));
  const noPublicity = law.get('no-publicity.supplies-services');
  const notice = law.get('publicity.mapa-official-notice');
  if (!formalised || formalised.value === null || !noPublicity || noPublicity.value === null || !notice || notice.value === null) return findings;

  const { buyer } = request;
  const other = lawAt('eu-threshold.supplies-services.other', law.date);
  if (buyer.type === 'central-purchasing-body' && buyer.centralAuthority === undefined && other?.value != null && value < other.value) {
    const central = lawAt('eu-threshold.supplies-services.central', law.date);
    if (central?.value != null && value >= central.value) {
      findings.push(
        cite(central, {
          code: 'PROCEDURE_CENTRAL_AUTHORITY_UNKNOWN',
          severity: 'warning',
          message:
            'Centrale d’achat : le seuil de procédure formalisée dépend de son inscription sur la liste des autorités publiques centrales (annexe 2 du code, qui cite l’UGAP). ' +
            'La valeur estimée se situe entre les deux seuils.',
          comparison: `${described} ; ${law.quote(central, 'seuil des autorités centrales')} ; ${law.quote(other, 'seuil des autres acheteurs')}`,
          action: 'Indiquez si l’acheteur figure sur la liste (buyer.centralAuthority) : si oui, une procédure formalisée est requise.',
          path: 'buyer.centralAuthority',
        }),
      );
    }
  }

  const adaptedOrLess = request.procedure === 'adapted' || request.procedure === 'negotiated-without-notice';
  if (value >= formalised.value && adaptedOrLess) {
    findings.push(
      cite(formalised, {
        code: 'PROCEDURE_REQUIRED_FORMALISED',
        severity: 'error',
        message: 'La valeur estimée atteint le seuil européen : une procédure formalisée (appel d’offres ouvert ou restreint) est requise.',
        comparison: `${described}, ${law.quote(formalised)}`,
        action: 'Choisissez un appel d’offres ouvert ou restreint, ou revoyez l’estimation si elle est erronée.',
        path: 'procedure',
      }),
    );
  } else if (request.procedure === 'negotiated-without-notice' && value >= noPublicity.value) {
    const cases = lawAt('no-publicity.exceptions', law.date);
    findings.push(
      cite(noPublicity, {
        code: 'PROCEDURE_ADVERTISING_REQUIRED',
        severity: 'error',
        message:
          'Marché sans publicité ni mise en concurrence au-delà du seuil de dispense : ce n’est possible que dans les cas limitatifs ' +
          `${cases ? `des articles ${cases.reference.citation.replace(/^CCP /, '')}` : 'prévus par le code'} (urgence impérieuse, exclusivité, procédure infructueuse…) ; ` +
          'sinon une procédure adaptée au moins est requise.',
        comparison: `${described}, ${law.quote(noPublicity)}`,
        action: 'Passez en procédure adaptée, ou justifiez le cas de dispense (justifications.PROCEDURE_ADVERTISING_REQUIRED).',
        path: 'procedure',
      }),
    );
  }

  // The tier the file falls in and the publicity it requires (info, always said).
  const tier = publicityTier(value, formalised, noPublicity, notice, law);
  findings.push(
    cite(tier.record, {
      code: 'PROCEDURE_TIER',
      severity: 'info',
      message: `${tier.label} : ${tier.publicity}`,
      comparison: `${described}, ${tier.comparison}`,
      action: tier.action,
      path: 'procedure',
    }),
  );
  if (estimate.complete && value < noPublicity.value && request.procedure !== 'negotiated-without-notice') {
    findings.push(
      cite(noPublicity, {
        code: 'PROCEDURE_BELOW_THRESHOLD',
        severity: 'info',
        message: 'L’acheteur pourrait passer ce marché sans publicité ni mise en concurrence préalables, en veillant à une bonne utilisation des deniers publics.',
        comparison: `${described}, ${law.quote(noPublicity)}`,
        action: 'Une procédure adaptée reste possible ; gardez trace du choix de l’offre pertinente.',
        path: 'procedure',
      }),
    );
  }

  // Small lots (R2123-1 2°): in a formalised procedure, lots under 80 000 € HT together at most 20 %.
  const ceiling = law.inForce('small-lots.lot-ceiling.supplies-services');
  const share = law.inForce('small-lots.share');
  if (FORMALISED_PROCEDURES.has(request.procedure) && ceiling?.value != null && share?.value != null && estimate.lots.length > 1 && estimate.complete) {
    const small = estimate.lots.filter((l) => l.value < ceiling.value!);
    const sum = small.reduce((s, l) => s + l.value, 0);
    const totalLots = estimate.lots.reduce((s, l) => s + l.value, 0);
    if (small.length > 0 && totalLots > 0 && sum <= share.value * totalLots) {
      findings.push(
        cite(ceiling, {
          code: 'PROCEDURE_SMALL_LOTS',
          severity: 'info',
          message: `Lot${small.length > 1 ? 's' : ''} ${small.map((l) => l.lot).join(', ')} : « petits lots » qui peuvent être passés selon une procédure adaptée.`,
          comparison:
            `${small.map((l) => `lot ${l.lot} ${money(l.value)} HT`).join(', ')} < ${law.quote(ceiling)} ; ` +
            `ensemble ${money(sum)} HT, soit ${formatDecimal((sum / totalLots) * 100)} % de ${money(totalLots)} HT (au plus ${formatDecimal(share.value * 100)} %)`,
          action: 'Option ouverte à l’acheteur, sans obligation.',
          path: 'lots',
        }),
      );
    }
  }
  return findings;
}

interface Tier {
  label: string;
  publicity: string;
  comparison: string;
  action: string;
  record: LawRecord;
}

function publicityTier(value: number, formalised: LawRecord, noPublicity: LawRecord, notice: LawRecord, law: LawReader): Tier {
  if (value >= formalised.value!) {
    return {
      label: 'Procédure formalisée',
      publicity: 'avis au BOAMP et au Journal officiel de l’Union européenne (formulaire eForms).',
      comparison: `${law.quote(formalised)}`,
      action: 'Publiez l’avis au BOAMP et au JOUE, et respectez les délais minimaux de réception des offres de la procédure choisie.',
      record: formalised,
    };
  }
  if (value >= notice.value!) {
    const model = lawAt('publicity.national-notice-model', law.date);
    return {
      label: 'Procédure adaptée avec avis officiel',
      publicity:
        'avis au BOAMP ou dans un journal d’annonces légales' +
        (model ? ', établi selon le modèle national d’avis (arrêté du 12 février 2020)' : '') +
        ', et publicité complémentaire si nécessaire.',
      comparison: `${law.quote(notice)} ≤ valeur < ${law.quote(formalised)}`,
      action: 'Publiez un avis au BOAMP ou dans un journal d’annonces légales.',
      record: notice,
    };
  }
  if (value >= noPublicity.value!) {
    const online = lawAt('publicity.free-documents-online', law.date);
    return {
      label: 'Procédure adaptée, publicité libre',
      publicity:
        'publicité adaptée au montant et à l’objet du marché (profil d’acheteur, presse…)' +
        (online?.value != null && value >= online.value ? ', documents de la consultation gratuitement en ligne sur le profil d’acheteur.' : '.'),
      comparison: `${law.quote(noPublicity)} ≤ valeur < ${law.quote(notice)}`,
      action: 'Choisissez une publicité proportionnée et mettez les documents en ligne.',
      record: notice,
    };
  }
  return {
    label: 'Sous le seuil de dispense',
    publicity: 'aucune publicité ni mise en concurrence préalables obligatoires.',
    comparison: `valeur < ${law.quote(noPublicity)}`,
    action: 'Choisissez une offre pertinente et ne contractez pas systématiquement avec le même opérateur.',
    record: noPublicity,
  };
}

// ---------------------------------------------------------------------------------------------
// Lots and variants (L2113-10/11, R2151-8 ff.)

function allotment(tender: ResolvedTender, law: LawReader): Finding[] {
  if (tender.lots.length !== 1) return [];
  const lot = tender.lots[0]!;
  const natures = new Set(lot.lines.map((l) => l.item.nature));
  if (!(natures.has('supply') && natures.has('service'))) return [];
  const record = law.get('lots.allotment');
  if (!record) return [];
  const justified = tender.request.allotmentJustification !== undefined;
  return [
    cite(record, {
      code: 'ALLOTMENT_SINGLE_LOT_MIXED',
      severity: justified ? 'info' : 'warning',
      message: justified
        ? 'Lot unique regroupant fournitures et services : la justification de l’absence d’allotissement est reprise dans les documents.'
        : 'Lot unique regroupant fournitures et services : l’allotissement est la règle.',
      action: justified
        ? 'Vérifiez que le motif relève des cas du code (prestations indissociables, coordination impossible, coût ou concurrence).'
        : 'Séparez les prestations en lots ou motivez l’absence d’allotissement (allotmentJustification).',
      comparison: `1 lot : ${lot.lines.filter((l) => l.item.nature === 'supply').length} fourniture(s) et ${lot.lines.filter((l) => l.item.nature === 'service').length} service(s)${justified ? ', absence d’allotissement motivée' : ''}`,
      path: 'allotmentJustification',
      lot: lot.number,
    }),
  ];
}

/** The file's variants (for the lots that state none), then each lot's own (version 2). */
function variants(tender: ResolvedTender, law: LawReader): Finding[] {
  const { request } = tender;
  const own = request.lots.flatMap((lot, i) => (lot.variants ? [{ variants: lot.variants, lot: i + 1 }] : []));
  return [
    ...(own.length < request.lots.length ? variantFindings(request.variants, 'variants', undefined, tender, law) : []),
    ...own.flatMap((o) => variantFindings(o.variants, `lots.${o.lot - 1}.variants`, o.lot, tender, law)),
  ];
}

function variantFindings(variants: Variants, prefix: string, lot: number | undefined, tender: ResolvedTender, law: LawReader): Finding[] {
  const { request } = tender;
  if (!variants.allowed) return [];
  const record = law.get('variants.minimum-requirements');
  if (!record) return [];
  const findings: Finding[] = [];
  if (variants.minimumRequirements === undefined) {
    findings.push(
      cite(record, {
        code: 'VARIANTS_MINIMUM_REQUIREMENTS_MISSING',
        severity: 'error',
        message: 'Les variantes sont autorisées sans exigences minimales.',
        action: 'Indiquez les exigences minimales que les variantes doivent respecter et leurs modalités de présentation.',
        comparison: 'variantes autorisées, exigences minimales : aucune',
        path: `${prefix}.minimumRequirements`,
        ...(lot === undefined ? {} : { lot }),
      }),
    );
  }
  if (FORMALISED_PROCEDURES.has(request.procedure)) {
    findings.push(
      cite(record, {
        code: 'VARIANTS_FORMALISED_EXPLICIT',
        severity: 'info',
        message: 'En procédure formalisée, les variantes sont interdites par défaut pour un pouvoir adjudicateur.',
        action: 'Autorisez expressément les variantes dans l’avis de marché.',
        comparison: 'procédure formalisée, variantes autorisées',
        path: `${prefix}.allowed`,
        ...(lot === undefined ? {} : { lot }),
      }),
    );
  }
  return findings;
}
