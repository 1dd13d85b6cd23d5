/**
 * The tender as structured data: an OCDS 1.1 release package (one `tender` release) with the
 * lots, requirements and award-criteria-breakdown extensions, so the requirements and weights
 * the CCTP prints can be loaded by a buyer profile or an analysis tool without reading the PDF.
 *
 * - Each CCTP requirement of a lot is one OCDS criterion relating to that lot, with one
 *   requirement group holding one requirement; the threshold becomes `dataType` with
 *   `expectedValue` or `minValue` / `maxValue`, and its unit.
 * - Award criteria are the request's, repeated for each lot (the RC sets them for every lot).
 * - Cahier's own data (criterion versions, levels, proofs, authorities, sub-criteria) travel in
 *   the release's `cahier` block.
 *
 * The ocid prefix "ocds-cahier" is a placeholder: a publisher replaces it with the prefix it
 * registered with the Open Contracting Partnership (`ocidPrefix`).
 */
import { createHash } from 'node:crypto';
import type { Metric } from '#src/core/model/criterion.ts';
import { formatThreshold } from '#src/core/model/metric.ts';
import type { ResolvedLot, ResolvedRequirement, ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { Procedure } from '#src/core/model/tender-request.ts';
import { AWARD_THEME_LABELS, LEVEL_LABELS, PROCEDURE_LABELS, PROOF_LABELS } from '#src/core/documents/labels.ts';
import { formatPercent } from '#src/core/model/format.ts';
import type { OcdsCriterion, OcdsReleasePackage, OcdsRequirement } from './ocds-schema.ts';

export interface OcdsOptions {
  /** Registered ocid prefix, "ocds-" and six characters. */
  ocidPrefix?: string;
}

export const DEFAULT_OCID_PREFIX = 'ocds-cahier';

export const OCDS_EXTENSIONS = [
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json',
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_requirements_extension/master/extension.json',
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_awardCriteriaBreakdown_extension/master/extension.json',
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_techniques_extension/master/extension.json',
] as const;

const PROCUREMENT_METHODS: Record<Procedure, 'open' | 'selective' | 'limited' | 'direct'> = {
  open: 'open',
  adapted: 'open',
  restricted: 'selective',
  'negotiated-without-notice': 'limited',
};

export const lotId = (lot: ResolvedLot): string => `lot-${lot.number}`;
/** OCDS ids of the criterion, group and requirement that carry one CCTP requirement of a lot. */
export const ocdsIds = (lot: ResolvedLot, requirement: ResolvedRequirement) => {
  const base = `${lotId(lot)}/${requirement.id}`;
  return { criterion: base, group: `${base}/g1`, requirement: `${base}/r1` };
};

/** JSON with object keys sorted, so equal values always hash alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function buildOcdsRelease(tender: ResolvedTender, options: OcdsOptions = {}): OcdsReleasePackage {
  const { request, framework } = tender;
  // The request as received identifies the tender: a version 1 request keeps the ids it always had.
  const requestHash = createHash('sha256').update(canonicalJson(tender.source)).digest('hex');
  const tenderId = `cahier-${requestHash.slice(0, 16)}`;
  const date = `${request.consultationDate}T00:00:00Z`;
  const buyer = { id: `buyer-${requestHash.slice(0, 8)}`, name: request.buyer.name };
  const lines = tender.lots.flatMap((l) => l.lines);
  const hasSupplies = lines.some((l) => l.item.nature === 'supply');
  const hasServices = lines.some((l) => l.item.nature === 'service');
  const contract = request.contract;
  const isFramework = contract.form === 'framework-agreement';
  // Published values are the framework agreement's maximum (R2162-4), never the buyer's estimate.
  const tenderValue = isFramework ? contract.maximumAmount : undefined;
  const awardTypes = new Set(request.awardCriteria.map((c) => c.type));

  return {
    uri: `urn:cahier:tender:${tenderId}`,
    version: '1.1',
    extensions: [...OCDS_EXTENSIONS],
    publishedDate: date,
    publisher: { name: 'Cahier' },
    releases: [
      {
        ocid: `${options.ocidPrefix ?? DEFAULT_OCID_PREFIX}-${requestHash.slice(0, 16)}`,
        id: `${tenderId}-tender`,
        date,
        tag: ['tender'],
        initiationType: 'tender',
        language: 'fr',
        parties: [
          {
            ...buyer,
            roles: ['buyer', 'procuringEntity'],
            ...(request.buyer.address ? { address: { streetAddress: request.buyer.address, countryName: 'France' } } : {}),
          },
        ],
        buyer,
        tender: {
          id: tenderId,
          title: request.title,
          ...(request.context ? { description: request.context } : {}),
          status: 'planned',
          procuringEntity: buyer,
          procurementMethod: PROCUREMENT_METHODS[request.procedure],
          procurementMethodDetails: PROCEDURE_LABELS[request.procedure],
          mainProcurementCategory: hasSupplies ? 'goods' : 'services',
          ...(hasSupplies && hasServices ? { additionalProcurementCategories: ['services' as const] } : {}),
          ...(tenderValue === undefined ? {} : { value: { amount: tenderValue, currency: 'EUR' as const } }),
          ...(isFramework && contract.minimumAmount !== undefined ? { minValue: { amount: contract.minimumAmount, currency: 'EUR' as const } } : {}),
          ...(request.awardCriteria.length > 0
            ? {
                awardCriteria: awardTypes.size > 1 ? ('ratedCriteria' as const) : awardTypes.has('price') ? ('priceOnly' as const) : awardTypes.has('cost') ? ('costOnly' as const) : ('qualityOnly' as const),
                awardCriteriaDetails: request.awardCriteria.map((c) => `${c.name} : ${formatPercent(c.weight)}`).join(' ; '),
              }
            : {}),
          techniques: { hasFrameworkAgreement: isFramework },
          items: tender.lots.flatMap((lot) =>
            lot.lines.map((line) => ({
              id: `${lotId(lot)}/${line.item.id}`,
              description: line.item.label,
              classification: { scheme: 'CPV' as const, id: line.item.cpv.slice(0, 8) },
              quantity: line.quantity,
              unit: { name: line.item.unit },
              relatedLot: lotId(lot),
            })),
          ),
          lots: tender.lots.map((lot) => {
            const value = isFramework ? request.lots[lot.number - 1]?.maximumAmount : undefined;
            return {
              id: lotId(lot),
              title: lot.title,
              status: 'planned' as const,
              ...(value === undefined ? {} : { value: { amount: value, currency: 'EUR' as const } }),
              ...(request.awardCriteria.length > 0 ? { awardCriteria: { criteria: awardCriteria(tender) } } : {}),
            };
          }),
          criteria: tender.lots.flatMap((lot) => lot.requirements.map((r) => criterion(lot, r))),
        },
        cahier: {
          generator: 'Cahier',
          requestHash,
          framework: { id: framework.id, version: framework.version, reference: framework.reference, title: framework.title },
          requirements: tender.lots.flatMap((lot) =>
            lot.requirements.map((r) => ({
              requirement: ocdsIds(lot, r).requirement,
              reference: r.reference,
              lot: lotId(lot),
              source: r.source,
              level: r.level,
              threshold: formatThreshold(r.metric),
              proof: r.proof,
              criterion: r.criterion ? { id: r.criterion.id, version: r.criterion.version } : null,
            })),
          ),
          awardCriteria: request.awardCriteria.map((c) => ({
            name: c.name,
            type: c.type,
            theme: c.theme,
            weight: c.weight,
            subCriteria: c.subCriteria.map((s) => ({ name: s.name, weight: s.weight, theme: s.theme ?? null })),
          })),
          contract: {
            form: contract.form,
            durationMonths: contract.durationMonths ?? null,
            minimumAmount: isFramework ? (contract.minimumAmount ?? null) : null,
            maximumAmount: isFramework ? (contract.maximumAmount ?? null) : null,
            maximumQuantity: isFramework ? (contract.maximumQuantity ?? null) : null,
          },
          variantsAllowed: request.variants.allowed,
          options: request.options.map((o) => ({ label: o.label, description: o.description })),
        },
      },
    ],
  };
}

/** The release package as UTF-8 JSON, two-space indented, ending with a newline. */
export function renderOcdsJson(tender: ResolvedTender, options: OcdsOptions = {}): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(buildOcdsRelease(tender, options), null, 2)}\n`);
}


function awardCriteria(tender: ResolvedTender) {
  return tender.request.awardCriteria.map((c) => {
    const subs = c.subCriteria.map((s) => `${s.name} (${formatPercent(s.weight)})`).join(' ; ');
    return {
      type: c.type,
      name: c.name,
      description: `${AWARD_THEME_LABELS[c.theme]}.${subs ? ` Sous-critères : ${subs}.` : ''}`,
      numbers: [{ number: c.weight, weight: 'percentageExact' as const }],
    };
  });
}

function criterion(lot: ResolvedLot, r: ResolvedRequirement): OcdsCriterion {
  const ids = ocdsIds(lot, r);
  return {
    id: ids.criterion,
    title: r.label,
    description: r.requirement,
    source: 'tenderer',
    relatesTo: 'lot',
    relatedItem: lotId(lot),
    requirementGroups: [
      {
        id: ids.group,
        description: `${LEVEL_LABELS[r.level]} — justificatif : ${r.proof.map((p) => PROOF_LABELS[p]).join(', ')}`,
        requirements: [{ id: ids.requirement, title: r.label, description: formatThreshold(r.metric), ...requirementValue(r.metric) }],
      },
    ],
  };
}

/** The threshold in the requirements extension's terms. */
export function requirementValue(metric: Metric): Omit<OcdsRequirement, 'id' | 'title' | 'description'> {
  switch (metric.type) {
    case 'numeric': {
      const unit = { unit: { name: metric.unit } };
      if (metric.comparator === 'gte') return { dataType: 'number', minValue: metric.value, ...unit };
      if (metric.comparator === 'lte') return { dataType: 'number', maxValue: metric.value, ...unit };
      return { dataType: 'number', expectedValue: metric.value, ...unit };
    }
    case 'range':
      return { dataType: 'number', minValue: metric.min, maxValue: metric.max, unit: { name: metric.unit } };
    case 'boolean':
      return { dataType: 'boolean', expectedValue: metric.expected };
    case 'enum':
      return metric.comparator === 'eq'
        ? { dataType: 'string', expectedValue: metric.value }
        : { dataType: 'string', expectedValues: metric.options.slice(metric.options.indexOf(metric.value)) };
    case 'text':
      return { dataType: 'string' };
  }
}

