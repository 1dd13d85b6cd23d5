import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { DocumentLink, DocumentView, TenderView } from '../api.ts';
import { useApp } from '../app-context.ts';
import { requestLineSummary } from '../catalogue.ts';
import { DceBordereau } from '../components/dce.tsx';
import { DocumentLinks, DocumentList } from '../components/documents.tsx';
import { FindingsList } from '../components/findings.tsx';
import { Alert, Loading, Page } from '../components/page.tsx';
import { fromRequest, saveDraft } from '../draft.ts';
import { saveServerRef } from '../server-drafts.ts';
import { formatCount, formatDate, formatDateTime, formatInteger, formatPercent, frenchSpacing } from '../format.ts';
import { BUYER_TYPE_LABELS, PROCEDURE_SHORT_LABELS } from '../labels.ts';
import { problemMessage, renderingFailureMessage } from '../messages.ts';
import { navigate } from '../router.ts';
import { isBuyer } from '../session.ts';

/** One tender: what was asked, the documents (downloaded again through fresh links), duplication as a draft. */
export function TenderPage(props: { id: string }) {
  const { api, session } = useApp();
  const [tender, setTender] = useState<TenderView | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [links, setLinks] = useState<Array<DocumentView & DocumentLink> | undefined>();
  const [linkError, setLinkError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.request<TenderView>('GET', `/tenders/${encodeURIComponent(props.id)}`).then(
      ({ body }) => setTender(body),
      (e: unknown) => setError(problemMessage(e)),
    );
  }, [api, props.id]);

  // Download URLs live at most 15 minutes, so the record lists none: the document route gives a
  // fresh one per document, as JSON (Accept: application/json, which the API client sends)
  // rather than as a redirect to the bucket that fetch could not follow.
  const refreshLinks = async () => {
    if (!tender) return;
    setBusy(true);
    setLinkError(undefined);
    try {
      const fresh = await Promise.all(
        // Links for ready documents only (a pending or failed one answers 409).
        tender.documents.filter((d) => (d.status ?? 'ready') === 'ready').map(async (d) => {
          const { body } = await api.request<DocumentLink>('GET', d.href);
          return { ...d, url: body.url, expiresAt: body.expiresAt };
        }),
      );
      setLinks(fresh);
      requestAnimationFrame(() => document.getElementById('links')?.focus());
    } catch (e) {
      setLinkError(problemMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (error) {
    return (
      <Page title="Appel d’offres">
        <Alert kind="error">{error}</Alert>
        <p>
          <a href="#/appels">Retour à mes consultations</a>
        </p>
      </Page>
    );
  }
  if (!tender) return <Loading />;
  const r = tender.request;
  return (
    <Page title={r.title}>
      <p>
        <a href="#/appels">Retour à mes consultations</a>
      </p>
      <dl class="summary">
        <dt>Généré le</dt>
        <dd>{formatDateTime(tender.createdAt)}</dd>
        <dt>Acheteur</dt>
        <dd>
          {r.buyer.name} ({BUYER_TYPE_LABELS[r.buyer.type]})
        </dd>
        <dt>Référentiel</dt>
        <dd>
          {tender.framework.id}, version {tender.framework.version}
        </dd>
        <dt>Procédure</dt>
        <dd>
          {PROCEDURE_SHORT_LABELS[r.procedure]}, lancement le {formatDate(r.consultationDate)}
        </dd>
        {r.lots.map((lot, i) => (
          <Fragment key={i}>
            <dt>Lot {i + 1}</dt>
            <dd>
              {lot.title}
              {lot.offer ? ` — ${formatCount(lot.offer.count, 'offre packagée', 'offres packagées')}` : ''}
              {lot.items.length > 0 ? ` — ${lot.items.map(requestLineSummary).join(', ')}` : ''}
              {'awardCriteria' in lot && lot.awardCriteria ? ` ; critères : ${lot.awardCriteria.map((a) => `${a.name} ${formatPercent(a.weight)}`).join(' ; ')}` : ''}
              {lot.overrides.length > 0 ? ` ; ${formatCount(lot.overrides.length, 'exigence modifiée', 'exigences modifiées')}` : ''}
            </dd>
          </Fragment>
        ))}
        {r.awardCriteria.length > 0 ? (
          <>
            <dt>Critères d’attribution</dt>
            <dd>{r.awardCriteria.map((a) => `${a.name} ${formatPercent(a.weight)}`).join(' ; ')}</dd>
          </>
        ) : null}
      </dl>

      {tender.recheck ? <Recheck recheck={tender.recheck} /> : null}

      <section aria-labelledby="docs">
        <h2 id="docs">Documents</h2>
        {links ? (
          <div id="links" tabIndex={-1}>
            <DocumentLinks documents={links} />
            <p class="muted">Ces liens expirent le {formatDateTime(links[0]?.expiresAt ?? '')} ; obtenez-en de nouveaux au besoin.</p>
            <button type="button" class="button-secondary button-small" onClick={refreshLinks} disabled={busy}>
              {busy ? 'Préparation des liens…' : 'Obtenir de nouveaux liens'}
            </button>
          </div>
        ) : (
          <>
            <DocumentList documents={tender.documents} />
            {tender.rendering?.status === 'pending' ? <p role="status" class="hint">{frenchSpacing('Des documents sont en préparation : rechargez la page dans quelques instants.')}</p> : null}
            {tender.rendering?.status === 'failed' ? <Alert kind="error">{frenchSpacing(renderingFailureMessage(tender.rendering.cause))}</Alert> : null}
            <button type="button" onClick={refreshLinks} disabled={busy || tender.rendering?.status === 'pending' || tender.rendering?.status === 'failed'}>
              {busy ? 'Préparation des liens…' : 'Obtenir les liens de téléchargement'}
            </button>
          </>
        )}
        {linkError ? <Alert kind="error">{linkError}</Alert> : null}
        {tender.documents.some((d) => d.name === 'dce.zip' && (d.status ?? 'ready') === 'ready') ? <DceBordereau tenderId={tender.id} /> : null}
      </section>

      {isBuyer(session) ? (
        <section aria-labelledby="offres">
          <h2 id="offres">Offres</h2>
          <p>
            <a href={`#/appels/${encodeURIComponent(tender.id)}/offres`}>Analyse des offres</a> : enregistrez les offres reçues, vérifiez leur conformité, notez-les et
            obtenez le rapport d’analyse.
          </p>
        </section>
      ) : null}

      {isBuyer(session) ? (
        <section aria-labelledby="dup">
          <h2 id="dup">Réutiliser</h2>
          <p>Reprenez cette demande comme point de départ d’un nouveau CCTP ; elle remplace votre brouillon en cours.</p>
          <button
            type="button"
            class="button-secondary"
            onClick={() => {
              if (!session) return;
              saveDraft(session.subject, fromRequest(r));
              saveServerRef(session.subject, undefined);
              navigate('/cctp/1');
            }}
          >
            Dupliquer en brouillon
          </button>
        </section>
      ) : null}
    </Page>
  );
}

/** Whether the findings stored with the tender still hold under the rules in force today; its documents are left as generated. */
function Recheck(props: { recheck: NonNullable<TenderView['recheck']> }) {
  const { recheck } = props;
  return (
    <section aria-labelledby="recheck">
      <h2 id="recheck">Contrôle aux règles en vigueur aujourd’hui</h2>
      {!recheck.changed ? (
        <p class="ok-text">Constats inchangés : les règles d’aujourd’hui donnent les mêmes constats que lors de la génération.</p>
      ) : (
        <Alert kind={recheck.blocking ? 'error' : 'warning'} title="Les constats ont changé depuis la génération">
          <p>
            Les documents restent tels qu’ils ont été générés ; relisez les constats ci-dessous avant de les réutiliser
            {recheck.blocking ? ' : une erreur bloquerait aujourd’hui leur génération' : ''}.
          </p>
          {recheck.added.length > 0 ? (
            <>
              <p>Nouveaux constats :</p>
              <FindingsList findings={recheck.added} />
            </>
          ) : null}
          {recheck.removed.length > 0 ? (
            <>
              <p>Constats qui ne s’appliquent plus :</p>
              <ul>
                {recheck.removed.map((f, i) => (
                  <li key={`${f.code}-${i}`}>{f.message}</li>
                ))}
              </ul>
            </>
          ) : null}
        </Alert>
      )}
      <p class="muted small">
        Règles appliquées : version {recheck.rules.lawVersion} des textes et {recheck.rules.fundingVersion} des programmes de cofinancement
        {recheck.storedRules ? ` (à la génération : ${recheck.storedRules.lawVersion} et ${recheck.storedRules.fundingVersion})` : ''}.
      </p>
    </section>
  );
}
