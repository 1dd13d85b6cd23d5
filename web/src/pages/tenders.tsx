import { useEffect, useState } from 'preact/hooks';
import type { TenderSummary } from '../api.ts';
import { useApp } from '../app-context.ts';
import { Alert, Loading, Page } from '../components/page.tsx';
import { formatCount, formatDateTime } from '../format.ts';
import { problemMessage } from '../messages.ts';

/** The caller's tenders, newest first (`GET /tenders`, paged). */
export function TendersPage() {
  const { api } = useApp();
  const [items, setItems] = useState<TenderSummary[] | undefined>();
  const [cursor, setCursor] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const load = (after?: string) =>
    api.request<{ items: TenderSummary[]; cursor?: string }>('GET', `/tenders?limit=20${after ? `&cursor=${encodeURIComponent(after)}` : ''}`).then(
      ({ body }) => {
        setItems((current) => [...(after ? (current ?? []) : []), ...body.items]);
        setCursor(body.cursor);
      },
      (e: unknown) => setError(problemMessage(e)),
    );
  useEffect(() => void load(), [api]);

  return (
    <Page title="Mes consultations" lead="Les CCTP que vous avez générés. Ouvrez-en un pour le télécharger à nouveau ou le dupliquer en brouillon.">
      {error ? <Alert kind="error">{error}</Alert> : null}
      {!items && !error ? <Loading /> : null}
      {items && items.length === 0 ? (
        <p>
          Aucune consultation pour l’instant. <a href="#/cctp">Rédiger un CCTP</a>
        </p>
      ) : null}
      {items && items.length > 0 ? (
        <div class="table-wrap">
          <table>
            <caption>{formatCount(items.length, 'consultation', 'consultations')}</caption>
            <thead>
              <tr>
                <th scope="col">Objet</th>
                <th scope="col">Généré le</th>
                <th scope="col">Référentiel</th>
                <th scope="col">Constats aux règles d’aujourd’hui</th>
              </tr>
            </thead>
            <tbody>
              {items.map((t) => (
                <tr key={t.id}>
                  <td>
                    <a href={`#/appels/${encodeURIComponent(t.id)}`}>{t.title}</a>
                  </td>
                  <td>{formatDateTime(t.createdAt)}</td>
                  <td>
                    {t.framework.id}, version {t.framework.version}
                  </td>
                  <td data-recheck={t.recheck ? (t.recheck.blocking ? 'blocking' : t.recheck.changed ? 'changed' : 'unchanged') : 'unknown'}>
                    <RecheckCell recheck={t.recheck} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {items && items.length > 0 ? (
        <p class="muted">
          Chaque consultation est contrôlée à nouveau avec les seuils et les textes en vigueur aujourd’hui ; ses documents ne changent pas. Ouvrez-la pour voir les constats ajoutés ou levés.
        </p>
      ) : null}
      {cursor ? (
        <button type="button" class="button-secondary" onClick={() => load(cursor)}>
          Afficher les suivants
        </button>
      ) : null}
    </Page>
  );
}

/** Whether a stored tender's findings changed under today's rules, in words. */
function RecheckCell(props: { recheck: TenderSummary['recheck'] }) {
  const { recheck } = props;
  if (!recheck) return <span class="muted">Non contrôlé : version du référentiel retirée</span>;
  if (!recheck.changed) return <span>Inchangés</span>;
  const counts = [
    recheck.added > 0 ? formatCount(recheck.added, 'constat nouveau', 'constats nouveaux') : null,
    recheck.removed > 0 ? formatCount(recheck.removed, 'constat levé', 'constats levés') : null,
  ].filter((c): c is string => c !== null);
  return (
    <span>
      <strong>{recheck.blocking ? 'Bloquant aujourd’hui' : 'Modifiés'}</strong> : {counts.join(', ')}
    </span>
  );
}
