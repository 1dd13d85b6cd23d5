import type { FormatDescriptor, OutputDescriptor } from '#src/app/ports/outputs.ts';

/*
 * What Cahier can write, without the code that writes it: small enough for the web app and the
 * OpenAPI document to import. The adapters in registry.ts add each file's renderer.
 */

export const PDF = 'application/pdf';
export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const JSON_MEDIA_TYPE = 'application/json';
export const ZIP = 'application/zip';

/** The formats a buyer may ask for, in canonical order. */
export const FORMATS = [
  { name: 'pdf', label: 'CCTP (PDF)' },
  { name: 'rc', label: 'Règlement de la consultation (PDF et Word)' },
  { name: 'docx', label: 'CCTP au format Word' },
  { name: 'xlsx', label: 'Cadre de réponse et bordereau des prix (Excel)' },
  { name: 'json', label: 'Données ouvertes OCDS (JSON)' },
  { name: 'note', label: 'Note interne à l’acheteur, à ne pas publier (PDF)' },
  { name: 'ccap', label: 'Cahier des clauses administratives particulières (PDF et Word)' },
  { name: 'ae', label: 'Acte d’engagement, un chapitre par lot (PDF et Word)' },
  { name: 'dpa', label: 'Annexe au CCAP sur les données personnelles, si un lot en traite (PDF et Word)' },
  { name: 'dce', label: 'Dossier de consultation complet (zip) et son bordereau des pièces' },
] as const satisfies readonly FormatDescriptor[];

export type FormatName = (typeof FORMATS)[number]['name'];

/** The CCTP and, with every generation unless formats are named, the buyer's note interne. */
export const DEFAULT_FORMATS: readonly FormatName[] = ['pdf', 'note'];

/** The files of the CCTP and its companions, in generation order (the CCTP first). */
const CORE_OUTPUTS = [
  { format: 'pdf', fileName: 'cctp.pdf', mediaType: PDF, audience: 'bidder', title: 'Le CCTP' },
  { format: 'rc', fileName: 'rc.pdf', mediaType: PDF, audience: 'bidder', title: 'Le règlement de la consultation' },
  { format: 'rc', fileName: 'rc.docx', mediaType: DOCX, audience: 'bidder', title: 'Le règlement de la consultation au format Word' },
  { format: 'docx', fileName: 'cctp.docx', mediaType: DOCX, audience: 'bidder', title: 'Le CCTP au format Word' },
  { format: 'xlsx', fileName: 'cadre-de-reponse.xlsx', mediaType: XLSX, audience: 'bidder', title: 'Le cadre de réponse' },
  { format: 'xlsx', fileName: 'bordereau-des-prix.xlsx', mediaType: XLSX, audience: 'bidder', title: 'Le bordereau des prix' },
  { format: 'json', fileName: 'tender.ocds.json', mediaType: JSON_MEDIA_TYPE, audience: 'bidder', title: 'Les données ouvertes (OCDS)' },
  { format: 'note', fileName: 'note-interne.pdf', mediaType: PDF, audience: 'buyer', title: 'La note interne (à ne pas publier)' },
] as const satisfies readonly OutputDescriptor[];

/** The other pieces of the consultation file (issue #15): CCAP, acte d'engagement, data-processing annex, and the whole DCE as a zip. */
const DCE_OUTPUTS = [
  { format: 'ccap', fileName: 'ccap.pdf', mediaType: PDF, audience: 'bidder', title: 'Le CCAP' },
  { format: 'ccap', fileName: 'ccap.docx', mediaType: DOCX, audience: 'bidder', title: 'Le CCAP au format Word' },
  { format: 'ae', fileName: 'acte-engagement.pdf', mediaType: PDF, audience: 'bidder', title: 'L’acte d’engagement' },
  { format: 'ae', fileName: 'acte-engagement.docx', mediaType: DOCX, audience: 'bidder', title: 'L’acte d’engagement au format Word' },
  { format: 'dpa', fileName: 'annexe-rgpd.pdf', mediaType: PDF, audience: 'bidder', title: 'L’annexe sur les données personnelles' },
  { format: 'dpa', fileName: 'annexe-rgpd.docx', mediaType: DOCX, audience: 'bidder', title: 'L’annexe sur les données personnelles au format Word' },
  { format: 'dce', fileName: 'dce.zip', mediaType: ZIP, audience: 'bidder', title: 'Le dossier de consultation complet (zip)' },
  { format: 'dce', fileName: 'dce-manifest.json', mediaType: JSON_MEDIA_TYPE, audience: 'bidder', title: 'Le bordereau des pièces du dossier (JSON)' },
] as const satisfies readonly OutputDescriptor[];

/** Every file, in generation order. */
export const OUTPUTS = [...CORE_OUTPUTS, ...DCE_OUTPUTS] as const;

/** The files registry.ts renders; the consultation-file pieces' renderers live in dce/renderers.ts. */
export type OutputFileName = (typeof CORE_OUTPUTS)[number]['fileName'];
export type DceFileName = (typeof DCE_OUTPUTS)[number]['fileName'];

/** Bidder files Cahier no longer writes but stored tenders still hold: the RC extract, replaced by the complete RC. */
const RETIRED_BIDDER_FILES: readonly string[] = ['rc-extrait.pdf'];

/** Who a stored file is for: its output's audience; report.json and any unknown name stay with the buyer. */
export function audienceOfFile(name: string): 'bidder' | 'buyer' {
  if (RETIRED_BIDDER_FILES.includes(name)) return 'bidder';
  return OUTPUTS.find((o) => o.fileName === name)?.audience ?? 'buyer';
}

/**
 * The formats whose files need the Office writers (src/adapters/render/docx/, src/adapters/render/xlsx/): Word, Excel, and the DCE whose
 * zip holds them. The tenders function does not bundle those writers; a generation that asks for
 * one of these formats is rendered by the documents function (issue #19).
 */
export const OFFICE_FORMATS: readonly FormatName[] = [...new Set(OUTPUTS.filter((o) => o.mediaType === DOCX || o.mediaType === XLSX || o.mediaType === ZIP).map((o) => o.format))];
