import { audienceOfFile, DOCX, JSON_MEDIA_TYPE, OUTPUTS, PDF, XLSX, ZIP } from '../../../src/adapters/render/formats.ts';
import type { DocumentView } from '../api.ts';
import { formatBytes } from '../format.ts';

const DOCUMENT_LABELS: Record<string, string> = {
  ...Object.fromEntries(OUTPUTS.map((o) => [o.fileName, o.title])),
  'report.json': 'Le rapport de génération',
};

const FORMATS: Record<string, string> = {
  [PDF]: 'PDF',
  [JSON_MEDIA_TYPE]: 'JSON',
  [DOCX]: 'Word',
  [XLSX]: 'Excel',
  [ZIP]: 'archive zip',
};

/** « (PDF, 120 ko) », and a warning on the buyer's own files (note interne, report), which are never to be published. */
function FileFacts(props: { document: DocumentView }) {
  const d = props.document;
  const internal = (d.audience ?? audienceOfFile(d.name)) === 'buyer';
  return (
    <>
      <span class="muted">
        ({FORMATS[d.mediaType] ?? d.mediaType}
        {d.bytes !== undefined ? `, ${formatBytes(d.bytes)}` : d.status === 'failed' ? ', non produit' : ', en préparation'})
      </span>
      {internal ? (
        <>
          {' '}
          <strong class="internal">Document interne : ne pas publier</strong>
        </>
      ) : null}
    </>
  );
}

/** What a tender holds, without links (the record lists names, not URLs). */
export function DocumentList(props: { documents: readonly DocumentView[] }) {
  return (
    <ul class="documents" aria-label="Documents enregistrés">
      {props.documents.map((d) => (
        <li key={d.name} data-stored-document={d.name}>
          {DOCUMENT_LABELS[d.name] ?? d.name} <FileFacts document={d} />
        </li>
      ))}
    </ul>
  );
}

/** Download links (short-lived presigned URLs), PDF first. */
export function DocumentLinks(props: { documents: ReadonlyArray<DocumentView & { url?: string; expiresAt?: string }> }) {
  const sorted = [...props.documents].sort((a, b) => Number(b.mediaType === 'application/pdf') - Number(a.mediaType === 'application/pdf'));
  return (
    <ul class="documents">
      {sorted.map((d) => (
        <li key={d.name}>
          <a href={d.url} download={d.name} class={d.name === 'cctp.pdf' ? 'button' : undefined} data-document={d.name}>
            Télécharger {(DOCUMENT_LABELS[d.name] ?? d.name).replace(/^L[ea’] ?/, (m) => m.toLowerCase())}
          </a>{' '}
          <FileFacts document={d} />
        </li>
      ))}
    </ul>
  );
}
