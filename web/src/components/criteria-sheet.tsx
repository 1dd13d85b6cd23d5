import { useState } from 'preact/hooks';
import { ApiError } from '../api.ts';
import { useApp } from '../app-context.ts';
import { download } from '../download.ts';
import { problemMessage } from '../messages.ts';
import { criteriaIssueMessage } from '../criteria-sheet.ts';
import { PRODUCT_UPLOAD_BYTES, productPlace, XLSX_TYPE } from '../product-file.ts';
import { TextArea } from './fields.tsx';
import { Alert } from './page.tsx';

interface ImportResult {
  written: Array<{ id: string; from: number; to: number; line: number }>;
  alreadyApplied: Array<{ id: string; version: number; line: number }>;
  unchanged: number;
}

/**
 * The criteria of a framework as a workbook, for the ministry's review circuits: « Exporter » gives
 * the sheet (one row per criterion at its latest version), « Importer » sends it back edited. The
 * import writes nothing unless every cell is right; each refused cell is listed under the file
 * field (« feuille Critères, ligne 5, colonne seuil »), tied to it for screen readers. The criteria
 * written wait for « Publier », like any edit.
 */
export function CriteriaSheetPanel(props: { frameworkId: string; version: number; onImported: () => void }) {
  const { api } = useApp();
  const id = `sheet-${props.frameworkId}`;
  const [file, setFile] = useState<File | undefined>();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [issues, setIssues] = useState<Array<{ place: string; message: string }> | undefined>();
  const [result, setResult] = useState<{ kind: 'success' | 'error'; text: string } | undefined>();

  const exportSheet = async () => {
    setResult(undefined);
    try {
      const { body } = await api.request<Blob>('GET', `/frameworks/${encodeURIComponent(props.frameworkId)}/criteria.xlsx?version=${props.version}`, { blob: true, headers: { accept: XLSX_TYPE } });
      download(`${props.frameworkId}-v${props.version}-criteres.xlsx`, XLSX_TYPE, body);
    } catch (e) {
      setResult({ kind: 'error', text: problemMessage(e) });
    }
  };

  const importSheet = async () => {
    setResult(undefined);
    setIssues(undefined);
    setReasonError(undefined);
    if (!file) return setResult({ kind: 'error', text: 'Choisissez le classeur à importer.' });
    if (reason.trim().length < 3) {
      setReasonError('Indiquez le motif des modifications (3 caractères au moins) : il est conservé dans l’historique de chaque critère.');
      return setResult({ kind: 'error', text: 'L’import demande un motif.' });
    }
    if (file.size > PRODUCT_UPLOAD_BYTES) return setResult({ kind: 'error', text: `Le classeur dépasse ${PRODUCT_UPLOAD_BYTES / 1024}\u00a0Kio : rien n’a été importé.` });
    setBusy(true);
    try {
      const { body } = await api.request<ImportResult>('POST', `/frameworks/${encodeURIComponent(props.frameworkId)}/criteria-import?reason=${encodeURIComponent(reason.trim())}`, {
        body: file,
        headers: { 'content-type': XLSX_TYPE },
      });
      const n = body.written.length;
      setResult({
        kind: 'success',
        text:
          n === 0 && body.alreadyApplied.length === 0
            ? 'Aucun changement : le classeur reprend les versions en vigueur, rien n’a été écrit.'
            : `${n === 1 ? 'Un critère enregistré' : `${n}\u00a0critères enregistrés`} dans une nouvelle version${body.alreadyApplied.length > 0 ? ` (${body.alreadyApplied.length}\u00a0déjà appliqués)` : ''}. Le référentiel publié ne change pas avant « Publier » ; l’aperçu de la publication les montre.`,
      });
      setReason('');
      props.onImported();
    } catch (e) {
      if (e instanceof ApiError && (e.status === 422 || e.status === 409 || e.status === 413 || e.status === 415) && e.problem.errors && e.problem.errors.some((i) => i.path !== 'reason')) {
        setIssues(e.problem.errors.map((i) => ({ place: i.path === 'Cahier' ? 'le fichier' : productPlace(i.path), message: criteriaIssueMessage(i.message) })));
        setResult({ kind: 'error', text: e.status === 409 ? 'Des critères ont changé depuis l’export : rien n’a été importé. Exportez de nouveau le classeur et reportez-y vos modifications.' : 'Le classeur a été refusé ; rien n’a été importé. Les cellules à corriger sont listées sous le champ.' });
      } else setResult({ kind: 'error', text: problemMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Relecture des critères dans un classeur</h3>
      <p>
        Le classeur liste les critères de la version {props.version}, chacun à sa dernière version, une colonne par champ modifiable ; l’identifiant et la version ne se modifient pas. Réimporté, chaque ligne modifiée devient une nouvelle version du critère.
      </p>
      <p>
        <button type="button" class="button-secondary button-small" onClick={() => void exportSheet()}>
          Exporter (XLSX)
        </button>
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void importSheet();
        }}
      >
        <div class={`field${issues ? ' field-invalid' : ''}`}>
          <label for={`${id}-file`}>Classeur relu (.xlsx)</label>
          <p class="hint" id={`${id}-hint`}>
            Le classeur exporté de ce référentiel, modifié ; {PRODUCT_UPLOAD_BYTES / 1024}&nbsp;Kio au plus. Rien n’est écrit si une cellule est refusée.
          </p>
          {issues ? (
            <div class="field-error" id={`${id}-errors`}>
              <p>
                {issues.length === 1 ? 'Un problème' : `${issues.length}\u00a0problèmes`} :
              </p>
              <ul>
                {issues.slice(0, 50).map((i, index) => (
                  <li key={index}>
                    {i.place} : {i.message}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <input
            id={`${id}-file`}
            type="file"
            accept={`.xlsx,${XLSX_TYPE}`}
            aria-describedby={issues ? `${id}-hint ${id}-errors` : `${id}-hint`}
            aria-invalid={issues ? 'true' : undefined}
            onChange={(e) => {
              setIssues(undefined);
              setResult(undefined);
              setFile((e.currentTarget as HTMLInputElement).files?.[0]);
            }}
          />
        </div>
        <TextArea id={`${id}-reason`} label="Motif des modifications" hint="Conservé dans l’historique de chaque critère modifié, avec votre identifiant et la date." required rows={2} maxLength={1000} value={reason} error={reasonError} onInput={setReason} />
        <button type="submit" disabled={!file} aria-disabled={busy ? 'true' : undefined}>
          {busy ? 'Import en cours…' : 'Importer les critères'}
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
