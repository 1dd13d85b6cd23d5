import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp, useSession } from '../app-context.ts';
import { SelectField, TextField } from '../components/fields.tsx';
import { Alert, Loading, Page } from '../components/page.tsx';
import { saveDraft } from '../draft.ts';
import { formatCount, formatDateTime } from '../format.ts';
import { ApiError } from '../api.ts';
import { fieldMessage, problemMessage } from '../messages.ts';
import { navigate } from '../router.ts';
import {
  copyName,
  deleteOnServer,
  duplicateOnServer,
  listServerDrafts,
  loadServerRef,
  openFromServer,
  renameOnServer,
  saveServerRef,
  STATUS_LABELS,
  type DraftSummary,
} from '../server-drafts.ts';

const COLUMNS = ['Nom', 'Objet', 'État', 'Enregistré le', 'Actions'];

type Asking = { kind: 'duplicate' | 'delete' | 'rename'; draft: DraftSummary } | undefined;

/**
 * « Mes brouillons »: the buyer's named drafts on the server, most recently saved first, with a
 * search on the name or the title and a filter on completeness. A draft opens in the wizard
 * (replacing the one in this browser); renaming asks for the new name, duplicating and deleting
 * for a confirmation, whose first control takes the focus, and the focus comes back to the action
 * that was used.
 */
