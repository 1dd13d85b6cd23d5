import { useEffect, useState } from 'preact/hooks';
import { ApiError, type AnyTenderRequest, type ApiClient } from '../../api.ts';
import { ErrorSummary, TextField } from '../../components/fields.tsx';
import { Alert } from '../../components/page.tsx';
import { formatDateTime } from '../../format.ts';
import { fieldMessage, problemMessage } from '../../messages.ts';
import { saveToServer, type ServerDraftRef } from '../../server-drafts.ts';
import { fieldId, fieldOnScreen } from '../../validation.ts';
import { labelOfPath } from './paths.ts';

type Outcome =
  | { kind: 'saved' }
  | { kind: 'conflict' }
  | { kind: 'gone' }
  | { kind: 'invalid'; errors: Array<{ id: string; label: string; message: string }> }
  | { kind: 'failed'; message: string };

/**
 * « Enregistrer le brouillon »: the wizard's request saved on the server under a name, as a new
 * draft or as the next version of the one it was opened from (If-Match). A version saved
 * elsewhere meanwhile is not overwritten: the buyer saves a copy instead. The API's field errors
 * (`request.<path>`) link to the wizard's fields when they are on screen. The focus stays on the
 * button used; the outcome is announced in a status region.
 */
export function ServerDraftPanel(props: {
  api: ApiClient;
  request: AnyTenderRequest | undefined;
  current: ServerDraftRef | undefined;
  onSaved: (ref: ServerDraftRef | undefined) => void;
}) {
  const { current } = props;
  const [name, setName] = useState(current?.name ?? '');
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  // A fresh draft (« Recommencer un brouillon vide ») is no longer the saved one: its name goes too.
  useEffect(() => {
    if (!current) setName('');
  }, [current?.id]);
  const nameError = outcome?.kind === 'invalid' ? outcome.errors.find((e) => e.id === 'server-draft-name')?.message : undefined;

  const save = async (asNew: boolean) => {
    if (!props.request || saving) return;
    if (name.trim() === '') {
      setOutcome({ kind: 'invalid', errors: [{ id: 'server-draft-name', label: 'Nom du brouillon', message: 'Donnez un nom au brouillon.' }] });
      return;
    }
    setSaving(true);
    setOutcome(undefined);
    try {
      const ref = await saveToServer(props.api, asNew ? undefined : current, name.trim(), props.request);
      props.onSaved(ref);
      setName(ref.name);
      setOutcome({ kind: 'saved' });
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) setOutcome({ kind: 'conflict' });
      else if (error instanceof ApiError && error.status === 404 && current && !asNew) {
        props.onSaved(undefined);
        setOutcome({ kind: 'gone' });
      } else if (error instanceof ApiError && error.status === 422 && error.problem.errors) {
        setOutcome({
          kind: 'invalid',
          errors: error.problem.errors.map((e) => {
            if (e.path === 'name') return { id: 'server-draft-name', label: 'Nom du brouillon', message: fieldMessage(e.message) };
            const path = e.path.replace(/^request\.?/, '');
            return { id: fieldOnScreen(path) ?? fieldId(path), label: labelOfPath(path), message: fieldMessage(e.message) };
          }),
        });
      } else setOutcome({ kind: 'failed', message: problemMessage(error) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="card server-draft" aria-labelledby="server-draft-title">
      <h2 id="server-draft-title">Brouillon enregistré</h2>
      <p class="muted small">
        {current
          ? `Ouvert depuis « ${current.name} », enregistré le ${formatDateTime(current.savedAt)}.`
          : 'Enregistrez ce brouillon sous un nom pour le retrouver depuis n’importe quel poste, dans « Mes brouillons ».'}
      </p>
      {outcome?.kind === 'invalid' ? <ErrorSummary title="Le brouillon n’a pas été enregistré" errors={outcome.errors} /> : null}
      <TextField id="server-draft-name" label="Nom du brouillon" required maxLength={120} value={name} error={nameError} onInput={setName} />
      <div class="actions">
        {/* aria-disabled, not disabled, while saving: a disabled button would drop the focus. */}
        <button type="button" aria-disabled={saving || !props.request ? 'true' : undefined} onClick={() => void save(false)}>
          {current ? 'Enregistrer les modifications' : 'Enregistrer le brouillon'}
        </button>
        {current ? (
          <button type="button" class="button-secondary" aria-disabled={saving || !props.request ? 'true' : undefined} onClick={() => void save(true)}>
            Enregistrer comme nouveau brouillon
          </button>
        ) : null}
        <a href="#/brouillons">Mes brouillons</a>
      </div>
      <div role="status" class="server-draft-status">
        {saving ? 'Enregistrement…' : null}
        {outcome?.kind === 'saved' && current ? `Brouillon « ${current.name} » enregistré (version ${current.version}).` : null}
      </div>
      {outcome?.kind === 'conflict' ? (
        <Alert kind="warning" title="Brouillon modifié ailleurs">
          Une autre version de « {current?.name} » a été enregistrée depuis que vous l’avez ouvert ; vos modifications n’ont pas été enregistrées par-dessus. Enregistrez-les
          comme nouveau brouillon, ou rouvrez la version enregistrée depuis « Mes brouillons ».
        </Alert>
      ) : null}
      {outcome?.kind === 'gone' ? (
        <Alert kind="warning" title="Brouillon supprimé">
          Ce brouillon a été supprimé entre-temps. Enregistrez-le de nouveau pour le conserver.
        </Alert>
      ) : null}
      {outcome?.kind === 'failed' ? <Alert kind="error">{outcome.message}</Alert> : null}
    </section>
  );
}
