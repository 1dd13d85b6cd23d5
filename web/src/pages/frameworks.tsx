import { useEffect, useRef, useState } from 'preact/hooks';
import type { CriterionExcerpt, EntryChange, PublicationChange, PublicationPreview } from '../../../src/core/audit/changelog.ts';
import { changeLabels } from '../../../src/core/documents/labels.ts';
import { ApiError, listFrameworks, type Criterion, type Framework } from '../api.ts';
import { useApp } from '../app-context.ts';
import { CriteriaSheetPanel } from '../components/criteria-sheet.tsx';
import { PublicationImpact } from '../components/publication-impact.tsx';
import { TextArea, TextField } from '../components/fields.tsx';
import { Alert, Loading, Page } from '../components/page.tsx';
import { loadAllCriteria } from '../criteria.ts';
import { download } from '../download.ts';
import { formatDate } from '../format.ts';
import { problemMessage } from '../messages.ts';
import { fieldErrorsOf } from '../validation.ts';
import { ITEM_FIELDS, OFFER_FIELDS } from '../../../src/core/audit/entry-fields.ts';

/** Published frameworks, the criteria that moved since, and publication of the next version. */
export function FrameworksPage() {
  const { api } = useApp();
  const [frameworks, setFrameworks] = useState<Framework[] | undefined>();
  const [latest, setLatest] = useState<Map<string, Criterion> | undefined>();
  const [error, setError] = useState<string | undefined>();
  const load = () => {
    listFrameworks(api).then(setFrameworks, (e: unknown) => setError(problemMessage(e)));
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
  const [preview, setPreview] = useState<PublicationPreview | undefined>();
  const [result, setResult] = useState<{ kind: 'success' | 'error'; text: string } | undefined>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const previewHeading = useRef<HTMLHeadingElement>(null);
  const previewButton = useRef<HTMLButtonElement>(null);
  const moved = props.latest ? f.criteria.flatMap((ref) => {
    const current = props.latest!.get(ref.id);
    return current && current.version > ref.version ? [{ ref, current }] : [];
  }) : [];
  // Items and offers that moved since: the server compares them (a version published before they
  // were versioned pins version 1 of each), in the preview it answers without writing anything.
  const [pending, setPending] = useState<PublicationPreview | undefined>();
  useEffect(() => {
    setPending(undefined);
    api.request<PublicationPreview>('GET', `/frameworks/${encodeURIComponent(f.id)}/publication`).then(
      ({ body }) => setPending(body),
      (e: unknown) => setResult({ kind: 'error', text: problemMessage(e) }),
    );
  }, [api, f.id, f.version]);
  const movedEntries = pending ? pending.items.length + pending.offers.length : 0;
  const somethingMoved = moved.length > 0 || movedEntries > 0;
  // The focus follows the step: the preview's heading when it opens, the button back on cancel (once enabled again).
  const returnFocus = useRef(false);
  useEffect(() => {
    if (preview) previewHeading.current?.focus();
    else if (returnFocus.current) previewButton.current?.focus();
    returnFocus.current = false;
  }, [preview]);

  const failed = (e: unknown) => {
    if (e instanceof ApiError && e.status === 409) setResult({ kind: 'error', text: `La version ${f.version + 1} vient d’être publiée par un autre éditeur. La liste a été rechargée.` });
    else if (e instanceof ApiError && e.status === 422 && e.problem.errors) {
      setFieldErrors(fieldErrorsOf(e.problem.errors));
      setResult({ kind: 'error', text: 'La publication a été refusée : corrigez les champs signalés.' });
    } else setResult({ kind: 'error', text: problemMessage(e) });
    if (e instanceof ApiError && e.status === 409) props.onPublished();
  };

  /** First step: the reason is checked, then the preview of what the version changes opens. */
  const openPreview = async () => {
    setResult(undefined);
    setFieldErrors({});
    if (reason.trim().length < 3) {
      setFieldErrors({ reason: 'Indiquez le motif de la publication (3 caractères au moins) : il est conservé dans l’historique.' });
      setResult({ kind: 'error', text: 'La publication demande un motif.' });
      return;
    }
    setBusy(true);
    try {
      const { body } = await api.request<PublicationPreview>('GET', `/frameworks/${encodeURIComponent(f.id)}/publication`);
      setPreview(body);
    } catch (e) {
      failed(e);
    } finally {
      setBusy(false);
    }
  };

  const cancel = () => {
    returnFocus.current = true;
    setPreview(undefined);
  };

  const publish = async () => {
    setBusy(true);
    setResult(undefined);
    try {
      const { body } = await api.request<Framework>('POST', `/frameworks/${encodeURIComponent(f.id)}/versions`, { body: { version: f.version + 1, reason: reason.trim(), ...(publishedAt ? { publishedAt } : {}) } });
      setReason('');
      setPreview(undefined);
      setResult({ kind: 'success', text: `Version ${body.version} publiée : les acheteurs la voient désormais par défaut.` });
      props.onPublished();
    } catch (e) {
      setPreview(undefined);
      failed(e);
    } finally {
      setBusy(false);
    }
  };

  const downloadChangelog = async (format: 'md' | 'pdf') => {
    try {
      const path = `/frameworks/${encodeURIComponent(f.id)}/versions/${f.version}/changelog`;
      if (format === 'pdf') {
        const { body } = await api.request<Blob>('GET', `${path}.pdf`, { blob: true, headers: { accept: 'application/pdf' } });
        download(`${f.id}-v${f.version}-changelog.pdf`, 'application/pdf', body);
        return;
      }
      const { text } = await api.request<unknown>('GET', path, { headers: { accept: 'text/markdown' } });
      download(`${f.id}-v${f.version}-changelog.md`, 'text/markdown;charset=utf-8', text);
    } catch (e) {
      setResult({ kind: 'error', text: problemMessage(e) });
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
      <p>
        <button type="button" class="button-secondary button-small" onClick={() => void downloadChangelog('pdf')}>
          Télécharger le journal des modifications de la version {f.version} (PDF)
        </button>{' '}
        <button type="button" class="button-secondary button-small" onClick={() => void downloadChangelog('md')}>
          Télécharger le journal des modifications de la version {f.version} (Markdown)
        </button>
      </p>
      <CriteriaSheetPanel frameworkId={f.id} version={f.version} onImported={props.onPublished} />
      <h3>Critères modifiés depuis la version {f.version}</h3>
      {!props.latest || !pending ? <Loading label="Comparaison avec les dernières versions…" /> : null}
      {props.latest && pending && !somethingMoved ? (
        <p>Aucun : la version {f.version} épingle déjà la dernière version de chaque critère, article et offre. Il n’y a rien à publier ; modifiez d’abord un critère.</p>
      ) : null}
      {moved.length > 0 ? (
        <ul>
          {moved.map(({ ref, current }) => (
            <li key={ref.id}>
              <a href={`#/editeur/criteres/${encodeURIComponent(ref.id)}?v=${current.version}`}>{current.label}</a> : version {ref.version} épinglée, version {current.version} disponible
            </li>
          ))}
        </ul>
      ) : null}
      {movedEntries > 0 ? (
        <>
          <h3>Articles et offres modifiés depuis la version {f.version}</h3>
          <ul>
            {[...pending!.items.map((c) => ({ c, kind: 'Article' })), ...pending!.offers.map((c) => ({ c, kind: 'Offre' }))].map(({ c, kind }) => (
              <li key={`${kind}-${c.id}`}>
                {kind} « {c.label} » : {entryVersions(c)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {somethingMoved ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void openPreview();
          }}
        >
          <h3>Publier la version {f.version + 1}</h3>
          <p>Elle reprend les critères de la version {f.version}, chacun épinglé à sa dernière version, et chaque article et offre à sa dernière version. Une version publiée ne peut plus être modifiée : un aperçu vous montre d’abord ce qu’elle change.</p>
          <TextField id={`fw-${f.id}-date`} type="date" label="Date de publication" hint="Aujourd’hui si vide." value={publishedAt} error={fieldErrors.publishedAt} onInput={setPublishedAt} />
          <TextArea id={`fw-${f.id}-reason`} label="Motif de la publication" hint="Conservé dans l’historique avec votre identifiant et la date." required rows={2} maxLength={1000} value={reason} error={fieldErrors.reason} onInput={setReason} />
          <button type="submit" ref={previewButton} disabled={busy || preview !== undefined}>
            {busy && !preview ? 'Préparation de l’aperçu…' : `Publier la version ${f.version + 1}`}
          </button>
        </form>
      ) : null}
      {preview ? (
        <section class="preview" aria-labelledby={`fw-${f.id}-preview`}>
          <h3 id={`fw-${f.id}-preview`} tabIndex={-1} ref={previewHeading}>
            Aperçu de la version {f.version + 1}
          </h3>
          <p>
            {previewCount(preview) === 0
              ? `Plus rien ne change depuis la version ${preview.framework.version} : un autre éditeur a sans doute déjà publié.`
              : `${changeCount(preview)} par rapport à la version ${preview.framework.version}. Le texte est celui que le CCTP imprimera.`}{' '}
            L’effet sur un catalogue se mesure ci-dessous, ou sur la page <a href="#/catalogues">Catalogues</a>.
          </p>
          {preview.changes.map((change) => (
            <ChangePreview key={change.criterionId} change={change} />
          ))}
          {preview.items.map((change) => (
            <EntryPreview key={`item-${change.id}`} kind="item" change={change} />
          ))}
          {preview.offers.map((change) => (
            <EntryPreview key={`offer-${change.id}`} kind="offer" change={change} />
          ))}
          <PublicationImpact frameworkId={f.id} version={f.version} changes={preview.changes} latest={props.latest} />
          <p class="actions">
            <button type="button" disabled={busy || previewCount(preview) === 0} onClick={() => void publish()}>
              {busy ? 'Publication…' : 'Confirmer la publication'}
            </button>{' '}
            <button type="button" class="button-secondary" disabled={busy} onClick={cancel}>
              Annuler
            </button>
          </p>
        </section>
      ) : null}
      {result ? (
        <Alert kind={result.kind} live>
          {result.text}
        </Alert>
      ) : null}
    </section>
  );
}

const FIELDS: ReadonlyArray<[keyof CriterionExcerpt, string]> = [
  ['threshold', 'Seuil'],
  ['level', 'Niveau'],
  ['proof', 'Justificatifs'],
  ['text', 'Texte du CCTP'],
];

/** One criterion of the preview: what changes, before → after, as the CCTP prints it. */
function ChangePreview(props: { change: PublicationChange }) {
  const { change } = props;
  const rows = FIELDS.filter(([field]) => change.before?.[field] !== change.after?.[field]);
  return (
    <article class="change" aria-labelledby={`change-${change.criterionId}`}>
      <h4 id={`change-${change.criterionId}`}>
        {change.label} ({changeLabels(change.changes)}, version {change.before?.version ?? '—'} → {change.after?.version ?? '—'})
      </h4>
      {rows.length > 0 ? (
        <DiffTable label={change.label} rows={rows.map(([field, title]) => ({ key: field, title, before: change.before?.[field], after: change.after?.[field] }))} />
      ) : (
        <p>Le seuil, le niveau, les justificatifs et le texte imprimés ne changent pas (seuls l’intitulé ou des champs que le CCTP n’imprime pas changent).</p>
      )}
      {change.after ? (
        <blockquote>
          <p>
            <strong>Extrait du CCTP :</strong> {change.after.label} — {change.after.text} ({change.after.level} ; justificatifs : {change.after.proof})
          </p>
        </blockquote>
      ) : null}
    </article>
  );
}

/** How many criteria, items and offers the next version changes. */
function previewCount(preview: PublicationPreview): number {
  return preview.changes.length + preview.items.length + preview.offers.length;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? `1 ${one}` : `${n} ${many}`);

/** « 2 critères, 1 article et 1 offre changent », counting only what changes. */
function changeCount(preview: PublicationPreview): string {
  const parts = [
    preview.changes.length > 0 ? plural(preview.changes.length, 'critère', 'critères') : undefined,
    preview.items.length > 0 ? plural(preview.items.length, 'article', 'articles') : undefined,
    preview.offers.length > 0 ? plural(preview.offers.length, 'offre', 'offres') : undefined,
  ].filter((p): p is string => p !== undefined);
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} et ${parts.at(-1)}` : parts[0]!;
  return `${list.replace(/^1 /, 'Un ').replace(/^Un offre/, 'Une offre')} ${previewCount(preview) === 1 ? 'change' : 'changent'}`;
}

/** « version 1 → 2 », or an entry added or removed. */
function entryVersions(change: EntryChange): string {
  if (change.before === undefined) return `ajouté en version ${change.after}`;
  if (change.after === undefined) return `retiré (version ${change.before})`;
  return `version ${change.before} épinglée, version ${change.after} disponible`;
}

/** Item and offer fields share names (label, description); an offer's `items` is its composition. */
const ENTRY_FIELDS: Readonly<Record<string, string>> = { ...ITEM_FIELDS, ...OFFER_FIELDS };

/** One item or offer of the preview: its versions and each field before → after. */
function EntryPreview(props: { kind: 'item' | 'offer'; change: EntryChange }) {
  const { change } = props;
  const id = `change-${props.kind}-${change.id}`;
  return (
    <article class="change" aria-labelledby={id}>
      <h4 id={id}>
        {props.kind === 'item' ? 'Article' : 'Offre'} « {change.label} » (version {change.before ?? '—'} → {change.after ?? '—'})
      </h4>
      {change.fields.length > 0 ? (
        <DiffTable label={change.label} rows={change.fields.map((f) => ({ key: f.field, title: ENTRY_FIELDS[f.field] ?? f.field, before: f.before, after: f.after }))} />
      ) : null}
    </article>
  );
}

/** A field-by-field diff, before → after; an absent side shows « — ». */
function DiffTable(props: { label: string; rows: ReadonlyArray<{ key: string; title: string; before: string | number | undefined; after: string | number | undefined }> }) {
  return (
    <table class="diff">
      <caption class="visually-hidden">Modifications de « {props.label} »</caption>
      <thead>
        <tr>
          <th scope="col">Champ</th>
          <th scope="col">Avant</th>
          <th scope="col">Après</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{row.title}</th>
            <td>{row.before ?? '—'}</td>
            <td>{row.after ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
