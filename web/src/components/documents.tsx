import type { DocumentView } from '../api.ts';
import { formatBytes } from '../format.ts';

const DOCUMENT_LABELS: Record<string, string> = {
  'cctp.pdf': 'Le CCTP',
  'report.json': 'Le rapport de génération',
  'rc-extrait.pdf': 'L’extrait du règlement de la consultation',
  'cctp.docx': 'Le CCTP au format Word',
  'cadre-de-reponse.xlsx': 'Le cadre de réponse',
  'bordereau-des-prix.xlsx': 'Le bordereau des prix',
  'tender.ocds.json': 'Les données ouvertes (OCDS)',
};

const FORMATS: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/json': 'JSON',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
};

/** What a tender holds, without links (the record lists names, not URLs). */
export function DocumentList(props: { documents: readonly DocumentView[] }) {
  return (
    <ul class="documents" aria-label="Documents enregistrés">
      {props.documents.map((d) => (
        <li key={d.name} data-stored-document={d.name}>
          {DOCUMENT_LABELS[d.name] ?? d.name}{' '}
          <span class="muted">
            ({FORMATS[d.mediaType] ?? d.mediaType}, {formatBytes(d.bytes)})
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Download links (short-lived presigned URLs), PDF first. */
export function DocumentLinks(props: { documents: ReadonlyArray<DocumentView & { url: string; expiresAt?: string }> }) {
  const sorted = [...props.documents].sort((a, b) => Number(b.mediaType === 'application/pdf') - Number(a.mediaType === 'application/pdf'));
  return (
    <ul class="documents">
      {sorted.map((d) => (
        <li key={d.name}>
          <a href={d.url} download={d.name} class={d.name === 'cctp.pdf' ? 'button' : undefined} data-document={d.name}>
            Télécharger {(DOCUMENT_LABELS[d.name] ?? d.name).replace(/^L[ea’] ?/, (m) => m.toLowerCase())}
          </a>{' '}
          <span class="muted">
            ({FORMATS[d.mediaType] ?? d.mediaType}, {formatBytes(d.bytes)})
          </span>
        </li>
      ))}
    </ul>
  );
}
