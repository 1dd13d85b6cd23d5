import { useEffect, useState } from 'preact/hooks';
import type { DcePieces } from '../api.ts';
import { useApp } from '../app-context.ts';
import { formatBytes, formatCount, formatDateTime } from '../format.ts';
import { DCE_ROLE_LABELS } from '../labels.ts';
import { problemMessage } from '../messages.ts';
import { Alert, Loading } from './page.tsx';

const PDF = 'application/pdf';
const FORMAT_NAMES: Record<string, string> = {
  [PDF]: 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
  'application/json': 'JSON',
};

/**
 * The « bordereau des pièces » of a tender's consultation file (GET /tenders/{id}/dce): each piece
 * with its nature, size and SHA-256 (shortened, the full value one click away), a PDF opened in a
 * new tab to preview it, any other piece downloaded. `autoLoad`: read at once (just generated);
 * otherwise a button reads it, and the table then takes the focus.
 */
export function DceBordereau(props: { tenderId: string; autoLoad?: boolean; heading?: 'h2' | 'h3' }) {
  const { api } = useApp();
  const [pieces, setPieces] = useState<DcePieces['files'] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const Heading = props.heading ?? 'h3';
  const headingId = `bordereau-${props.tenderId}`;

  const load = async (focus: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      const { body } = await api.request<DcePieces>('GET', `/tenders/${encodeURIComponent(props.tenderId)}/dce`);
      setPieces(body.files);
      if (focus) requestAnimationFrame(() => document.getElementById(`${headingId}-table`)?.focus());
    } catch (e) {
      setError(problemMessage(e));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (props.autoLoad) void load(false);
    // Once per tender: a new generation shows its own bordereau.
  }, [props.tenderId]);

  const contractual = pieces?.filter((p) => p.role === 'contractual').length ?? 0;
  return (
    <div class="dce-bordereau">
      <Heading id={headingId}>Bordereau des pièces</Heading>
      {!pieces && !busy ? (
        <button type="button" class="button-secondary" onClick={() => void load(true)}>
          Afficher le bordereau des pièces
        </button>
      ) : null}
      {!pieces && busy ? <Loading label="Lecture du bordereau des pièces…" /> : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
      {pieces ? (
        <>
          <p>
            Le dossier de consultation compte {formatCount(pieces.length, 'pièce', 'pièces')}, dont {formatCount(contractual, 'contractuelle', 'contractuelles')}. Ouvrez chaque PDF pour le
            relire avant de publier l’archive{'\u202f; '}l’empreinte SHA-256 permet de vérifier qu’un fichier reçu est celui publié.
          </p>
          <div class="table-wrap" id={`${headingId}-table`} tabIndex={-1} aria-labelledby={headingId} role="region">
            <table class="bordereau">
              <caption class="visually-hidden">Pièces du dossier de consultation</caption>
              <thead>
                <tr>
                  <th scope="col">N°</th>
                  <th scope="col">Pièce</th>
                  <th scope="col">Nature</th>
                  <th scope="col">Empreinte SHA-256</th>
                  <th scope="col">Consulter</th>
                </tr>
              </thead>
              <tbody>
                {pieces.map((p, i) => (
                  <tr key={p.name} data-piece={p.name}>
                    <td>{i + 1}</td>
                    <th scope="row">
                      {p.title}
                      <span class="piece-file">
                        <code>{p.name}</code> <span class="muted">({FORMAT_NAMES[p.mediaType] ?? p.mediaType}, {formatBytes(p.size)})</span>
                      </span>
                    </th>
                    <td>{DCE_ROLE_LABELS[p.role]}</td>
                    <td>
                      <details class="hash">
                        <summary>
                          <code>{p.sha256.slice(0, 12)}…</code>
                          <span class="visually-hidden"> (afficher l’empreinte complète de la pièce {i + 1})</span>
                        </summary>
                        <code class="hash-full">{p.sha256}</code>
                      </details>
                    </td>
                    <td>
                      {p.mediaType === PDF ? (
                        <a href={p.url} target="_blank" rel="noopener noreferrer">
                          Aperçu<span class="visually-hidden">{'\u00a0: '}{p.title} (PDF, nouvel onglet)</span>
                        </a>
                      ) : (
                        <a href={p.url} download={p.name}>
                          Télécharger<span class="visually-hidden">{'\u00a0: '}{p.title}</span>
                        </a>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="muted small">
            Liens valables jusqu’au {formatDateTime(pieces[0]?.expiresAt ?? new Date().toISOString())}
            {'\u202f; '}
            <button type="button" class="button-link" onClick={() => void load(true)} disabled={busy}>
              obtenir de nouveaux liens
            </button>
            .
          </p>
        </>
      ) : null}
    </div>
  );
}
