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
import type { ResolvedLot } from '#src/core/model/resolve-tender.ts';
import { needsDataProcessingAnnex } from '#src/core/documents/dpa-document.ts';
import type { DocumentName } from '#src/core/documents/document-models.ts';
import { DOCX, JSON_MEDIA_TYPE, PDF, XLSX } from '../formats.ts';
import type { Generation } from '../generation.ts';
import { lotId, type OcdsDocumentType, type OcdsSource } from '../ocds/ocds.ts';
import { writePackage } from '../office-package.ts';

export interface DcePackage {
  zip: Uint8Array;
  /** manifest.json, also stored beside the zip. */
  manifest: Uint8Array;
  entries: DceEntry[];
}

/** A piece of the zip: what the bordereau and the OCDS release say of it, and how it is rendered. */
interface Piece {
  name: string;
  title: string;
  role: DceEntry['role'];
  mediaType: string;
  /** What the OCDS release calls it (documentType codelist). */
  documentType: OcdsDocumentType;
  /** The lot it concerns, when the file has several and the piece concerns one. */
  lot?: ResolvedLot;
  render(): Promise<Uint8Array>;
}

type PieceInfo = Omit<Piece, 'name' | 'mediaType' | 'render'>;

export const MANIFEST_NAME = 'manifest.json';
export const BORDEREAU_NAME = '00_Bordereau_des_pieces.pdf';
export const OCDS_NAME = '08_Donnees_OCDS.json';
const BORDEREAU_INFO: PieceInfo = { title: 'Bordereau des pièces', role: 'informative', documentType: 'biddingDocuments' };

/**
 * A document in PDF: the generation's archival PDF (PDF/A-3a, PDF/UA-1, the release attached), the
 * same bytes as the file of that document when the generation also writes it alone.
 */
function pdf(generation: Generation, base: string, info: PieceInfo, model: () => DocumentModel): Piece {
  return { ...info, name: `${base}.pdf`, mediaType: PDF, render: () => generation.pdf(model()) };
}

/** A document in PDF and, being editable, in Word. */
function pdfAndDocx(generation: Generation, base: string, info: PieceInfo, model: () => DocumentModel): Piece[] {
  return [
    pdf(generation, base, info, model),
    { ...info, name: `${base}.docx`, title: `${info.title} (Word)`, mediaType: DOCX, render: () => generation.docx(model()) },
  ];
}

/** A render done at most once, whoever asks first (the release hashing a piece, or the zip). */
function once(render: () => Promise<Uint8Array>): () => Promise<Uint8Array> {
  let bytes: Promise<Uint8Array> | undefined;
  return () => (bytes ??= render());
}

const piecesByInput = new WeakMap<RenderInput, Piece[]>();
/** The bidder pieces in the order a buyer files them, the bordereau aside; each rendered once per generation. */
function pieces(input: RenderInput, generation: Generation): Piece[] {
  let list = piecesByInput.get(input);
  if (!list) {
    list = allPieces(input, generation).map((p) => ({ ...p, render: once(p.render) }));
    piecesByInput.set(input, list);
  }
  return list;
}

