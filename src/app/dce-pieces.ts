import * as z from 'zod';
import { NotFoundError } from '#src/core/model/errors.ts';
import type { DceEntry } from '#src/core/documents/bordereau.ts';
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

/**
 * The bordereau of a tender's consultation file (its stored manifest) with a link to each piece,
 * so that a buyer checks and previews every piece before publishing the zip. The pieces live in
 * the zip; each reading stores them beside it (`dce/<name>`, under the tender's prefix, so the
 * garbage collector keeps them with the tender), each checked against its SHA-256 in the manifest,
 * and signs a link to each.
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
  const manifest = DceManifestSchema.parse(JSON.parse(new TextDecoder().decode(await deps.documents.get(manifestDocument.key))));
  const keyOf = (name: string) => tenderDocumentKey(record.id, `dce/${name}`);
  // Written again at each reading rather than probed: the tenders function may neither list the
  // bucket nor tell a missing object from a forbidden one. Same key, same bytes.
  const entries = await unzip(await deps.documents.get(zip.key));
  await Promise.all(
    manifest.files.map(async (file) => {
      const bytes = entries.get(file.name);
      if (!bytes || sha256(bytes) !== file.sha256) throw new Error(`tender ${record.id}: ${file.name} of ${DCE_ZIP} does not match its manifest`);
      await deps.documents.put(keyOf(file.name), bytes, file.mediaType);
    }),
  );
  const expiresAt = new Date(deps.clock.now().getTime() + deps.urlTtlSeconds * 1000).toISOString();
  return Promise.all(
    manifest.files.map(async (file) => ({
      ...file,
      url: await deps.documents.presignedGet(keyOf(file.name), deps.urlTtlSeconds, { downloadName: file.name, inline: file.mediaType === 'application/pdf' }),
      expiresAt,
    })),
  );
}
