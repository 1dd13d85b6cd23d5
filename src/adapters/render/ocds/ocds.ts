/**
 * The tender as open data: an OCDS 1.1 release package (one `tender` release, tender `active`)
 * with the lots, requirements, award criteria breakdown, techniques, options and renewal
 * extensions, holding only fields the standard and those extensions define (checked against their
 * published JSON Schemas, strict, in test/exports/ocds.test.ts), so a buyer profile or an
 * open-data portal loads the requirements and weights the CCTP prints without reading the PDF.
 *
 * - Identity: `ocid` = the configured prefix + the stored tender's id, so editing the request or
 *   regenerating keeps it; the release `date` is the generation time recorded with the tender, so a
 *   regeneration writes the same bytes. Outside the tender store (the CLI) both come from the
 *   request: its reference (see ocdsTenderId) and its consultation date.
 * - The buyer is a party identified by its SIRET in INSEE's SIRENE register, scheme `FR-INSEE` (the
 *   code org-id.guide lists for SIRENE); public buyers are not in the trade register (FR-RCS).
 * - Each CCTP requirement of a lot is one criterion with `relatedLots` [that lot] and
 *   `relatesToTenderer: false` (it judges the offer, not the bidder), one group, one requirement whose
 *   threshold is `minValue` / `maxValue` / `expectedValue` or a `pattern` listing the accepted values;
 *   the unit is in the description, which prints the threshold as every document does. The criterion
 *   id is the requirement's reference (« L1-TAB-03 »), the one bidders quote.
 * - `tender.documents` lists the pieces of this generation given to bidders, each with its media
 *   type and documentType: the consultation file's pieces under their names in the zip when the DCE
 *   is asked for (an acte d'engagement with its lot), else the files written alone. A piece that
 *   does not carry this release has its SHA-256 as an `ni:` URI (RFC 6920) and in its description;
 *   a PDF carries the release as an associated file, so it cannot state its own hash here (the
 *   DCE manifest and report.json list every file's). The zip and its manifest are not listed: they
 *   hold the release or its hash.
 */
import { createHash } from 'node:crypto';
import type { Publication, RenderInput } from '#src/app/ports/outputs.ts';
import type { Metric } from '#src/core/model/criterion.ts';
import { formatThreshold } from '#src/core/model/metric.ts';
import type { ResolvedLot, ResolvedRequirement, ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { Procedure } from '#src/core/model/tender-request.ts';
import type { AnyTenderRequest } from '#src/core/model/tender-request-v2.ts';
import { AWARD_THEME_LABELS, LEVEL_LABELS, PROCEDURE_LABELS, PROOF_LABELS } from '#src/core/documents/labels.ts';
import { formatPercent } from '#src/core/model/format.ts';
import type { OcdsCriterion, OcdsDocument, OcdsDocumentType, OcdsReleasePackage, OcdsRequirement } from './ocds-schema.ts';

export type { OcdsDocumentType };

export interface OcdsOptions {
  /** Registered ocid prefix, "ocds-" and six characters. */
  ocidPrefix?: string;
  /** The stored tender and its generation time; absent outside the tender store. */
  publication?: Publication;
  /** The other pieces of this generation, with their bytes when they do not carry this release. */
  documents?: readonly OcdsPiece[];
}

/** A piece of the consultation file, as the release lists it. */
export interface OcdsPiece {
  fileName: string;
  mediaType: string;
  title: string;
  /** Its type in the documentType codelist; by default the type of the file of that name. */
  documentType?: OcdsDocumentType;
  /** The lots it concerns, when not the whole tender (lots extension). */
  relatedLots?: string[];
  /** Absent for a piece that embeds this release (it cannot hold its own hash). */
  bytes?: Uint8Array;
}

/** A piece to list, with how to render it: asked only of a piece that does not carry the release. */
export interface OcdsSource extends Omit<OcdsPiece, 'bytes'> {
  /** Absent for a piece that carries this release, a PDF: it cannot state its own hash here. */
  render?: () => Promise<Uint8Array>;
}

/**
 * The ocid prefix: a placeholder until the publisher registers its own with the Open Contracting
 * Partnership; set OCDS_OCID_PREFIX (e.g. "ocds-a1b2c3") to publish under it.
 */
export const DEFAULT_OCID_PREFIX = 'ocds-cahier';

/** org-id.guide's code for INSEE's SIRENE register, where French public buyers hold their SIRET. */
export const SIRENE_SCHEME = 'FR-INSEE';

export const OCDS_EXTENSIONS = [
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json',
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_requirements_extension/master/extension.json',
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_awardCriteriaBreakdown_extension/master/extension.json',
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_techniques_extension/master/extension.json',
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_options_extension/master/extension.json',
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_renewal_extension/master/extension.json',
] as const;

const PROCUREMENT_METHODS: Record<Procedure, 'open' | 'selective' | 'limited' | 'direct'> = {
  open: 'open',
  adapted: 'open',
  restricted: 'selective',
  'negotiated-without-notice': 'limited',
};

/** OCDS document type of each file Cahier writes alone (documentType codelist). */
const DOCUMENT_TYPES: Record<string, OcdsDocumentType> = {
  'cctp.pdf': 'technicalSpecifications',
  'cctp.docx': 'technicalSpecifications',
  'rc.pdf': 'biddingDocuments',
  'rc.docx': 'biddingDocuments',
  'cadre-de-reponse.xlsx': 'biddingDocuments',
  'bordereau-des-prix.xlsx': 'billOfQuantity',
  'ccap.pdf': 'contractDraft',
  'ccap.docx': 'contractDraft',
  'acte-engagement.pdf': 'contractDraft',
  'acte-engagement.docx': 'contractDraft',
  'annexe-rgpd.pdf': 'contractAnnexe',
  'annexe-rgpd.docx': 'contractAnnexe',
};

export const lotId = (lot: ResolvedLot): string => `lot-${lot.number}`;
/** OCDS ids of the criterion, group and requirement that carry one CCTP requirement: its reference. */
export const ocdsIds = (requirement: ResolvedRequirement) => {
  const base = requirement.reference;
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

const eur = (amount: number) => ({ amount, currency: 'EUR' as const });

/** The SHA-256 of `bytes` as a named-information URI (RFC 6920), with the media type. */
export function niUri(bytes: Uint8Array, mediaType: string): string {
  return `ni:///sha-256;${createHash('sha256').update(bytes).digest('base64url')}?ct=${mediaType}`;
}

/** Adds `months` calendar months to an ISO date, the day before the same date (end of the period). */
function endOfMonths(start: string, months: number): string {
  const d = new Date(`${start}T00:00:00Z`);
  const end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate()) - 86_400_000);
  return `${end.toISOString().slice(0, 10)}T23:59:59Z`;
}