function allPieces(input: RenderInput, generation: Generation): Piece[] {
  const { tender } = input;
  const document = (name: DocumentName) => () => input.document(name);
  const single = tender.lots.length === 1;
  const framework = tender.request.contract.form === 'framework-agreement';
  return [
    ...pdfAndDocx(generation, '01_RC', { title: 'Règlement de la consultation (RC)', role: 'informative', documentType: 'biddingDocuments' }, document('rc')),
    ...tender.lots.flatMap((lot) =>
      pdfAndDocx(
        generation,
        single ? '02_AE' : `02_AE_lot${lot.number}`,
        { title: single ? 'Acte d’engagement' : `Acte d’engagement du lot ${lot.number}`, role: 'contractual', documentType: 'contractDraft', ...(single ? {} : { lot }) },
        () => aeLotDocument(tender, input.document('acte-engagement'), lot.number),
      ),
    ),
    ...pdfAndDocx(generation, '03_CCAP', { title: 'Cahier des clauses administratives particulières (CCAP)', role: 'contractual', documentType: 'contractDraft' }, document('ccap')),
    ...(needsDataProcessingAnnex(tender)
      ? pdfAndDocx(generation, '04_CCAP_annexe_RGPD', { title: 'Annexe au CCAP : protection des données personnelles', role: 'contractual', documentType: 'contractAnnexe' }, document('annexe-rgpd'))
      : []),
    ...pdfAndDocx(generation, '05_CCTP', { title: 'Cahier des clauses techniques particulières (CCTP)', role: 'contractual', documentType: 'technicalSpecifications' }, document('cctp')),
    {
      name: framework ? '06_BPU_DQE.xlsx' : '06_DPGF.xlsx',
      title: framework ? 'Bordereau des prix unitaires et détail quantitatif estimatif' : 'Décomposition du prix global et forfaitaire',
      role: 'contractual',
      mediaType: XLSX,
      documentType: 'billOfQuantity',
      render: () => generation.file('bordereau-des-prix.xlsx'),
    },
    {
      name: '07_Cadre_de_reponse.xlsx',
      title: 'Cadre de réponse (matrice de conformité)',
      role: 'contractual',
      mediaType: XLSX,
      documentType: 'biddingDocuments',
      render: () => generation.file('cadre-de-reponse.xlsx'),
    },
    {
      name: OCDS_NAME,
      title: 'Données ouvertes de la consultation (OCDS)',
      role: 'informative',
      mediaType: JSON_MEDIA_TYPE,
      documentType: 'biddingDocuments',
      // The release every PDF of the zip carries, byte for byte.
      render: () => generation.file('tender.ocds.json'),
    },
  ];
}

/**
 * The DCE's pieces as the OCDS release lists them (`tender.documents`). The cycle is cut where the
 * CCTP's pieces cut it: every PDF (the bordereau included) carries the release, so it cannot state
 * its own hash in it and is listed without one; the Word and Excel pieces carry nothing and are
 * listed with theirs. The release itself, the manifest and the zip are not listed: each holds the
 * release or its hash.
 */
export function dceDocuments(input: RenderInput, generation: Generation): OcdsSource[] {
  const listed = [{ ...BORDEREAU_INFO, name: BORDEREAU_NAME, mediaType: PDF }, ...pieces(input, generation).filter((p) => p.name !== OCDS_NAME)];
  return listed.map((p) => ({
    fileName: p.name,
    mediaType: p.mediaType,
    title: p.title,
    documentType: p.documentType,
    ...('lot' in p && p.lot ? { relatedLots: [lotId(p.lot)] } : {}),
    ...('render' in p && p.mediaType !== PDF ? { render: p.render } : {}),
  }));
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const built = new WeakMap<RenderInput, Promise<DcePackage>>();

/** The DCE of a generation, built once however many of its files are asked for. */
export function dcePackage(input: RenderInput, generation: Generation): Promise<DcePackage> {
  let promise = built.get(input);
  if (!promise) {
    promise = buildDcePackage(input, generation);
    built.set(input, promise);
  }
  return promise;
}

async function buildDcePackage(input: RenderInput, generation: Generation): Promise<DcePackage> {
  const { tender } = input;
  const files = new Map<string, Uint8Array>();
  const entries: DceEntry[] = [];
  for (const piece of pieces(input, generation)) {
    const bytes = await piece.render();
    files.set(piece.name, bytes);
    entries.push({ name: piece.name, title: piece.title, role: piece.role, mediaType: piece.mediaType, size: bytes.length, sha256: sha256(bytes) });
  }
  const bordereau = await generation.pdf(buildBordereauDocument(tender, entries));
  const all: DceEntry[] = [
    { name: BORDEREAU_NAME, title: BORDEREAU_INFO.title, role: BORDEREAU_INFO.role, mediaType: PDF, size: bordereau.length, sha256: sha256(bordereau) },
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
