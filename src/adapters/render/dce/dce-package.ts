/**
 * The consultation file (DCE) as one zip: every bidder piece, named as buyers name them, with a
 * French « bordereau des pièces » (PDF) and a JSON manifest listing each file's title, role, size and
 * SHA-256. Same request, same bytes: every piece is deterministic and the zip entries carry the
 * consultation date. The note interne and anything else meant for the buyer alone never enter it.
 */
import { createHash } from 'node:crypto';
import type { RenderInput } from '#src/app/ports/outputs.ts';
import { aeLotDocument } from '#src/core/documents/ae-document.ts';
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import { buildBordereauDocument, type DceEntry } from '#src/core/documents/bordereau.ts';
import { needsDataProcessingAnnex } from '#src/core/documents/dpa-document.ts';
import type { DocumentName } from '#src/core/documents/document-models.ts';
import { DOCX, JSON_MEDIA_TYPE, PDF, XLSX } from '../formats.ts';
import { writePackage } from '../office-package.ts';

export interface DcePackage {
  zip: Uint8Array;
  /** manifest.json, also stored beside the zip. */
  manifest: Uint8Array;
  entries: DceEntry[];
}

interface Piece {
  name: string;
  title: string;
  role: DceEntry['role'];
  mediaType: string;
  render(): Promise<Uint8Array>;
}

export const MANIFEST_NAME = 'manifest.json';
export const BORDEREAU_NAME = '00_Bordereau_des_pieces.pdf';

/** A document in PDF. */
function pdf(base: string, title: string, role: DceEntry['role'], model: () => DocumentModel): Piece {
  return { name: `${base}.pdf`, title, role, mediaType: PDF, render: async () => (await import('../pdf/render-pdf.ts')).renderPdf(model()) };
}

/** A document in PDF and, being editable, in Word. */
function pdfAndDocx(base: string, title: string, role: DceEntry['role'], model: () => DocumentModel): Piece[] {
  return [
    pdf(base, title, role, model),
    { name: `${base}.docx`, title: `${title} (Word)`, role, mediaType: DOCX, render: async () => (await import('../docx/render-docx.ts')).renderDocx(model()) },
  ];
}

/** The bidder pieces in the order a buyer files them. */
function pieces(input: RenderInput): Piece[] {
  const { tender } = input;
  const document = (name: DocumentName) => () => input.document(name);
  const single = tender.lots.length === 1;
  const framework = tender.request.contract.form === 'framework-agreement';
  return [
    ...pdfAndDocx('01_RC', 'Règlement de la consultation (RC)', 'informative', document('rc')),
    ...tender.lots.flatMap((lot) =>
      pdfAndDocx(single ? '02_AE' : `02_AE_lot${lot.number}`, single ? 'Acte d’engagement' : `Acte d’engagement du lot ${lot.number}`, 'contractual', () =>
        aeLotDocument(tender, input.document('acte-engagement'), lot.number),
      ),
    ),
    ...pdfAndDocx('03_CCAP', 'Cahier des clauses administratives particulières (CCAP)', 'contractual', document('ccap')),
    ...(needsDataProcessingAnnex(tender) ? pdfAndDocx('04_CCAP_annexe_RGPD', 'Annexe au CCAP : protection des données personnelles', 'contractual', document('annexe-rgpd')) : []),
    ...pdfAndDocx('05_CCTP', 'Cahier des clauses techniques particulières (CCTP)', 'contractual', document('cctp')),
    {
      name: framework ? '06_BPU_DQE.xlsx' : '06_DPGF.xlsx',
      title: framework ? 'Bordereau des prix unitaires et détail quantitatif estimatif' : 'Décomposition du prix global et forfaitaire',
      role: 'contractual',
      mediaType: XLSX,
      render: async () => (await import('../xlsx/price-schedule.ts')).renderPriceSchedule(tender),
    },
    {
      name: '07_Cadre_de_reponse.xlsx',
      title: 'Cadre de réponse (matrice de conformité)',
      role: 'contractual',
      mediaType: XLSX,
      render: async () => (await import('../xlsx/compliance-matrix.ts')).renderComplianceMatrix(tender),
    },
    {
      name: '08_Donnees_OCDS.json',
      title: 'Données ouvertes de la consultation (OCDS)',
      role: 'informative',
      mediaType: JSON_MEDIA_TYPE,
      render: async () => (await import('../ocds/ocds.ts')).renderOcdsJson(tender),
    },
  ];
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const built = new WeakMap<RenderInput, Promise<DcePackage>>();

/** The DCE of a generation, built once however many of its files are asked for. */
export function dcePackage(input: RenderInput): Promise<DcePackage> {
  let promise = built.get(input);
  if (!promise) {
    promise = buildDcePackage(input);
    built.set(input, promise);
  }
  return promise;
}

async function buildDcePackage(input: RenderInput): Promise<DcePackage> {
  const { tender } = input;
  const files = new Map<string, Uint8Array>();
  const entries: DceEntry[] = [];
  for (const piece of pieces(input)) {
    const bytes = await piece.render();
    files.set(piece.name, bytes);
    entries.push({ name: piece.name, title: piece.title, role: piece.role, mediaType: piece.mediaType, size: bytes.length, sha256: sha256(bytes) });
  }
  const { renderPdf } = await import('../pdf/render-pdf.ts');
  const bordereau = await renderPdf(buildBordereauDocument(tender, entries));
  const all: DceEntry[] = [
    { name: BORDEREAU_NAME, title: 'Bordereau des pièces', role: 'informative', mediaType: PDF, size: bordereau.length, sha256: sha256(bordereau) },
    ...entries,
  ];
  const { request } = tender;
  const manifest = new TextEncoder().encode(
    `${JSON.stringify(
      {
        consultation: { title: request.title, reference: request.reference ?? null, buyer: request.buyer.name, consultationDate: request.consultationDate },
        files: all,
      },
      null,
      2,
    )}\n`,
  );
  const parts = new Map<string, Uint8Array>([[BORDEREAU_NAME, bordereau], ...files, [MANIFEST_NAME, manifest]]);
  return { zip: writePackage(parts, `${request.consultationDate}T00:00:00.000Z`), manifest, entries: all };
}
