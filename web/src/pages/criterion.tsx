import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Criterion } from '../api.ts';
import { ApiError } from '../api.ts';
import { useApp } from '../app-context.ts';
import type { AuditEntry } from '../../../src/core/audit/audit-entry.ts';
import { ErrorSummary, SelectField, TextArea, TextField } from '../components/fields.tsx';
import { MetricEditor } from '../components/metric-editor.tsx';
import { Alert, Loading, Page } from '../components/page.tsx';
import { CATEGORIES, criterionFields, diffCriteria } from '../criteria.ts';
import { AUTHORITY_LABELS, CATEGORY_LABELS, KIND_LABELS, LEVEL_LABELS, options, PROOF_LABELS } from '../labels.ts';
import { formatDate } from '../format.ts';
import { problemMessage } from '../messages.ts';
import { fieldErrorsOf } from '../validation.ts';

type Draft = Omit<Criterion, 'version'>;

const strip = ({ version: _version, ...rest }: Criterion): Draft => rest;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * One criterion for a ministry editor: a typed form saved as the next version under If-Match
 * (the version read), the conflict when someone saved first (both versions side by side, and
 * the change re-applied on the latest), and the history of versions with a diff.
 */
export function CriterionPage(props: { id: string; query: URLSearchParams }) {
  const { api } = useApp();
  const [base, setBase] = useState<Criterion | undefined>();
  const [form, setForm] = useState<Draft | undefined>();
  const [versions, setVersions] = useState<Criterion[] | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<number | undefined>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | undefined>();
  const [conflict, setConflict] = useState<{ latest: Criterion; mine: Draft; read: Criterion } | undefined>();
  const [reason, setReason] = useState('');
  const [audit, setAudit] = useState<AuditEntry[] | undefined>();

  const loadVersions = () => {
    void api.request<{ items: AuditEntry[] }>('GET', `/audit?kind=criterion&id=${encodeURIComponent(props.id)}`).then(
      ({ body }) => setAudit(body.items),
      () => setAudit([]),
    );
    return api.request<{ items: Criterion[] }>('GET', `/criteria/${encodeURIComponent(props.id)}/versions`).then(
      ({ body }) => setVersions(body.items),
      () => setVersions([]),
    );
  };

  useEffect(() => {
    api.request<Criterion>('GET', `/criteria/${encodeURIComponent(props.id)}`).then(
      ({ body }) => {
        setBase(body);
        setForm(strip(body));
      },
      (e: unknown) => setLoadError(problemMessage(e)),
    );
    void loadVersions();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, props.id]);

  if (loadError) {
    return (
      <Page title="Critère">
        <Alert kind="error">{loadError}</Alert>
        <p>
          <a href="#/editeur/criteres">Retour aux critères</a>
        </p>
      </Page>
    );
  }
  if (!base || !form) return <Loading label="Chargement du critère…" />;

  const dirty = !same(form, strip(base));
  const update = (change: (d: Draft) => Draft) => {
    setForm((f) => f && change(f));
    setSaved(undefined);
  };
  const error = (path: string) => fieldErrors[path];

  const save = async () => {
    setFailure(undefined);
    setFieldErrors({});
    if (reason.trim().length < 3) {
      setFieldErrors({ reason: 'Indiquez le motif de la modification (3 caractères au moins) : il est conservé dans l’historique.' });
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.error-summary')?.focus());
      return;
    }
    setSaving(true);
    try {
      const { body } = await api.request<Criterion>('PUT', `/criteria/${encodeURIComponent(base.id)}`, { body: { ...form, reason: reason.trim() }, headers: { 'if-match': `"${base.version}"` } });
      setBase(body);
      setForm(strip(body));
      setReason('');
      setSaved(body.version);
      setConflict(undefined);
      void loadVersions();
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        const { body: latest } = await api.request<Criterion>('GET', `/criteria/${encodeURIComponent(base.id)}`);
        setConflict({ latest, mine: form, read: base });
        void loadVersions();
        requestAnimationFrame(() => document.getElementById('conflict')?.focus());
      } else if (e instanceof ApiError && e.status === 422 && e.problem.errors) {
        setFieldErrors(fieldErrorsOf(e.problem.errors));
        requestAnimationFrame(() => document.querySelector<HTMLElement>('.error-summary')?.focus());
      } else {
        setFailure(problemMessage(e));
      }
    } finally {
      setSaving(false);
    }
  };

  /** Re-applies the editor's own changes (relative to the version read) on top of the latest version. */
  const redo = () => {
    if (!conflict) return;
    const read = strip(conflict.read);
    const merged: Record<string, unknown> = { ...strip(conflict.latest) };
    for (const key of Object.keys({ ...read, ...conflict.mine }) as Array<keyof Draft>) {
      if (!same(conflict.mine[key], read[key])) merged[key] = conflict.mine[key];
    }
    setBase(conflict.latest);
    setForm(merged as Draft);
    setConflict(undefined);
    setSaved(undefined);
    requestAnimationFrame(() => document.getElementById('crit-label')?.focus());
  };
  const discard = () => {
    if (!conflict) return;
    setBase(conflict.latest);
    setForm(strip(conflict.latest));
    setConflict(undefined);
  };

  const summary = Object.entries(fieldErrors).map(([path, message]) => ({ id: idOfPath(path), label: path === 'reason' ? 'Motif de la modification' : (criterionFields(form).find((f) => path.startsWith(f.key))?.label ?? path), message }));

  return (
    <Page title={`Critère « ${base.label} »`} wide>
      <p>
        <a href="#/editeur/criteres">Retour aux critères</a>
      </p>
      <p class="muted">
        <code>{base.id}</code> — version {base.version} (la plus récente){dirty ? ' — modifications non enregistrées' : ''}
      </p>
      {saved ? (
        <Alert kind="success" live>
          Version {saved} enregistrée. Les référentiels déjà publiés gardent la version qu’ils épinglent ; publiez une nouvelle version du référentiel pour la proposer aux acheteurs.
        </Alert>
      ) : null}
      {conflict ? <ConflictView conflict={conflict} onRedo={redo} onDiscard={discard} /> : null}
      <ErrorSummary errors={summary} />
      {failure ? <Alert kind="error">{failure}</Alert> : null}

      <form
        class="card"
        aria-labelledby="edit-title"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h2 id="edit-title">Modifier</h2>
        <TextField id="crit-label" label="Intitulé" required maxLength={160} value={form.label} error={error('label')} onInput={(v) => update((f) => ({ ...f, label: v }))} />
        <TextArea id="crit-requirement" label="Texte de l’exigence (imprimé dans le CCTP)" hint="Pour un seuil chiffré ou une liste, écrivez {seuil} là où il se lit : « un espace de stockage {seuil} » s’imprime « un espace de stockage d’au moins 32 Go », avec le seuil retenu par l’acheteur. Le texte ne répète aucune valeur du seuil." required rows={4} maxLength={2000} value={form.requirement} error={error('requirement')} onInput={(v) => update((f) => ({ ...f, requirement: v }))} />
        <div class="row">
          <SelectField id="crit-category" label="Catégorie" value={form.category} options={CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))} onChange={(v) => update((f) => ({ ...f, category: v }))} />
          <SelectField id="crit-kind" label="Nature" value={form.kind} options={options(KIND_LABELS)} onChange={(v) => update((f) => ({ ...f, kind: v }))} />
          <SelectField id="crit-level" label="Niveau" value={form.level} options={options(LEVEL_LABELS)} onChange={(v) => update((f) => ({ ...f, level: v }))} />
        </div>
        <MetricEditor idPrefix="crit" metric={form.metric} error={error} onChange={(m) => update((f) => ({ ...f, metric: m }))} />
        <fieldset>
          <legend>Source</legend>
          <div class="row">
            <SelectField
              id="crit-authority-type"
              label="Autorité"
              hint="Seules les exigences du ministère et des programmes de financement conditionnent le cofinancement."
              value={form.authority.type}
              options={options(AUTHORITY_LABELS)}
              onChange={(v) => update((f) => ({ ...f, authority: { ...f.authority, type: v } }))}
            />
            <TextField id="crit-authority-reference" label="Référence" required maxLength={200} value={form.authority.reference} error={error('authority.reference')} onInput={(v) => update((f) => ({ ...f, authority: { ...f.authority, reference: v } }))} />
          </div>
          <TextField
            id="crit-authority-source"
            label="Publication"
            maxLength={300}
            value={form.authority.source ?? ''}
            error={error('authority.source')}
            onInput={(v) =>
              update((f) => {
                const { source: _s, ...authority } = f.authority;
                return { ...f, authority: v ? { ...authority, source: v } : authority };
              })
            }
          />
        </fieldset>
        <fieldset>
          <legend>Justificatifs demandés</legend>
          {error('proof') ? <p class="field-error">{error('proof')}</p> : null}
          <div class="checkbox-grid">
            {options(PROOF_LABELS).map((p) => (
              <div class="checkbox" key={p.value}>
                <input
                  id={`crit-proof-${p.value}`}
                  type="checkbox"
                  checked={form.proof.includes(p.value)}
                  onChange={(e) => {
                    const on = (e.currentTarget as HTMLInputElement).checked;
                    update((f) => ({ ...f, proof: on ? [...f.proof, p.value] : f.proof.filter((x) => x !== p.value) }));
                  }}
                />
                <label for={`crit-proof-${p.value}`}>{p.label}</label>
              </div>
            ))}
          </div>
        </fieldset>
        <div class="row">
          <TextField
            id="crit-cpv"
            label="Code CPV"
            hint="Par exemple 30213200-7 (huit chiffres, un tiret et le chiffre de contrôle)."
            value={form.cpv ?? ''}
            error={error('cpv')}
            onInput={(v) =>
              update((f) => {
                const { cpv: _c, ...rest } = f;
                return v ? { ...rest, cpv: v } : rest;
              })
            }
          />
        </div>
        <TextArea
          id="crit-note"
          label="Note aux acheteurs (non imprimée)"
          rows={2}
          maxLength={1000}
          value={form.note ?? ''}
          error={error('note')}
          onInput={(v) =>
            update((f) => {
              const { note: _n, ...rest } = f;
              return v ? { ...rest, note: v } : rest;
            })
          }
        />
        <TextArea
          id="crit-reason"
          label="Motif de la modification"
          hint="Conservé dans l’historique avec votre identifiant et la date, lisible par tous les utilisateurs."
          required
          rows={2}
          maxLength={1000}
          value={reason}
          error={error('reason')}
          onInput={setReason}
        />
        <div class="actions">
          <button type="submit" disabled={saving || !dirty || conflict !== undefined}>
            {saving ? 'Enregistrement…' : `Enregistrer la version ${base.version + 1}`}
          </button>
          <button type="button" class="button-secondary" disabled={!dirty} onClick={() => (setForm(strip(base)), setFieldErrors({}))}>
            Annuler mes modifications
          </button>
        </div>
      </form>

      <History versions={versions} audit={audit} initialTo={Number(props.query.get('v')) || undefined} />
    </Page>
  );
}

