import * as z from 'zod';
import { NotFoundError } from '#src/core/model/errors.ts';
import type { DceEntry } from '#src/core/documents/bordereau.ts';
import type { DocumentStore } from './ports/document-store.ts';
import { getTender, type TenderDeps, type Viewer } from './generate-tender.ts';
import { sha256 } from './generate-documents.ts';
import { DocumentNotReadyError } from './errors.ts';
import { Sha256Schema, tenderDocumentKey } from './tender-ids.ts';

/** The two files of the `dce` format (src/adapters/render/formats.ts). */
export const DCE_ZIP = 'dce.zip';
export const DCE_MANIFEST = 'dce-manifest.json';

const DceManifestSchema = z.object({
  files: z.array(
    z.object({
      name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/),
      title: z.string(),
      role: z.enum(['contractual', 'informative']),
      mediaType: z.string(),
      size: z.number().int().nonnegative(),
      sha256: Sha256Schema,
    }),
  ),
});

/** A piece of a stored DCE as its bordereau lists it, with a short-lived link to the piece alone. */
export interface DcePieceLink extends DceEntry {
  /** Presigned URL of the piece: a PDF opens in the browser (inline), any other file downloads. */
  url: string;
  expiresAt: string;
}

/** Opens a zip: its entries by name. Given by the adapter (the use cases bundle no zip code). */
export type Unzip = (zip: Uint8Array) => Promise<ReadonlyMap<string, Uint8Array>>;

/** Where a DCE piece is stored apart: under the tender's prefix, so the garbage collector keeps it with the tender. */
export const dcePieceKey = (tenderId: string, name: string): string => tenderDocumentKey(tenderId, `dce/${name}`);

type Manifest = z.infer<typeof DceManifestSchema>;

const parseManifest = (bytes: Uint8Array): Manifest => DceManifestSchema.parse(JSON.parse(new TextDecoder().decode(bytes)));

/**
 * Stores each piece of a DCE zip apart, beside it, checked against its SHA-256 in the manifest,
 * so that a buyer can preview one piece without the zip. Each key written is added to `written`
 * (for the caller to delete them when the rest of a rendering fails), and every write has settled
 * when this returns or throws; a piece that does not match its manifest stops everything before
 * any is written.
 */
export async function storeDcePieces(
  tenderId: string,
  dce: { zip: Uint8Array; manifest: Uint8Array },
  deps: { documents: Pick<DocumentStore, 'put'>; unzip: Unzip },
  written: string[] = [],
): Promise<void> {
  const manifest = parseManifest(dce.manifest);
  const entries = await deps.unzip(dce.zip);
  const pieces = manifest.files.map((file) => {
    const bytes = entries.get(file.name);
    if (!bytes || sha256(bytes) !== file.sha256) throw new Error(`tender ${tenderId}: ${file.name} of ${DCE_ZIP} does not match its manifest`);
    return { file, bytes };
  });
  const results = await Promise.allSettled(
    pieces.map(async ({ file, bytes }) => {
      const key = dcePieceKey(tenderId, file.name);
      await deps.documents.put(key, bytes, file.mediaType);
      written.push(key);
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * The bordereau of a tender's consultation file (its stored manifest) with a link to each piece,
 * so that a buyer checks and previews every piece before publishing the zip. Reads only: the
 * documents job stored the pieces beside the zip when it rendered it (storeDcePieces). A tender
 * rendered before it did (no `dcePieces` mark) has them extracted and stored at its first reading,
 * which then marks the record, so that later readings write nothing.
 */
export async function tenderDcePieces(
  id: string,
  viewer: Viewer,
  deps: Pick<TenderDeps, 'tenders' | 'documents' | 'clock' | 'urlTtlSeconds'>,
  unzip: Unzip,
): Promise<DcePieceLink[]> {
  const record = await getTender(id, viewer, deps);
  const zip = record.documents.find((d) => d.name === DCE_ZIP);
  const manifestDocument = record.documents.find((d) => d.name === DCE_MANIFEST);
  if (!zip || !manifestDocument) {
    const rendering = record.rendering;
    if (rendering && rendering.status !== 'ready' && rendering.files.some((f) => f.name === DCE_ZIP)) throw new DocumentNotReadyError(id, DCE_ZIP, rendering.status);
    throw new NotFoundError('document', `${id}/${DCE_ZIP}`);
  }
  const manifestBytes = await deps.documents.get(manifestDocument.key);
  const manifest = parseManifest(manifestBytes);
  if (record.dcePieces !== 'stored') {
    // Two first readings may both store the pieces: same keys, same bytes; one of them marks the record.
    await storeDcePieces(record.id, { zip: await deps.documents.get(zip.key), manifest: manifestBytes }, { documents: deps.documents, unzip });
    await deps.tenders.recordDcePieces({ ...record, dcePieces: 'stored' });
  }
  const expiresAt = new Date(deps.clock.now().getTime() + deps.urlTtlSeconds * 1000).toISOString();
  return Promise.all(
    manifest.files.map(async (file) => ({
      ...file,
      url: await deps.documents.presignedGet(dcePieceKey(record.id, file.name), deps.urlTtlSeconds, { downloadName: file.name, inline: file.mediaType === 'application/pdf' }),
      expiresAt,
    })),
  );
}