/**
 * What the release's tender id (and so its `ocid`) is built on: the stored tender's id; outside
 * the store (the CLI), the buyer's file reference, after the buyer's SIRET when the request has
 * one (two buyers may use the same reference), so correcting a typo elsewhere keeps the ocid;
 * lacking a reference, a hash of the request, which changes with any edit (`stable: false`: the
 * CLI warns).
 */
export function ocdsTenderId(source: Pick<AnyTenderRequest, 'reference' | 'buyer'>, publication?: Publication): { tenderId: string; stable: boolean } {
  if (publication) return { tenderId: publication.tenderId, stable: true };
  const reference = (source.reference ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (reference !== '') return { tenderId: source.buyer.siret ? `${source.buyer.siret}-${reference}` : reference, stable: true };
  return { tenderId: `cahier-${createHash('sha256').update(canonicalJson(source)).digest('hex').slice(0, 16)}`, stable: false };
}

export function buildOcdsRelease(tender: ResolvedTender, options: OcdsOptions = {}): OcdsReleasePackage {
  const { request } = tender;
  const requestHash = createHash('sha256').update(canonicalJson(tender.source)).digest('hex');
  const { tenderId } = ocdsTenderId(tender.source, options.publication);
  const date = options.publication?.generatedAt ?? `${request.consultationDate}T00:00:00Z`;
  const siret = request.buyer.siret;
  const buyer = { id: siret ? `${SIRENE_SCHEME}-${siret}` : `buyer-${requestHash.slice(0, 8)}`, name: request.buyer.name };
  const lines = tender.lots.flatMap((l) => l.lines);
  const hasSupplies = lines.some((l) => l.item.nature === 'supply');
  const hasServices = lines.some((l) => l.item.nature === 'service');
  const contract = request.contract;
  const isFramework = contract.form === 'framework-agreement';
  // Published values are the framework agreement's maximum (R2162-4), never the buyer's estimate.
  const tenderValue = isFramework ? contract.maximumAmount : undefined;
  const fileCriteria = request.awardCriteria;
  const awardTypes = new Set(tender.lots.flatMap((l) => l.awardCriteria.map((c) => c.type)));
  const contractPeriod = period(contract.durationMonths, contract.start?.date);
  const renewal = contract.renewals && contract.renewals.count > 0 ? contract.renewals : undefined;
  const fileOptions = request.options;

  return {
    uri: `urn:cahier:tender:${tenderId}`,
    version: '1.1',
    extensions: [...OCDS_EXTENSIONS],
    publishedDate: date,
    publisher: { name: 'Cahier' },
    releases: [
      {
        ocid: `${options.ocidPrefix ?? DEFAULT_OCID_PREFIX}-${tenderId}`,
        id: `${tenderId}-tender-${date.replace(/\D/g, '')}`,
        date,
        tag: ['tender'],
        initiationType: 'tender',
        language: 'fr',
        parties: [
          {
            ...buyer,
            ...(siret ? { identifier: { scheme: SIRENE_SCHEME, id: siret, legalName: request.buyer.name } } : {}),
            ...(request.buyer.address ? { address: { streetAddress: request.buyer.address, countryName: 'France' } } : {}),
            roles: ['buyer', 'procuringEntity'],
          },
        ],
        buyer,
        tender: {
          id: tenderId,
          title: request.title,
          ...(request.context ? { description: request.context } : {}),
          // Published for bids: the release tag is « tender », the tender is open.
          status: 'active',
          procuringEntity: buyer,
          procurementMethod: PROCUREMENT_METHODS[request.procedure],
          procurementMethodDetails: PROCEDURE_LABELS[request.procedure],
          mainProcurementCategory: hasSupplies ? 'goods' : 'services',
          ...(hasSupplies && hasServices ? { additionalProcurementCategories: ['services' as const] } : {}),
          ...(tenderValue === undefined ? {} : { value: eur(tenderValue) }),
          ...(isFramework && contract.minimumAmount !== undefined ? { minValue: eur(contract.minimumAmount) } : {}),
          ...(awardTypes.size > 0
            ? {
                awardCriteria: awardTypes.size > 1 ? ('ratedCriteria' as const) : awardTypes.has('price') ? ('priceOnly' as const) : awardTypes.has('cost') ? ('costOnly' as const) : ('qualityOnly' as const),
                ...(fileCriteria.length > 0 ? { awardCriteriaDetails: fileCriteria.map((c) => `${c.name} : ${formatPercent(c.weight)}`).join(' ; ') } : {}),
              }
            : {}),
          submissionMethod: ['electronicSubmission' as const],
          ...(request.buyerProfileUrl ? { submissionMethodDetails: `Remise des plis par voie électronique sur le profil d’acheteur : ${request.buyerProfileUrl}` } : {}),
          ...(request.offerDeadline ? { tenderPeriod: { startDate: date, endDate: request.offerDeadline } } : {}),
          ...(request.questionsDeadline ? { enquiryPeriod: { startDate: date, endDate: request.questionsDeadline } } : {}),
          ...(request.maxLotsPerBidder === undefined ? {} : { lotDetails: { maximumLotsAwardedPerSupplier: request.maxLotsPerBidder } }),
          ...(contractPeriod ? { contractPeriod } : {}),
          techniques: { hasFrameworkAgreement: isFramework },
          hasOptions: fileOptions.length > 0 || tender.lots.some((l) => l.options.length > 0),
          ...(fileOptions.length > 0 ? { options: { description: fileOptions.map((o) => `${o.label} : ${o.description}`).join(' ; ') } } : {}),
          hasRenewal: renewal !== undefined,
          ...(renewal ? { renewal: renewalOf(renewal, contract.durationMonths) } : {}),
          documents: (options.documents ?? []).map((piece) => documentOf(piece, date)),
          items: tender.lots.flatMap((lot) =>
            lot.lines.map((line) => ({
              id: `${lotId(lot)}/${line.id}`,
              description: line.item.label,
              classification: { scheme: 'CPV' as const, id: line.item.cpv.slice(0, 8) },
              quantity: line.quantity,
              unit: { name: line.item.unit },
              relatedLot: lotId(lot),
            })),
          ),
          lots: tender.lots.map((lot) => {
            const max = isFramework ? lot.limits.maximumAmount : undefined;
            const min = isFramework ? lot.limits.minimumAmount : undefined;
            return {
              id: lotId(lot),
              title: lot.title,
              status: 'active' as const,
              ...(max === undefined ? {} : { value: eur(max) }),
              ...(min === undefined ? {} : { minimumValue: eur(min) }),
              ...(lot.awardCriteria.length > 0 ? { awardCriteria: { criteria: awardCriteria(lot) } } : {}),
              hasOptions: lot.options.length > 0,
              ...(lot.options.length > 0 ? { options: { description: lot.options.map((o) => `${o.label} : ${o.description}`).join(' ; ') } } : {}),
            };
          }),
          criteria: tender.lots.flatMap((lot) => lot.requirements.map((r) => criterion(lot, r))),
        },
      },
    ],
  };
}

/** The contract's period: dates when it starts on a date, else its length in days (months × 365,25 / 12). */
function period(months: number | undefined, start: string | undefined) {
  if (start !== undefined) return { startDate: `${start}T00:00:00Z`, ...(months === undefined ? {} : { endDate: endOfMonths(start, months) }) };
  if (months === undefined) return undefined;
  return { durationInDays: Math.round((months * 365.25) / 12) };
}

function renewalOf(renewal: { count: number; months?: number | undefined; kind?: 'tacit' | 'express' | undefined }, initialMonths: number | undefined) {
  const months = renewal.months ?? initialMonths;
  const kind = renewal.kind === 'tacit' ? 'tacite' : renewal.kind === 'express' ? 'expresse' : undefined;
  const each = months === undefined ? '' : ` de ${months} mois`;
  return {
    description: `Reconduction${kind ? ` ${kind}` : ''}${each}, ${renewal.count} fois au plus.`,
    maximumRenewals: renewal.count,
    ...(months === undefined ? {} : { period: { durationInDays: Math.round((months * 365.25) / 12) } }),
  };
}

function documentOf(piece: OcdsPiece, date: string): OcdsDocument {
  const hash = piece.bytes ? createHash('sha256').update(piece.bytes).digest('hex') : undefined;
  return {
    id: piece.fileName,
    documentType: piece.documentType ?? DOCUMENT_TYPES[piece.fileName] ?? 'biddingDocuments',
    title: piece.title,
    description: hash
      ? `${piece.fileName}, empreinte SHA-256 ${hash}.`
      : `${piece.fileName}, qui contient ces données en pièce jointe (PDF/A-3) ; son empreinte figure au rapport de génération.`,
    ...(piece.bytes ? { url: niUri(piece.bytes, piece.mediaType) } : {}),
    datePublished: date,
    format: piece.mediaType,
    language: 'fr',
    ...(piece.relatedLots ? { relatedLots: piece.relatedLots } : {}),
  };
}

/** The release's options for one generation: its publication and the pieces it lists, the hash of those that can state one. */
export async function ocdsOptionsFor(input: RenderInput, sources: readonly OcdsSource[], env: Record<string, string | undefined> = process.env): Promise<OcdsOptions> {
  const documents = await Promise.all(sources.map(async ({ render, ...piece }): Promise<OcdsPiece> => (render ? { ...piece, bytes: await render() } : piece)));
  return { ...ocdsIdentity(input.publication, env), documents };
}

/** What a release's ocid is built on: the configured prefix (OCDS_OCID_PREFIX) and the stored tender, when there is one. */
export function ocdsIdentity(publication: Publication | undefined, env: Record<string, string | undefined> = process.env): Pick<OcdsOptions, 'ocidPrefix' | 'publication'> {
  const prefix = env.OCDS_OCID_PREFIX;
  return { ...(prefix ? { ocidPrefix: prefix } : {}), ...(publication ? { publication } : {}) };
}

/** The release package as UTF-8 JSON, two-space indented, ending with a newline. */
export function renderOcdsJson(tender: ResolvedTender, options: OcdsOptions = {}): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(buildOcdsRelease(tender, options), null, 2)}\n`);
}


function awardCriteria(lot: ResolvedLot) {
  return lot.awardCriteria.map((c) => {
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
  const ids = ocdsIds(r);
  return {
    id: ids.criterion,
    title: r.label,
    description: r.requirement,
    relatesToTenderer: false,
    relatedLots: [lotId(lot)],
    requirementGroups: [
      {
        id: ids.group,
        description: `${LEVEL_LABELS[r.level]} — justificatif : ${r.proof.map((p) => PROOF_LABELS[p]).join(', ')}`,
        requirements: [{ id: ids.requirement, title: r.label, description: formatThreshold(r.metric), ...requirementValue(r.metric) }],
      },
    ],
  };
}

/**
 * The threshold in the requirements extension's terms: bounds for a number (its unit is in the
 * description), the expected value, or for « at least » on an ordered list a `pattern` accepting
 * that value and those above it.
 */
export function requirementValue(metric: Metric): Omit<OcdsRequirement, 'id' | 'title' | 'description'> {
  switch (metric.type) {
    case 'numeric': {
      if (metric.comparator === 'gte') return { dataType: 'number', minValue: metric.value };
      if (metric.comparator === 'lte') return { dataType: 'number', maxValue: metric.value };
      return { dataType: 'number', expectedValue: metric.value };
    }
    case 'range':
      return { dataType: 'number', minValue: metric.min, maxValue: metric.max };
    case 'boolean':
      return { dataType: 'boolean', expectedValue: metric.expected };
    case 'enum':
      return metric.comparator === 'eq'
        ? { dataType: 'string', expectedValue: metric.value }
        : { dataType: 'string', pattern: `^(?:${metric.options.slice(metric.options.indexOf(metric.value)).map(escapeRegExp).join('|')})$` };
    case 'text':
      return { dataType: 'string' };
  }
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

