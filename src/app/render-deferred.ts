import { DomainError } from '#src/core/model/errors.ts';
import { generateDocuments, type GenerateDocumentsDeps } from './generate-documents.ts';
import { FORMATS_BEFORE_CHOICE, storeFiles, withReport, type TenderDeps } from './generate-tender.ts';
import { DCE_MANIFEST, DCE_ZIP, storeDcePieces, type Unzip } from './dce-pieces.ts';

/** `unzip` opens the DCE zip the job renders, to store its pieces apart. */
export type DeferredRenderDeps = GenerateDocumentsDeps & Pick<TenderDeps, 'tenders' | 'documents' | 'clock'> & { unzip: Unzip };

/** What a job did: rendered and stored every file, failed (nothing stored), or found nothing to do (not pending: a repeated delivery). */
export type DeferredRenderOutcome = 'ready' | 'failed' | 'skipped';

/**
 * The documents function's job (issue #19): renders a recorded tender whose rendering is pending,
 * from its record alone (the stored request, its pinned framework and criterion versions, its
 * formats, id and date: the same inputs, so the same bytes, as the inline path would have
 * written), stores every file and, with a DCE, each of its pieces apart (so that GET
 * /tenders/{id}/dce links them without writing), then records them with the rendering ready.
 * Any failure stores nothing (files already written are deleted) and records the rendering
 * failed, with a reason the buyer may read. A tender whose rendering is not pending is left alone,
 * so a job delivered twice renders once.
 */
export async function renderDeferredDocuments(tenderId: string, deps: DeferredRenderDeps): Promise<DeferredRenderOutcome> {
  const record = await deps.tenders.get(tenderId);
  const rendering = record.rendering;
  if (rendering?.status !== 'pending') return 'skipped';
  let finished;
  try {
    const generated = await generateDocuments(record.request, deps, record.formats ?? FORMATS_BEFORE_CHOICE, { tenderId: record.id, generatedAt: record.createdAt });
    const files = withReport(generated);
    const stored = await storeFiles(record.id, files, deps, true);
    const zip = files.find((f) => f.name === DCE_ZIP);
    const manifest = files.find((f) => f.name === DCE_MANIFEST);
    if (zip && manifest) {
      const pieces: string[] = [];
      try {
        await storeDcePieces(record.id, { zip: zip.content, manifest: manifest.content }, deps, pieces);
      } catch (error) {
        await Promise.allSettled([...stored.map((d) => d.key), ...pieces].map((key) => deps.documents.delete(key)));
        throw error;
      }
    }
    finished = {
      ...record,
      documents: stored,
      contentHash: generated.report.contentHash,
      ...(zip && manifest ? { dcePieces: 'stored' as const } : {}),
      rendering: { ...rendering, status: 'ready' as const, finishedAt: deps.clock.now().toISOString() },
    };
  } catch (error) {
    const known = error instanceof DomainError;
    const reason = known ? error.message.slice(0, 500) : 'the documents could not be rendered or stored';
    const cause = known ? ('invalid' as const) : ('error' as const);
    const failed = { ...record, rendering: { ...rendering, status: 'failed' as const, finishedAt: deps.clock.now().toISOString(), reason, cause } };
    return (await deps.tenders.completeRendering(failed)) ? 'failed' : 'skipped';
  }
  return (await deps.tenders.completeRendering(finished)) ? 'ready' : 'skipped';
}