export function DraftsPage() {
  const { api } = useApp();
  const session = useSession();
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<'' | DraftSummary['status']>('');
  const [items, setItems] = useState<DraftSummary[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [asking, setAsking] = useState<Asking>();
  const [busy, setBusy] = useState(false);
  const [newName, setNewName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>();
  const returnFocus = useRef<string | undefined>(undefined);

  const load = () =>
    listServerDrafts(api, { q: query, ...(status ? { status } : {}) }).then(
      (list) => {
        setItems(list);
        setError(undefined);
      },
      (e: unknown) => setError(problemMessage(e)),
    );
  useEffect(() => {
    const timer = setTimeout(() => void load(), 250);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, query, status]);

  useEffect(() => {
    if (asking) document.getElementById(asking.kind === 'rename' ? 'rename-name' : 'confirm-yes')?.focus();
    else if (returnFocus.current) {
      const target = document.getElementById(returnFocus.current) ?? document.getElementById('drafts-search');
      returnFocus.current = undefined;
      target?.focus();
    }
  }, [asking, items]);

  const ask = (kind: 'duplicate' | 'delete' | 'rename', draft: DraftSummary) => {
    returnFocus.current = `${kind}-${draft.id}`;
    setNotice(undefined);
    setNewName(draft.name);
    setNameError(undefined);
    setAsking({ kind, draft });
  };
  const cancel = () => setAsking(undefined);

  const open = async (draft: DraftSummary) => {
    setBusy(true);
    try {
      const opened = await openFromServer(api, draft.id);
      saveDraft(session.subject, opened.draft);
      saveServerRef(session.subject, opened.ref);
      navigate('/cctp/1');
    } catch (e) {
      setError(e instanceof TypeError ? `Le brouillon « ${draft.name} » ne peut pas s’ouvrir dans l’assistant : sa demande est trop incomplète.` : problemMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (!asking || busy) return;
    setBusy(true);
    try {
      if (asking.kind === 'rename') {
        if (newName.trim() === '') {
          setNameError('Donnez un nom au brouillon.');
          document.getElementById('rename-name')?.focus();
          return;
        }
        const renamed = await renameOnServer(api, asking.draft, newName.trim());
        if (loadServerRef(session.subject)?.id === renamed.id) saveServerRef(session.subject, renamed);
        setNotice(`Brouillon renommé : « ${renamed.name} ».`);
      } else if (asking.kind === 'duplicate') {
        const copy = await duplicateOnServer(api, asking.draft.id, copyName(asking.draft.name, (items ?? []).map((d) => d.name)));
        setNotice(`Brouillon dupliqué : « ${copy.name} ».`);
      } else {
        await deleteOnServer(api, asking.draft);
        returnFocus.current = 'drafts-search';
        setNotice(`Brouillon « ${asking.draft.name} » supprimé.`);
      }
      await load();
    } catch (e) {
      const nameProblem = e instanceof ApiError && e.status === 422 ? e.problem.errors?.find((i) => i.path === 'name') : undefined;
      if (nameProblem) {
        setNameError(fieldMessage(nameProblem.message));
        document.getElementById('rename-name')?.focus();
        return;
      }
      setError(problemMessage(e));
      await load();
    } finally {
      setBusy(false);
    }
    setAsking(undefined);
  };

  return (
    <Page title="Mes brouillons" lead="Les demandes que vous avez enregistrées sous un nom depuis l’assistant. Ouvrir un brouillon remplace celui en cours dans ce navigateur.">
      <div class="row">
        <TextField id="drafts-search" type="search" label="Rechercher un brouillon" hint="Mots du nom ou de l’objet, sans tenir compte des accents." value={query} onInput={setQuery} />
        <SelectField
          id="drafts-status"
          label="État"
          value={status}
          options={[
            { value: '', label: 'Tous' },
            { value: 'ready', label: STATUS_LABELS.ready },
            { value: 'incomplete', label: STATUS_LABELS.incomplete },
          ]}
          onChange={setStatus}
        />
      </div>
      <div role="status">{notice}</div>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {!items && !error ? <Loading /> : null}
      {items?.length === 0 ? (
        <p>
          {query.trim() || status ? 'Aucun brouillon ne correspond à cette recherche.' : 'Aucun brouillon enregistré pour l’instant.'} <a href="#/cctp">Rédiger un CCTP</a>
        </p>
      ) : null}
      {items?.length ? (
        <div class="table-wrap">
          <table>
            <caption>{formatCount(items.length, 'brouillon', 'brouillons')}</caption>
            <thead>
              <tr>
                {COLUMNS.map((label) => (
                  <th key={label} scope="col">
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{d.name}</th>
                  <td>{d.title ?? <span class="muted">sans objet</span>}</td>
                  <td>{STATUS_LABELS[d.status]}</td>
                  <td>{formatDateTime(d.updatedAt)}</td>
                  <td>
                    {asking?.draft.id === d.id && asking.kind === 'rename' ? (
                      <form
                        aria-label={`Renommer « ${d.name} »`}
                        onSubmit={(e) => {
                          e.preventDefault();
                          void confirm();
                        }}
                      >
                        <TextField id="rename-name" label="Nouveau nom" required maxLength={120} value={newName} error={nameError} onInput={setNewName} />
                        <button type="submit" class="button-small" aria-disabled={busy ? 'true' : undefined}>
                          Renommer
                        </button>{' '}
                        <button type="button" class="button-secondary button-small" onClick={cancel}>
                          Annuler
                        </button>
                      </form>
                    ) : asking?.draft.id === d.id ? (
                      <div role="group" aria-label={asking.kind === 'duplicate' ? `Confirmer la duplication de « ${d.name} »` : `Confirmer la suppression de « ${d.name} »`}>
                        <p>{asking.kind === 'duplicate' ? `Dupliquer « ${d.name} » ?` : `Supprimer « ${d.name} » ? Cette action est définitive.`}</p>
                        <button id="confirm-yes" type="button" class={asking.kind === 'delete' ? 'button-danger button-small' : 'button-small'} aria-disabled={busy ? 'true' : undefined} onClick={() => void confirm()}>
                          {asking.kind === 'duplicate' ? 'Dupliquer' : 'Supprimer'}
                        </button>{' '}
                        <button type="button" class="button-secondary button-small" onClick={cancel}>
                          Annuler
                        </button>
                      </div>
                    ) : (
                      <div class="actions">
                        <button type="button" class="button-small" disabled={busy} onClick={() => void open(d)} aria-label={`Ouvrir « ${d.name} »`}>
                          Ouvrir
                        </button>
                        <button id={`rename-${d.id}`} type="button" class="button-secondary button-small" disabled={busy} onClick={() => ask('rename', d)} aria-label={`Renommer « ${d.name} »`}>
                          Renommer
                        </button>
                        <button id={`duplicate-${d.id}`} type="button" class="button-secondary button-small" disabled={busy} onClick={() => ask('duplicate', d)} aria-label={`Dupliquer « ${d.name} »`}>
                          Dupliquer
                        </button>
                        <button id={`delete-${d.id}`} type="button" class="button-secondary button-small" disabled={busy} onClick={() => ask('delete', d)} aria-label={`Supprimer « ${d.name} »`}>
                          Supprimer
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Page>
  );
}
