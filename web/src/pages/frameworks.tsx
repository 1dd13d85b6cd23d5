import { useEffect, useState } from 'preact/hooks';
import { ApiError, type Criterion, type Framework } from '../api.ts';
import { useApp } from '../app-context.ts';
import { TextArea, TextField } from '../components/fields.tsx';
import { Alert, Loading, Page } from '../components/page.tsx';
import { loadAllCriteria } from '../criteria.ts';
import { formatDate } from '../format.ts';
import { problemMessage } from '../messages.ts';
import { fieldErrorsOf } from '../validation.ts';

/** Published frameworks, the criteria that moved since, and publication of the next version. */
export function FrameworksPage() {
  const { api } = useApp();
  const [frameworks, setFrameworks] = useState<Framework[] | undefined>();
  const [latest, setLatest] = useState<Map<string, Criterion> | undefined>();
  const [error, setError] = useState<string | undefined>();
  const load = () => {
    api.request<{ items: Framework[] }>('GET', '/frameworks').then(
      ({ body }) => setFrameworks(body.items),
      (e: unknown) => setError(problemMessage(e)),
    );
    loadAllCriteria(api).then(
      (list) => setLatest(new Map(list.map((c) => [c.id, c]))),
      (e: unknown) => setError(problemMessage(e)),
    );
  };
  useEffect(load, [api]);

  return (
    <Page title="Référentiels" lead="Un référentiel publié épingle une version de chaque critère ; il ne change plus. Publiez une nouvelle version pour proposer aux acheteurs les critères modifiés." wide>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {!frameworks && !error ? <Loading /> : null}
      {frameworks?.map((f) => <FrameworkCard key={f.id} framework={f} latest={latest} onPublished={load} />)}
    </Page>
  );
}

function FrameworkCard(props: { framework: Framework; latest: Map<string, Criterion> | undefined; onPublished: () => void }) {
  const { api } = useApp();
  const f = props.framework;
  const [publishedAt, setPublishedAt] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ kind: 'success' | 'error'; text: string } | undefined>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const moved = props.latest ? f.criteria.flatMap((ref) => {
    const current = props.latest!.get(ref.id);
    return current && current.version > ref.version ? [{ ref, current }] : [];
  }) : [];

  const publish = async () => {
    setBusy(true);
    setResult(undefined);
    setFieldErrors({});
    if (reason.trim().length < 3) {
      setFieldErrors({ reason: 'Indiquez le motif de la publication (3 caractères au moins) : il est conservé dans l’historique.' });
      setResult({ kind: 'error', text: 'La publication demande un motif.' });
      setBusy(false);
      return;
    }
    try {
      const { body } = await api.request<Framework>('POST', `/frameworks/${encodeURIComponent(f.id)}/versions`, { body: { version: f.version + 1, reason: reason.trim(), ...(publishedAt ? { publishedAt } : {}) } });
      setReason('');
      setResult({ kind: 'success', text: `Version ${body.version} publiée : les acheteurs la voient désormais par défaut.` });
      props.onPublished();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setResult({ kind: 'error', text: `La version ${f.version + 1} vient d’être publiée par un autre éditeur. La liste a été rechargée.` });
      else if (e instanceof ApiError && e.status === 422 && e.problem.errors) {
        setFieldErrors(fieldErrorsOf(e.problem.errors));
        setResult({ kind: 'error', text: 'La publication a été refusée : corrigez les champs signalés.' });
      } else setResult({ kind: 'error', text: problemMessage(e) });
      if (e instanceof ApiError && e.status === 409) props.onPublished();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby={`fw-${f.id}`}>
      <h2 id={`fw-${f.id}`}>{f.title}</h2>
      <dl class="summary">
        <dt>Identifiant</dt>
        <dd>
          <code>{f.id}</code>
        </dd>
        <dt>Dernière version</dt>
        <dd>
          {f.version}
          {f.publishedAt ? `, publiée le ${formatDate(f.publishedAt)}` : ''}
        </dd>
        <dt>Référence</dt>
        <dd>{f.reference}</dd>
        <dt>Critères épinglés</dt>
        <dd>{f.criteria.length}</dd>
        <dt>Cofinancement</dt>
        <dd>{f.programmes === undefined ? 'Tous les programmes enregistrés, jugés à la date de chaque consultation' : f.programmes.length === 0 ? 'Aucun programme' : f.programmes.join(', ')}</dd>
      </dl>
      <h3>Critères modifiés depuis la version {f.version}</h3>
      {!props.latest ? <Loading label="Comparaison avec les dernières versions…" /> : null}
      {props.latest && moved.length === 0 ? <p>Aucun : la version {f.version} épingle déjà la dernière version de chaque critère.</p> : null}
      {moved.length > 0 ? (
        <ul>
          {moved.map(({ ref, current }) => (
            <li key={ref.id}>
              <a href={`#/editeur/criteres/${encodeURIComponent(ref.id)}?v=${current.version}`}>{current.label}</a> : version {ref.version} épinglée, version {current.version} disponible
            </li>
          ))}
        </ul>
      ) : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void publish();
        }}
      >
        <h3>Publier la version {f.version + 1}</h3>
        <p>Elle reprend les critères de la version {f.version}, chacun épinglé à sa dernière version. Une version publiée ne peut plus être modifiée.</p>
        <TextField id={`fw-${f.id}-date`} type="date" label="Date de publication" hint="Aujourd’hui si vide." value={publishedAt} error={fieldErrors.publishedAt} onInput={setPublishedAt} />
        <TextArea id={`fw-${f.id}-reason`} label="Motif de la publication" hint="Conservé dans l’historique avec votre identifiant et la date." required rows={2} maxLength={1000} value={reason} error={fieldErrors.reason} onInput={setReason} />
        <button type="submit" disabled={busy}>
          {busy ? 'Publication…' : `Publier la version ${f.version + 1}`}
        </button>
      </form>
      {result ? (
        <Alert kind={result.kind} live>
          {result.text}
        </Alert>
      ) : null}
    </section>
  );
}
