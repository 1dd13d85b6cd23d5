/**
 * What makes a workbook Cahier generated recognisable when a bidder returns it: a very hidden,
 * protected sheet « Cahier » holding the tender's id, a fingerprint of the request it was
 * generated from and which of the two workbooks it is. A very hidden sheet cannot be shown from
 * the spreadsheet's menus (the workbook structure is locked besides), and spreadsheets keep it
 * when they save the file, as they keep every sheet; a document property would not survive every
 * spreadsheet's save.
 *
 * The fingerprint is the SHA-256 of the request as received (canonical JSON), so a stored tender's
 * regenerated template carries the marker its published file carried, and a file generated from
 * another request, or from the same request stored as another tender, does not match.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '#src/core/model/canonical-json.ts';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { Spreadsheet } from './spreadsheet.ts';
import { protectSheet } from './workbook.ts';

export const IDENTITY_SHEET = 'Cahier';

export type TemplateDocument = 'cadre-de-reponse' | 'bordereau-des-prix';

export interface TemplateIdentity {
  /** The stored tender's id; absent for a tender generated without storing it (the CLI). */
  tenderId?: string;
  /** « sha256:… » of the request as received. */
  fingerprint: string;
  document: TemplateDocument;
}

/** Rows of the identity sheet: label in column A, value in column B. */
export const IDENTITY_ROWS = { tenderId: 1, fingerprint: 2, document: 3 } as const;
const LABELS = { tenderId: 'Consultation', fingerprint: 'Empreinte de la demande', document: 'Document' } as const;

export function templateIdentity(tender: ResolvedTender, document: TemplateDocument, tenderId?: string): TemplateIdentity {
  const fingerprint = `sha256:${createHash('sha256').update(canonicalJson(tender.source)).digest('hex')}`;
  return tenderId === undefined ? { fingerprint, document } : { tenderId, fingerprint, document };
}

/** Adds the identity sheet, last and very hidden, every cell locked. */
export function writeIdentitySheet(workbook: Spreadsheet, identity: TemplateIdentity): void {
  const sheet = workbook.addSheet(IDENTITY_SHEET, 'veryHidden');
  sheet.widths.push(28, 80);
  for (const key of Object.keys(IDENTITY_ROWS) as Array<keyof typeof IDENTITY_ROWS>) {
    sheet.setRow(IDENTITY_ROWS[key], [LABELS[key], identity[key] ?? '']);
  }
  protectSheet(sheet);
}