function idOfPath(path: string): string {
  const direct: Record<string, string> = { reason: 'crit-reason', label: 'crit-label', requirement: 'crit-requirement', 'authority.reference': 'crit-authority-reference', 'authority.source': 'crit-authority-source', cpv: 'crit-cpv', note: 'crit-note' };
  if (direct[path]) return direct[path];
  if (path.startsWith('metric.')) return `crit-metric-${path.slice('metric.'.length).split('.')[0]}`;
  return 'crit-label';
}

function ConflictView(props: { conflict: { latest: Criterion; mine: Draft; read: Criterion }; onRedo: () => void; onDiscard: () => void }) {
  const { latest, mine, read } = props.conflict;
  const theirs = diffCriteria(strip(read), strip(latest));
  const yours = diffCriteria(strip(read), mine);
  const rows = criterionFields(mine).filter((f) => theirs.some((t) => t.key === f.key) || yours.some((y) => y.key === f.key));
  const latestFields = new Map(criterionFields(strip(latest)).map((f) => [f.key, f.value]));
  const readFields = new Map(criterionFields(strip(read)).map((f) => [f.key, f.value]));
  return (
    <section class="alert alert-warning conflict" id="conflict" tabIndex={-1} aria-labelledby="conflict-title">
      <h2 id="conflict-title">Conflit : quelqu’un a enregistré avant vous</h2>
      <p>
        Vous modifiiez la version {read.version} ; un autre éditeur a enregistré la version {latest.version} entre-temps. Votre modification n’a pas été enregistrée. Comparez, puis reprenez votre
        modification sur la version {latest.version} ou abandonnez-la.
      </p>
      <div class="table-wrap">
        <table>
          <caption>Champs modifiés de part et d’autre</caption>
          <thead>
            <tr>
              <th scope="col">Champ</th>
              <th scope="col">Version {read.version} (lue)</th>
              <th scope="col">Version {latest.version} (enregistrée par l’autre éditeur)</th>
              <th scope="col">Votre modification</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((f) => (
              <tr key={f.key}>
                <th scope="row">{f.label}</th>
                <td>{readFields.get(f.key)}</td>
                <td>{latestFields.get(f.key)}</td>
                <td>{f.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {yours.some((y) => theirs.some((t) => t.key === y.key)) ? (
        <p>
          <strong>Attention :</strong> vous avez tous deux modifié {yours.filter((y) => theirs.some((t) => t.key === y.key)).map((y) => `« ${y.label} »`).join(', ')} ; en reprenant, votre valeur remplace la sienne.
        </p>
      ) : null}
      <div class="actions">
        <button type="button" onClick={props.onRedo}>
          Reprendre ma modification sur la version {latest.version}
        </button>
        <button type="button" class="button-secondary" onClick={props.onDiscard}>
          Abandonner ma modification
        </button>
      </div>
    </section>
  );
}

/** Who wrote a version, when and why, as the audit trail records it. */
function AuditLine(props: { entry: AuditEntry | undefined }) {
  const e = props.entry;
  if (!e) return null;
  return (
    <span class="muted">
      {' '}
      — par {e.actor}, le {formatDate(e.at)} : « {e.reason} »
    </span>
  );
}

function History(props: { versions: Criterion[] | undefined; audit: AuditEntry[] | undefined; initialTo?: number | undefined }) {
  const versions = props.versions;
  const latest = versions?.at(-1)?.version ?? 1;
  const [to, setTo] = useState<number | undefined>(props.initialTo);
  const [from, setFrom] = useState<number | undefined>();
  const toV = to ?? latest;
  const fromV = from ?? Math.max(1, toV - 1);
  const a = versions?.find((v) => v.version === fromV);
  const b = versions?.find((v) => v.version === toV);
  const diff = useMemo(() => (a && b ? diffCriteria(strip(a), strip(b)) : []), [a, b]);
  if (!versions) return <Loading label="Chargement de l’historique…" />;
  const choices = versions.map((v) => ({ value: String(v.version), label: `Version ${v.version}` }));
  return (
    <section class="card" aria-labelledby="history-title">
      <h2 id="history-title">Historique des versions</h2>
      <ol class="versions">
        {[...versions].reverse().map((v) => (
          <li key={v.version}>
            Version {v.version} — {v.label}
            <AuditLine entry={props.audit?.find((e) => e.target.version === v.version)} />
          </li>
        ))}
      </ol>
      {versions.length > 1 ? (
        <>
          <div class="row">
            <SelectField id="diff-from" label="Comparer la version" value={String(fromV)} options={choices} onChange={(v) => setFrom(Number(v))} />
            <SelectField id="diff-to" label="avec la version" value={String(toV)} options={choices} onChange={(v) => setTo(Number(v))} />
          </div>
          {diff.length === 0 ? (
            <p>Aucune différence entre ces versions.</p>
          ) : (
            <div class="table-wrap">
              <table class="diff">
                <caption>
                  Différences entre les versions {fromV} et {toV}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Champ</th>
                    <th scope="col">Version {fromV}</th>
                    <th scope="col">Version {toV}</th>
                  </tr>
                </thead>
                <tbody>
                  {diff.map((d) => (
                    <tr key={d.key} class="diff-changed">
                      <th scope="row">{d.label}</th>
                      <td>
                        <del>{d.before || '(vide)'}</del>
                      </td>
                      <td>
                        <ins>{d.after || '(vide)'}</ins>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : (
        <p class="muted">Une seule version pour l’instant.</p>
      )}
    </section>
  );
}
