import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { CCAG_NAMES, PLACE_TYPE_CODES } from '../../../src/core/offers/award-codes.ts';
import { ApiError, type TenderView } from '../api.ts';
import { useApp } from '../app-context.ts';
import { Checkbox, ErrorSummary, NumberField, SelectField, TextArea, TextField } from '../components/fields.tsx';
import { Alert, Loading, Page } from '../components/page.tsx';
import { formatCount, formatDate, formatDateTime, formatDecimal, formatMoney, formatPercent, frenchSpacing } from '../format.ts';
import { fieldMessage, problemMessage } from '../messages.ts';
import { LAW_RECORDS } from '../../../src/core/law/records.ts';
import { MIN_JUSTIFICATION_CHARS, MIN_REASON_CHARS } from '../../../src/core/offers/decision-limits.ts';

/** Bodies of the offer routes, as this page reads them (see GET /openapi.json: StoredBid, ConformityResult, AnalysisResult, RecordedMarks). */
interface StoredBid {
  bidder: { id: string; name: string; siret: string };
  receivedAt: string;
  files: Array<{ role: 'matrix' | 'prices'; name: string; bytes: number; sha256: string }>;
  /** Present once the buyer withdrew the bid: kept and listed, no longer analysed. */
  withdrawal?: { withdrawnAt: string; withdrawnBy: string; reason: string };
}
type Status = 'conforming' | 'regularisable' | 'irregular' | 'unacceptable' | 'inappropriate';
interface GradedCriterion {
  criterion: number;
  subCriterion?: number;
  number: string;
  name: string;
  points: number;
}
interface ConformityResult {
  grades: Array<{ grade: string; label: string; share: number }>;
  lots: Array<{
    lot: number;
    title: string;
    offers: Array<{
      bid: string;
      name: string;
      status: Status;
      amount: number;
      issues: Array<{ kind: string; cell: string; reason: string; regularisable: boolean }>;
      rectified: Array<{ number: string; cell: string; declared: number; rectified: number }>;
      rectifiedTotals?: Array<{ label: string; cell: string; declared: number; rectified: number }>;
      declaredTotal: number | null;
    }>;
    gradedCriteria: GradedCriterion[];
  }>;
  marksNeeded: Array<GradedCriterion & { lot: number; bid: string }>;
}
/** The input last recorded with PUT /tenders/{id}/marks, as GET gives it back: the form starts from it. */
interface RecordedMarks {
  marks: Array<{ lot: number; bid: string; criterion: number; subCriterion?: number; grade: string; justification: string }>;
  abnormallyLow: { belowEstimate: number; belowOthers: number; lineBelowEstimate: number };
  budgets: Array<{ lot: number; amount: number; establishedOn: string }>;
  eliminations: Array<{ lot: number; bid: string; category: Category; reason: string }>;
  letters?: { sentOn: string; electronic: boolean; signatory?: string };
  award?: {
    buyerSiret: string;
    notificationDate: string;
    publicationDate: string;
    placeOfPerformance: { code: string; typeCode: string };
    ccag: string;
    advance?: { rate: number };
    subcontracting: boolean;
    contractIds: Record<string, string>;
  };
}
interface AnalysisResult {
  summary: {
    lots: Array<{
      lot: number;
      title: string;
      offers: Array<{
        bid: string;
        abnormallyLow: { belowEstimate?: number; belowOthers?: number } | null;
        score: { total: number; rank: number; tied: boolean; tieBrokenBy?: TieBreakRule } | null;
      }>;
      proposed: { bid: string; name: string } | null;
      tieForFirst: boolean;
      /** The RC's tie-break rule (none: the buyer decides). */
      tieBreak: 'none' | TieBreakRule;
    }>;
  };
  documents: Array<{ name: string; mediaType: string; url: string; expiresAt: string }>;
}
type TieBreakRule = 'best-technical' | 'lowest-price';
/** What the RC's tie-break compared, as the ranking's remark says it. */
const TIE_BREAK: Record<TieBreakRule, string> = {
  'best-technical': 'la meilleure note au premier critère autre que le prix',
  'lowest-price': 'le montant le plus bas',
};
type FieldErrors = Record<string, string>;
interface SummaryError {
  id: string;
  label: string;
  message: string;
}

const STATUS: Record<Status, { label: string; class: string }> = {
  conforming: { label: 'Conforme', class: 'verdict-conform' },
  regularisable: { label: 'Irrégulière, régularisable', class: 'verdict-needs-evidence' },
  irregular: { label: 'Irrégulière', class: 'verdict-not-conform' },
  unacceptable: { label: 'Inacceptable', class: 'verdict-not-conform' },
  inappropriate: { label: 'Inappropriée', class: 'verdict-not-conform' },
};

type Category = 'unacceptable' | 'inappropriate';

/** « articles L2152-1, L2152-3 et R2152-1 du code de la commande publique », as the law record holds them (never an article it does not). */
function articlesOf(id: string): string {
  const list = LAW_RECORDS.find((r) => r.id === id && r.until === null)!.reference.articles;
  return list.length === 1 ? `article ${list[0]} du code de la commande publique` : `articles ${list.slice(0, -1).join(', ')} et ${list.at(-1)} du code de la commande publique`;
}

/** The two eliminations the buyer decides (L2152-1), each in one plain sentence with its articles. */
const ELIMINATION_CHOICES: ReadonlyArray<{ category: Category; label: string; meaning: string; articles: string }> = [
  {
    category: 'unacceptable',
    label: 'Inacceptable',
    meaning: 'Son prix dépasse les crédits budgétaires alloués au marché, déterminés et établis avant le lancement de la consultation.',
    articles: articlesOf('offers.unacceptable'),
  },
  {
    category: 'inappropriate',
    label: 'Inappropriée',
    meaning: 'Elle est sans rapport avec le marché : elle ne peut manifestement pas répondre au besoin sans être modifiée en profondeur.',
    articles: articlesOf('offers.inappropriate'),
  },
];

/** « de Bravo », « d’Alpha »: French elides « de » before a vowel. */
const of = (name: string) => (/^[aeiouyàâäéèêëîïôöùûü]/i.test(name) ? `d’${name}` : `de ${name}`);
const focusLater = (selector: string) => requestAnimationFrame(() => document.querySelector<HTMLElement>(selector)?.focus());
const markKey = (m: { lot: number; bid: string; criterion: number; subCriterion?: number }) => `${m.lot}/${m.bid}/${m.criterion}/${m.subCriterion ?? 0}`;
const markId = (m: { lot: number; bid: string; number: string }) => `note-${m.lot}-${m.bid}-${m.number.replace('.', '-')}`;
const offerKey = (lot: number, bid: string) => `${lot}/${bid}`;
/** The ids of one offer's « Écarter l’offre » controls: `${decisionId(…)}-open`, `-unacceptable`, `-inappropriate`, `-reason`. */
const decisionId = (lot: number, bid: string) => `ecarter-${lot}-${bid}`;
const focusIdLater = (id: string) => requestAnimationFrame(() => document.getElementById(id)?.focus());

/** The file as base64, the way POST /tenders/{id}/bids takes it. */
function base64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** « Analyse des offres » of one tender: bids received, their conformity, the buyer's marks, the analysis and its documents. */
export function OffersPage(props: { id: string }) {
  const { api } = useApp();
  const base = `/tenders/${encodeURIComponent(props.id)}`;
  const [tender, setTender] = useState<TenderView['request'] | undefined>();
  const [bids, setBids] = useState<StoredBid[] | undefined>();
  const [conformity, setConformity] = useState<ConformityResult | undefined>();
  const [error, setError] = useState<string | undefined>();
  /** The marks last recorded and their ETag (null: none yet); the form starts from them when it first shows. */
  const [recorded, setRecorded] = useState<{ input: RecordedMarks; etag: string | undefined } | null | undefined>();
  /** Bumped when the buyer reloads the marks someone else saved: the form starts again from them. */
  const [formKey, setFormKey] = useState(0);

  const reload = () =>
    Promise.all([
      api.request<{ items: StoredBid[] }>('GET', `${base}/bids`),
      api.request<ConformityResult>('GET', `${base}/conformity`),
      api.request<RecordedMarks>('GET', `${base}/marks`).then(
        ({ body, headers }) => ({ input: body, etag: headers.get('etag') ?? undefined }),
        (e: unknown) => {
          if (e instanceof ApiError && e.status === 404) return null;
          throw e;
        },
      ),
    ]).then(
      ([b, c, m]) => {
        setBids(b.body.items);
        setConformity(c.body);
        setRecorded(m);
      },
      (e: unknown) => setError(problemMessage(e)),
    );
  useEffect(() => {
    api.request<TenderView>('GET', base).then(
      ({ body }) => setTender(body.request),
      (e: unknown) => setError(problemMessage(e)),
    );
    void reload();
  }, [api, base]);

  const back = (
    <p>
      <a href={`#/appels/${encodeURIComponent(props.id)}`}>Retour à la consultation</a>
    </p>
  );
  if (error) {
    return (
      <Page title="Analyse des offres">
        <Alert kind="error">{error}</Alert>
        {back}
      </Page>
    );
  }
  if (!bids || !conformity || !tender || recorded === undefined) return <Loading />;
  return (
    <Page title="Analyse des offres" lead={tender.title} wide>
      {back}
      <Glossary />
      <section aria-labelledby="recues">
        <h2 id="recues">Offres reçues</h2>
        <BidsTable base={base} bids={bids} onChanged={reload} />
        <BidUpload base={base} onAdded={reload} />
      </section>
      {conformity.lots.map((lot) => (lot.offers.length > 0 ? <LotConformity key={lot.lot} lot={lot} /> : null))}
      {bids.some((b) => !b.withdrawal) ? <LotsWithout lots={conformity.lots.filter((l) => l.offers.length === 0).map((l) => l.lot)} /> : null}
      {bids.some((b) => !b.withdrawal) ? <MarksForm
          key={formKey}
          base={base}
          conformity={conformity}
          recorded={recorded?.input ?? null}
          etag={recorded?.etag}
          onReload={() => reload().then(() => setFormKey((k) => k + 1))}
          buyerSiret={tender.buyer.siret ?? ''} launchedOn={tender.consultationDate} onSaved={reload} /> : null}
    </Page>
  );
}

/** The legal terms the page uses, in plain French. */
function Glossary() {
  return (
    <details class="card">
      <summary>Ce que signifient les statuts des offres</summary>
      <dl class="summary">
        <dt>Offre conforme</dt>
        <dd>Elle satisfait toutes les exigences minimales et son bordereau des prix est complet : elle est notée et classée.</dd>
        <dt>Offre irrégulière</dt>
        <dd>
          Elle ne respecte pas une exigence minimale, il lui manque un prix, ou le cadre de réponse a été modifié là où il était verrouillé. Elle est écartée sans être
          notée.
        </dd>
        <dt>Régularisation (article R2152-2 du code de la commande publique)</dt>
        <dd>
          Quand l’irrégularité tient à une réponse ou une valeur manquante, l’acheteur peut demander au candidat de compléter son offre, sans la modifier sur le fond, si le
          règlement de la consultation le prévoit. Tant qu’elle n’est pas régularisée, l’offre n’est pas classée.
        </dd>
        {ELIMINATION_CHOICES.map((c) => (
          <Fragment key={c.category}>
            <dt>
              Offre {c.label.toLowerCase()} ({c.articles})
            </dt>
            <dd>{c.meaning} Vous l’écartez en indiquant le motif, qui figure dans le rapport d’analyse et dans la lettre au candidat.</dd>
          </Fragment>
        ))}
        <dt>Offre anormalement basse (articles L2152-5, L2152-6 et R2152-3)</dt>
        <dd>
          Un prix si bas qu’il fait douter de la bonne exécution du marché. L’acheteur ne peut la rejeter qu’après avoir demandé au candidat de justifier ses prix ; Cahier
          la signale selon les écarts que vous réglez, il ne l’écarte jamais de lui-même.
        </dd>
      </dl>
    </details>
  );
}

/**
 * The bids received, withdrawn ones included (kept with their files, marked « Retirée »). « Retirer »
 * asks for the reason in the row, its field taking the focus; cancelling gives the focus back to
 * the button, and a withdrawal to the message that confirms it (the button is gone with it).
 */
function BidsTable(props: { base: string; bids: StoredBid[]; onChanged: () => Promise<void> }) {
  const { api } = useApp();
  const [asking, setAsking] = useState<StoredBid | undefined>();
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const returnFocus = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (asking) document.getElementById('withdraw-reason')?.focus();
    else if (returnFocus.current) {
      document.getElementById(returnFocus.current)?.focus();
      returnFocus.current = undefined;
    }
  }, [asking, done]);

  if (props.bids.length === 0) return <p>Aucune offre enregistrée pour l’instant.</p>;
  const withdrawn = props.bids.filter((b) => b.withdrawal).length;
  const ask = (bid: StoredBid) => {
    returnFocus.current = `withdraw-${bid.bidder.id}`;
    setReason('');
    setReasonError(undefined);
    setDone(undefined);
    setFailure(undefined);
    setAsking(bid);
  };
  const confirm = async (event: Event) => {
    event.preventDefault();
    if (!asking || busy) return;
    if (reason.trim().length < 3) {
      setReasonError('Indiquez le motif du retrait, par exemple « offre remise hors délai » : il est conservé avec l’offre.');
      document.getElementById('withdraw-reason')?.focus();
      return;
    }
    setBusy(true);
    try {
      await api.request('DELETE', `${props.base}/bids/${encodeURIComponent(asking.bidder.id)}?reason=${encodeURIComponent(reason.trim())}`);
      await props.onChanged();
      returnFocus.current = 'retrait-fait';
      setDone(`Offre ${of(asking.bidder.name)} retirée. Elle reste conservée avec ses fichiers, mais n’est plus analysée.`);
      setAsking(undefined);
    } catch (e) {
      const problem = e instanceof ApiError && e.status === 422 ? e.problem.errors?.find((i) => i.path === 'reason') : undefined;
      if (problem) {
        setReasonError(fieldMessage(problem.message));
        document.getElementById('withdraw-reason')?.focus();
        return;
      }
      returnFocus.current = 'retrait-echec';
      setFailure(problemMessage(e));
      setAsking(undefined);
      await props.onChanged();
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <div class="table-wrap">
        <table>
          <caption>
            {formatCount(props.bids.length, 'offre reçue', 'offres reçues')}
            {withdrawn > 0 ? `, dont ${formatCount(withdrawn, 'retirée', 'retirées')}` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Candidat</th>
              <th scope="col">Identifiant</th>
              <th scope="col">SIRET</th>
              <th scope="col">Enregistrée le</th>
              <th scope="col">Fichiers</th>
              <th scope="col">État</th>
            </tr>
          </thead>
          <tbody>
            {props.bids.map((b) => (
              <tr key={b.bidder.id} data-bid={b.bidder.id}>
                <th scope="row">{b.bidder.name}</th>
                <td>{b.bidder.id}</td>
                <td>{b.bidder.siret}</td>
                <td>{formatDateTime(b.receivedAt)}</td>
                <td>{b.files.map((f) => f.name).join(', ')}</td>
                <td>
                  {b.withdrawal ? (
                    <p class="verdict-not-conform">
                      Retirée le {formatDateTime(b.withdrawal.withdrawnAt)} : {b.withdrawal.reason}
                    </p>
                  ) : asking?.bidder.id === b.bidder.id ? (
                    <form aria-label={`Retirer l’offre ${of(b.bidder.name)}`} noValidate onSubmit={(e) => void confirm(e)}>
                      <TextField
                        id="withdraw-reason"
                        label="Motif du retrait"
                        hint="Par exemple « offre remise hors délai » ou « pli déposé par erreur ». L’offre et ses fichiers restent conservés ; elle n’est plus analysée."
                        required
                        maxLength={1000}
                        value={reason}
                        error={reasonError}
                        onInput={setReason}
                      />
                      <button type="submit" class="button-danger button-small" aria-disabled={busy ? 'true' : undefined}>
                        Confirmer le retrait
                      </button>{' '}
                      <button type="button" class="button-secondary button-small" onClick={() => setAsking(undefined)}>
                        Annuler
                      </button>
                    </form>
                  ) : (
                    <>
                      Reçue{' '}
                      <button id={`withdraw-${b.bidder.id}`} type="button" class="button-secondary button-small" disabled={busy} onClick={() => ask(b)} aria-label={`Retirer l’offre ${of(b.bidder.name)}`}>
                        Retirer
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div role="status">
        {done ? (
          <p id="retrait-fait" class="ok-text" tabIndex={-1}>
            {done}
          </p>
        ) : null}
      </div>
      {failure ? (
        <div id="retrait-echec" tabIndex={-1}>
          <Alert kind="error" title="Le retrait n’a pas été enregistré">
            {failure}
          </Alert>
        </div>
      ) : null}
    </>
  );
}

const FILE_ERROR: Record<number, string> = {
  413: 'Ce fichier dépasse les limites d’un cadre de réponse (taille, nombre de lignes ou contenu décompressé).',
  415: 'Ce fichier n’est pas un classeur .xlsx ordinaire (classeur à macros, ancien format, autre fichier).',
  422: 'Ce fichier ne peut pas être accepté tel quel.',
};

const BIDDER_FIELDS: Record<string, { id: string; label: string }> = {
  'bidder.id': { id: 'bid-id', label: 'Identifiant' },
  'bidder.name': { id: 'bid-name', label: 'Nom du candidat' },
  'bidder.siret': { id: 'bid-siret', label: 'SIRET' },
};

/**
 * The reason of a refused file in French, for the buyer to forward: the workbook-identity refusals
 * (the API's reasons are in English); any other reason as the API gives it.
 */
function fileReason(message: string): string {
  if (/lost the hidden identification/.test(message)) return `le fichier a perdu l’identification cachée que Cahier inscrit dans les fichiers qu’il génère : renvoyez le fichier téléchargé depuis la consultation, rempli`;
  if (/not for this one/.test(message)) return `ce fichier a été généré pour une autre consultation : renvoyez celui de cette consultation`;
  if (/another version of the consultation/.test(message)) return `ce fichier a été généré pour une autre version de la consultation : renvoyez le fichier tel que publié`;
  const swapped = message.match(/this is not the (compliance matrix|price schedule)/);
  if (swapped) return `ce fichier n’est pas le ${swapped[1] === 'compliance matrix' ? 'cadre de réponse' : 'bordereau des prix'} généré par Cahier : chaque fichier va dans son champ`;
  return message;
}

function bidderMessage(message: string): string {
  if (/lower-case letters/.test(message)) return 'De 1 à 40 lettres minuscules, chiffres ou tirets, par exemple « acme ».';
  if (/SIRET of 14 digits/.test(message)) return 'SIRET attendu : 14 chiffres.';
  if (/not a valid SIRET/.test(message)) return 'Ce SIRET n’existe pas (clé de contrôle fausse) : vérifiez-le sur l’offre.';
  return fieldMessage(message);
}

/** Adds one bid: the bidder and its two workbooks, dropped on the zone or chosen in the file fields. */
function BidUpload(props: { base: string; onAdded: () => Promise<void> }) {
  const { api } = useApp();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [siret, setSiret] = useState('');
  const [files, setFiles] = useState<{ matrix?: File; prices?: File }>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [summary, setSummary] = useState<SummaryError[]>([]);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | undefined>();
  const [inputs, setInputs] = useState(0);

  const refuse = (list: SummaryError[]) => {
    setErrors(Object.fromEntries(list.map((e) => [e.id, e.message])));
    setSummary(list);
    focusLater('#ajout .error-summary');
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    setDone(undefined);
    const missing: SummaryError[] = [];
    if (!files.matrix) missing.push({ id: 'bid-matrix', label: 'Cadre de réponse', message: 'Choisissez le fichier .xlsx rempli par le candidat.' });
    if (!files.prices) missing.push({ id: 'bid-prices', label: 'Bordereau des prix', message: 'Choisissez le fichier .xlsx rempli par le candidat.' });
    if (missing.length > 0) return refuse(missing);
    setBusy(true);
    try {
      const body = {
        bidder: { id: id.trim(), name: name.trim(), siret: siret.replace(/\s/g, '') },
        matrix: { name: files.matrix!.name, content: await base64(files.matrix!) },
        prices: { name: files.prices!.name, content: await base64(files.prices!) },
      };
      await api.request('POST', `${props.base}/bids`, { body });
      await props.onAdded();
      setId('');
      setName('');
      setSiret('');
      setFiles({});
      setInputs((n) => n + 1);
      setErrors({});
      setSummary([]);
      setDone(`Offre ${of(body.bidder.name)} enregistrée.`);
      focusLater('#ajout-fait');
    } catch (e) {
      refuse(uploadErrors(e, files));
    } finally {
      setBusy(false);
    }
  };
  const take = (list: FileList | null) => {
    const next = { ...files };
    for (const file of Array.from(list ?? [])) {
      if (/bordereau|prix|bpu|dqe|dpgf/i.test(file.name)) next.prices = file;
      else next.matrix = file;
    }
    setFiles(next);
  };
  const fileField = (role: 'matrix' | 'prices', label: string) => {
    const fieldId = `bid-${role}`;
    const error = errors[fieldId];
    return (
      <div class={`field${error ? ' field-invalid' : ''}`}>
        <label for={fieldId}>
          {label} (.xlsx)<span class="required"> (obligatoire)</span>
        </label>
        {error ? (
          <p class="field-error" id={`${fieldId}-error`}>
            {error}
          </p>
        ) : null}
        <input
          key={`${role}-${inputs}`}
          id={fieldId}
          type="file"
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `${fieldId}-error` : undefined}
          onChange={(e) => {
            const file = (e.currentTarget as HTMLInputElement).files?.[0];
            setFiles((f) => ({ ...f, [role]: file }));
          }}
        />
        {files[role] ? <p class="hint">Fichier retenu : {files[role]!.name}</p> : null}
      </div>
    );
  };
  return (
    <form id="ajout" noValidate onSubmit={submit}>
      <fieldset>
        <legend>Ajouter une offre</legend>
        <ErrorSummary title="L’offre n’a pas été enregistrée" errors={summary} />
        <div
          class="drop-zone"
          onDragOver={(e) => e.preventDefault()}
          onDrop={(e) => {
            e.preventDefault();
            take(e.dataTransfer?.files ?? null);
          }}
        >
          Déposez ici le cadre de réponse et le bordereau des prix renvoyés par le candidat, ou choisissez-les ci-dessous.
        </div>
        <div class="row">
          <TextField id="bid-id" label="Identifiant" hint="Court et unique, par exemple « acme » : il désigne l’offre dans les notes." value={id} onInput={setId} error={errors['bid-id']} required maxLength={40} />
          <TextField id="bid-name" label="Nom du candidat" value={name} onInput={setName} error={errors['bid-name']} required maxLength={200} />
          <TextField id="bid-siret" label="SIRET" hint="14 chiffres." value={siret} onInput={setSiret} error={errors['bid-siret']} required maxLength={17} />
        </div>
        {fileField('matrix', 'Cadre de réponse')}
        {fileField('prices', 'Bordereau des prix')}
        <button type="submit" disabled={busy}>
          {busy ? 'Vérification des fichiers…' : 'Ajouter l’offre'}
        </button>
      </fieldset>
      <div role="status">
        {done ? (
          <p id="ajout-fait" class="ok-text" tabIndex={-1}>
            {done}
          </p>
        ) : null}
      </div>
    </form>
  );
}

/** The API's refusal of an upload, each problem at its field: the bidder's fields, or the file it is about, with the reason to forward. */
function uploadErrors(error: unknown, files: { matrix?: File; prices?: File }): SummaryError[] {
  if (!(error instanceof ApiError)) return [{ id: 'bid-matrix', label: 'Envoi', message: problemMessage(error) }];
  if (error.status === 409) return [{ id: 'bid-id', label: 'Identifiant', message: 'Une offre porte déjà cet identifiant ; une offre enregistrée n’est jamais remplacée : choisissez-en un autre.' }];
  const list = error.problem.errors ?? [];
  if (list.length === 0) {
    // The body's own limit (both files together, base64) or another refusal without field paths.
    const reason = error.problem.detail ? ` Motif : « ${error.problem.detail} ».` : '';
    const message = error.status === 413 ? `Les deux fichiers ensemble dépassent la taille qu’accepte l’envoi.${reason}` : `${problemMessage(error)}${reason}`;
    return [{ id: 'bid-matrix', label: 'Envoi', message }];
  }
  return list.map((e) => {
    const bidder = BIDDER_FIELDS[e.path];
    if (bidder) return { ...bidder, message: bidderMessage(e.message) };
    const prices =
      e.path.startsWith('prices') || (files.prices !== undefined && e.path.startsWith(files.prices.name)) || /^(BPU|DQE|DPGF)/i.test(e.path);
    const where = /^(matrix|prices)(\.|$)/.test(e.path) ? '' : ` (${e.path})`;
    return {
      id: prices ? 'bid-prices' : 'bid-matrix',
      label: prices ? 'Bordereau des prix' : 'Cadre de réponse',
      message: `${FILE_ERROR[error.status] ?? 'Fichier refusé.'} Motif à transmettre au candidat${where} : « ${fileReason(e.message)} ».`,
    };
  });
}

function LotsWithout(props: { lots: number[] }) {
  const { lots } = props;
  if (lots.length === 0) return null;
  const list = lots.length === 1 ? `au lot ${lots[0]}` : `aux lots ${lots.slice(0, -1).join(', ')} et ${lots.at(-1)}`;
  return <p>Aucune offre reçue {list}.</p>;
}

/** One lot's offers: conformity badge, amount examined, and every point found. */
function LotConformity(props: { lot: ConformityResult['lots'][number] }) {
  const { lot } = props;
  return (
    <section aria-labelledby={`conformite-${lot.lot}`}>
      <h2 id={`conformite-${lot.lot}`}>
        Lot {lot.lot} — {lot.title} : conformité des offres
      </h2>
      <div class="table-wrap">
        <table>
          <caption>{formatCount(lot.offers.length, 'offre examinée', 'offres examinées')}</caption>
          <thead>
            <tr>
              <th scope="col">Candidat</th>
              <th scope="col">Conformité</th>
              <th scope="col">Montant examiné HT</th>
              <th scope="col">Points relevés</th>
            </tr>
          </thead>
          <tbody>
            {lot.offers.map((o) => (
              <tr key={o.bid} data-offer={o.bid}>
                <th scope="row">{o.name}</th>
                <td>
                  <span class={`verdict ${STATUS[o.status].class}`}>{STATUS[o.status].label}</span>
                </td>
                <td>{formatMoney(o.amount)}</td>
                <td>
                  {o.issues.length === 0 && o.rectified.length === 0 && !o.rectifiedTotals ? (
                    'Aucun'
                  ) : (
                    <ul>
                      {o.issues.map((i, n) => (
                        <li key={n}>
                          {i.reason}
                          {i.cell || i.regularisable ? <span class="muted"> ({[i.cell ? `cellule ${i.cell}` : '', i.regularisable ? 'régularisable' : ''].filter(Boolean).join(', ')})</span> : null}
                        </li>
                      ))}
                      {o.rectified.map((r) => (
                        <li key={r.number}>
                          Ligne {r.number} : montant indiqué {formatMoney(r.declared)}, rectifié à {formatMoney(r.rectified)} (le prix unitaire prévaut)
                        </li>
                      ))}
                      {(o.rectifiedTotals ?? []).map((r) => (
                        <li key={r.cell}>
                          {r.label} : montant indiqué {formatMoney(r.declared)}, rectifié à {formatMoney(r.rectified)} (le prix unitaire prévaut)
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

interface MarkState {
  grade: string;
  justification: string;
}
/** A lot's credits as typed: both parts or neither. */
interface BudgetState {
  amount: number | undefined;
  establishedOn: string;
}
/** The buyer's decision to eliminate one offer, being written. */
interface DecisionState {
  category: Category | '';
  reason: string;
}
type Offer = ConformityResult['lots'][number]['offers'][number];
/** A share as the form types it: 0.3 → 30 (rounded to the hundredth of a percent, so 0.07 gives 7 and not 7.000000000000001). */
const percentOf = (share: number) => Math.round(share * 10_000) / 100;

/** The form's first state: empty (and the SIRET from the tender) when nothing was recorded, else the recorded input. */
function formStart(recorded: RecordedMarks | null, buyerSiret: string) {
  const award: AwardState = { ...NO_AWARD, buyerSiret };
  if (!recorded) {
    return { marks: {}, low: { belowEstimate: 30, belowOthers: 20, lineBelowEstimate: 40 }, sentOn: '', electronic: true, signatory: '', award, budgets: {}, decisions: {} };
  }
  const a = recorded.award;
  const low = recorded.abnormallyLow;
  return {
    marks: Object.fromEntries(recorded.marks.map((m): [string, MarkState] => [markKey(m), { grade: m.grade, justification: m.justification }])),
    low: { belowEstimate: percentOf(low.belowEstimate), belowOthers: percentOf(low.belowOthers), lineBelowEstimate: percentOf(low.lineBelowEstimate) },
    sentOn: recorded.letters?.sentOn ?? '',
    electronic: recorded.letters?.electronic ?? true,
    signatory: recorded.letters?.signatory ?? '',
    award: a
      ? {
          buyerSiret: a.buyerSiret,
          notificationDate: a.notificationDate,
          publicationDate: a.publicationDate,
          placeCode: a.placeOfPerformance.code,
          placeType: a.placeOfPerformance.typeCode,
          ccag: a.ccag,
          advance: a.advance ? percentOf(a.advance.rate) : undefined,
          subcontracting: a.subcontracting,
          contractIds: a.contractIds,
        }
      : award,
    budgets: Object.fromEntries(recorded.budgets.map((b): [number, BudgetState] => [b.lot, { amount: b.amount, establishedOn: b.establishedOn }])),
    decisions: Object.fromEntries(recorded.eliminations.map((e): [string, DecisionState] => [offerKey(e.lot, e.bid), { category: e.category, reason: e.reason }])),
  };
}

const budgetGiven = (b: BudgetState | undefined): b is BudgetState => b !== undefined && (b.amount !== undefined || b.establishedOn !== '');

function markMessage(message: string): string {
  if (/needs its written justification/.test(message)) return 'La justification écrite est obligatoire.';
  if (/justification states what the grade rests on/.test(message)) return `Justifiez l’appréciation en ${MIN_JUSTIFICATION_CHARS} caractères au moins : sur quoi repose-t-elle ?`;
  if (/Invalid option/.test(message)) return 'Choisissez une appréciation.';
  if (/before the consultation is launched/.test(message)) return 'Les lettres ne peuvent pas partir avant le lancement de la consultation.';
  return fieldMessage(message);
}

/** Credits established after the launch cannot make an offer unacceptable (L2152-3). */
const lateCredits = (launchedOn: string) =>
  `Les crédits doivent avoir été établis au plus tard le ${formatDate(launchedOn)}, jour du lancement de la consultation : établis après, ils ne rendent pas une offre inacceptable.`;

function decisionMessage(message: string, launchedOn: string): string {
  if (/needs the reason the bidder is told/.test(message)) return 'Le motif écrit est obligatoire.';
  if (/a reason states what the decision rests on/.test(message)) return `Motivez la décision en ${MIN_REASON_CHARS} caractères au moins : le motif figure dans le rapport d’analyse et dans la lettre au candidat.`;
  if (/Invalid option/.test(message)) return 'Choisissez « Inacceptable » ou « Inappropriée ».';
  if (/credits established after the launch/.test(message)) return lateCredits(launchedOn);
  return fieldMessage(message);
}

/**
 * One lot's credits and the buyer's decisions to eliminate its offers. « Écarter l’offre » opens the
 * category and the reason in place, the focus on the first category; « Ne pas écarter » gives the
 * focus back to the button.
 */
function LotDecisions(props: {
  lot: ConformityResult['lots'][number];
  launchedOn: string;
  budget: BudgetState | undefined;
  onBudget: (b: BudgetState) => void;
  decisions: Record<string, DecisionState>;
  onDecision: (bid: string, d: DecisionState | undefined) => void;
  errors: FieldErrors;
}) {
  const { lot, errors } = props;
  const budget = props.budget ?? { amount: undefined, establishedOn: '' };
  const open = (bid: string) => {
    props.onDecision(bid, { category: '', reason: '' });
    focusIdLater(`${decisionId(lot.lot, bid)}-unacceptable`);
  };
  const cancel = (bid: string) => {
    props.onDecision(bid, undefined);
    focusIdLater(`${decisionId(lot.lot, bid)}-open`);
  };
  const offers = lot.offers.filter((o) => o.status !== 'irregular');
  return (
    <>
      <fieldset>
        <legend class="legend-small">Crédits budgétaires du lot {lot.lot} (facultatif)</legend>
        <p class="hint">
          {frenchSpacing(
            `Les crédits alloués au lot, déterminés et établis au plus tard le ${formatDate(props.launchedOn)}, jour du lancement de la consultation. Une offre dont le montant examiné les dépasse est inacceptable (${ELIMINATION_CHOICES[0]!.articles}). Ni l’estimation ni le maximum d’un accord-cadre n’en tiennent lieu.`,
          )}
        </p>
        <div class="row">
          <NumberField id={`budget-${lot.lot}-amount`} label="Montant HT" suffix="€" min={0} value={budget.amount} onChange={(amount) => props.onBudget({ ...budget, amount })} error={errors[`budget-${lot.lot}-amount`]} />
          <TextField
            id={`budget-${lot.lot}-establishedOn`}
            type="date"
            label="Date à laquelle ils ont été établis"
            value={budget.establishedOn}
            onInput={(establishedOn) => props.onBudget({ ...budget, establishedOn })}
            error={errors[`budget-${lot.lot}-establishedOn`]}
          />
        </div>
      </fieldset>
      {offers.length > 0 ? (
        <ul class="decisions">
          {offers.map((o) => {
            const id = decisionId(lot.lot, o.bid);
            const decision = props.decisions[offerKey(lot.lot, o.bid)];
            const set = (change: Partial<DecisionState>) => props.onDecision(o.bid, { category: '', reason: '', ...decision, ...change });
            const categoryError = errors[`${id}-unacceptable`];
            const above = !decision && budget.amount !== undefined && (o.status === 'conforming' || o.status === 'regularisable') && o.amount > budget.amount;
            return (
              <li key={o.bid} data-decision={o.bid}>
                {o.name}
                {'\u00a0: '}
                <span class={`verdict ${STATUS[o.status].class}`}>{STATUS[o.status].label}</span>{' '}
                {decision ? (
                  <fieldset class="card">
                    <legend class="legend-small">Écarter l’offre {of(o.name)}</legend>
                    <fieldset aria-describedby={categoryError ? `${id}-category-error` : undefined}>
                      <legend class="legend-small">
                        Catégorie<span class="required"> (obligatoire)</span>
                      </legend>
                      {categoryError ? (
                        <p class="field-error" id={`${id}-category-error`}>
                          {frenchSpacing(categoryError)}
                        </p>
                      ) : null}
                      {ELIMINATION_CHOICES.map((c) => (
                        <div key={c.category} class="choice">
                          <input
                            type="radio"
                            id={`${id}-${c.category}`}
                            name={`${id}-category`}
                            value={c.category}
                            checked={decision.category === c.category}
                            aria-describedby={`${id}-${c.category}-hint`}
                            aria-invalid={categoryError ? 'true' : undefined}
                            onChange={() => set({ category: c.category })}
                          />
                          <label for={`${id}-${c.category}`}>{c.label}</label>
                          <p class="hint" id={`${id}-${c.category}-hint`}>
                            {frenchSpacing(`${c.meaning} (${c.articles})`)}
                          </p>
                        </div>
                      ))}
                    </fieldset>
                    <TextArea
                      id={`${id}-reason`}
                      label="Motif écrit"
                      hint={`Ce qui fonde la décision, ${MIN_REASON_CHARS} caractères au moins : il figure dans le rapport d’analyse et dans la lettre au candidat.`}
                      value={decision.reason}
                      onInput={(reason) => set({ reason })}
                      error={errors[`${id}-reason`]}
                      required
                      maxLength={2000}
                    />
                    <button type="button" class="button-secondary button-small" aria-label={`Ne pas écarter l’offre ${of(o.name)}`} onClick={() => cancel(o.bid)}>
                      Ne pas écarter l’offre
                    </button>
                  </fieldset>
                ) : (
                  <button id={`${id}-open`} type="button" class="button-secondary button-small" aria-label={`Écarter l’offre ${of(o.name)}`} onClick={() => open(o.bid)}>
                    Écarter l’offre
                  </button>
                )}
                {above ? <p class="hint">{frenchSpacing(`Son montant examiné (${formatMoney(o.amount)} HT) dépasse les crédits : elle sera inacceptable une fois les crédits enregistrés.`)}</p> : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </>
  );
}

/** The marks of the conforming offers, the optional settings, and the analysis with its results and documents. */
function MarksForm(props: {
  base: string;
  conformity: ConformityResult;
  recorded: RecordedMarks | null;
  /** The ETag of the marks read (none when none are recorded): the If-Match of the next save. */
  etag: string | undefined;
  /** Reads the marks again and starts the form from them (after someone else saved meanwhile). */
  onReload: () => Promise<void>;
  buyerSiret: string;
  launchedOn: string;
  onSaved: () => Promise<void>;
}) {
  const { api } = useApp();
  // The marks this form's save replaces: those read, then those it saved itself.
  const etag = useRef(props.etag);
  const [conflict, setConflict] = useState(false);
  const { conformity } = props;
  // The form starts from the input last recorded, if any: saving again then keeps what the buyer did not change.
  const [start] = useState(() => formStart(props.recorded, props.buyerSiret));
  const [marks, setMarks] = useState<Record<string, MarkState>>(start.marks);
  const [low, setLow] = useState<{ belowEstimate: number | undefined; belowOthers: number | undefined; lineBelowEstimate: number | undefined }>(start.low);
  const [sentOn, setSentOn] = useState(start.sentOn);
  const [electronic, setElectronic] = useState(start.electronic);
  const [signatory, setSignatory] = useState(start.signatory);
  const [award, setAward] = useState<AwardState>(start.award);
  const [budgets, setBudgets] = useState<Record<number, BudgetState>>(start.budgets);
  const [decisions, setDecisions] = useState<Record<string, DecisionState>>(start.decisions);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [summary, setSummary] = useState<SummaryError[]>([]);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<AnalysisResult | undefined>();
  const offers = new Map(conformity.lots.flatMap((l) => l.offers.map((o): [string, Offer] => [offerKey(l.lot, o.bid), o])));
  /** Out of the marking once saved: eliminated by a decision, or (conforming or regularisable) above the lot's credits. */
  const setAside = (lot: number, o: Offer) => {
    const amount = budgets[lot]?.amount;
    return decisions[offerKey(lot, o.bid)] !== undefined || (amount !== undefined && (o.status === 'conforming' || o.status === 'regularisable') && o.amount > amount);
  };
  const needed = conformity.marksNeeded.filter((m) => !setAside(m.lot, offers.get(offerKey(m.lot, m.bid))!));
  const budgetLots = conformity.lots.map((l) => l.lot).filter((lot) => budgetGiven(budgets[lot]));
  const decided = conformity.lots.flatMap((l) => l.offers.filter((o) => decisions[offerKey(l.lot, o.bid)]).map((o) => ({ lot: l.lot, bid: o.bid, ...decisions[offerKey(l.lot, o.bid)]! })));
  const names = new Map(conformity.lots.flatMap((l) => l.offers.map((o) => [o.bid, o.name])));
  const grades = [{ value: '', label: '— Choisir —' }, ...conformity.grades.map((g) => ({ value: g.grade, label: `${g.label} (${formatPercent(g.share * 100)} des points)` }))];

  const update = (key: string, change: Partial<MarkState>) => setMarks((m) => ({ ...m, [key]: { grade: '', justification: '', ...m[key], ...change } }));

  const refuse = (list: SummaryError[]) => {
    setErrors(Object.fromEntries(list.map((x) => [x.id, x.message])));
    setSummary(list);
    focusLater('#notes .error-summary');
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    // Checked here too: stored, late credits would make every later check of the offers refuse them.
    const late = budgetLots.filter((lot) => budgets[lot]!.establishedOn > props.launchedOn);
    if (late.length > 0) return refuse(late.map((lot) => ({ id: `budget-${lot}-establishedOn`, label: `Lot ${lot}, date des crédits`, message: lateCredits(props.launchedOn) })));
    setBusy(true);
    setResult(undefined);
    let saved = false;
    const body = {
      marks: needed.map((m) => {
        const state = marks[markKey(m)];
        return {
          lot: m.lot,
          bid: m.bid,
          criterion: m.criterion,
          ...(m.subCriterion === undefined ? {} : { subCriterion: m.subCriterion }),
          ...(state?.grade ? { grade: state.grade } : {}),
          justification: state?.justification ?? '',
        };
      }),
      abnormallyLow: { belowEstimate: (low.belowEstimate ?? 30) / 100, belowOthers: (low.belowOthers ?? 20) / 100, lineBelowEstimate: (low.lineBelowEstimate ?? 40) / 100 },
      ...(awardGiven(award) ? { award: awardBody(award) } : {}),
      ...(sentOn ? { letters: { sentOn, electronic, ...(signatory.trim() ? { signatory: signatory.trim() } : {}) } } : {}),
      budgets: budgetLots.map((lot) => ({ lot, amount: budgets[lot]!.amount, establishedOn: budgets[lot]!.establishedOn || undefined })),
      eliminations: decided.map((d) => ({ lot: d.lot, bid: d.bid, ...(d.category ? { category: d.category } : {}), reason: d.reason })),
    };
    try {
      // If-Match: the marks read; If-None-Match: * for the first save, so that marks saved meanwhile from another tab are not replaced.
      const put = await api.request('PUT', `${props.base}/marks`, { body, headers: etag.current ? { 'if-match': etag.current } : { 'if-none-match': '*' } });
      etag.current = put.headers.get('etag') ?? undefined;
      saved = true;
      setConflict(false);
      const { body: analysis } = await api.request<AnalysisResult>('POST', `${props.base}/analysis`);
      setErrors({});
      setSummary([]);
      setResult(analysis);
      focusLater('#resultats');
    } catch (e) {
      if (!saved && e instanceof ApiError && e.status === 412) {
        setErrors({});
        setSummary([]);
        setConflict(true);
        focusIdLater('notes-conflict');
      } else {
        refuse(marksErrors(e, { needed, names, budgetLots, decided, launchedOn: props.launchedOn }));
      }
    } finally {
      setBusy(false);
    }
    // The recorded decisions and credits change the offers' statuses and the marks needed.
    if (saved) await props.onSaved();
  };

  return (
    <>
      <form id="notes" noValidate onSubmit={submit}>
        <h2 tabIndex={-1}>Notation et analyse</h2>
        <ErrorSummary title="L’analyse n’a pas été lancée" errors={summary} />
        {conflict ? (
          <div id="notes-conflict" tabIndex={-1}>
            <Alert kind="warning" title="Vos notes n’ont pas été enregistrées">
              <p>
                {frenchSpacing(
                  'Quelqu’un d’autre a enregistré des notes pour cette consultation pendant que vous saisissiez les vôtres. Rechargez les notes enregistrées pour repartir de la dernière version : vos saisies non enregistrées seront remplacées.',
                )}
              </p>
              <button type="button" onClick={() => void props.onReload().then(() => focusLater('#notes h2'))}>
                Recharger les notes enregistrées
              </button>
            </Alert>
          </div>
        ) : null}
        {needed.length === 0 ? (
          <p>Aucune note à donner : aucune offre conforme n’a de critère qualitatif à apprécier. L’analyse classe les offres sur le prix.</p>
        ) : (
          <p>
            Appréciez chaque critère qualitatif des offres conformes ; la justification écrite ({MIN_JUSTIFICATION_CHARS} caractères au moins) figure dans le rapport d’analyse et
            dans les lettres aux candidats non retenus. Le prix est noté par la formule annoncée dans le règlement de la consultation.
          </p>
        )}
        {conformity.lots.map((lot) => {
          if (lot.offers.length === 0) return null;
          const bids = lot.gradedCriteria.length === 0 ? [] : lot.offers.filter((o) => o.status === 'conforming' && !setAside(lot.lot, o));
          return (
            <Fragment key={lot.lot}>
              <h3>
                Lot {lot.lot} — {lot.title}
              </h3>
              <LotDecisions
                lot={lot}
                launchedOn={props.launchedOn}
                budget={budgets[lot.lot]}
                onBudget={(b) => setBudgets((all) => ({ ...all, [lot.lot]: b }))}
                decisions={decisions}
                onDecision={(bid, d) =>
                  setDecisions((all) => {
                    const next = { ...all };
                    if (d) next[offerKey(lot.lot, bid)] = d;
                    else delete next[offerKey(lot.lot, bid)];
                    return next;
                  })
                }
                errors={errors}
              />
              {bids.map((o) => (
                <fieldset key={o.bid} class="card" data-marks={o.bid}>
                  <legend>
                    Offre {of(o.name)} (lot {lot.lot})
                  </legend>
                  {lot.gradedCriteria.map((c) => {
                    const m = { ...c, lot: lot.lot, bid: o.bid };
                    const id = markId(m);
                    const state = marks[markKey(m)] ?? { grade: '', justification: '' };
                    return (
                      <fieldset key={c.number} class="subcriteria">
                        <legend class="legend-small">
                          Critère {c.number} : {c.name} ({formatDecimal(c.points)} {c.points < 2 ? 'point' : 'points'})
                        </legend>
                        <SelectField id={`${id}-grade`} label="Appréciation" value={state.grade} options={grades} onChange={(grade) => update(markKey(m), { grade })} error={errors[`${id}-grade`]} required />
                        <TextArea
                          id={`${id}-justification`}
                          label="Justification"
                          hint={`Ce qui fonde l’appréciation, ${MIN_JUSTIFICATION_CHARS} caractères au moins.`}
                          value={state.justification}
                          onInput={(justification) => update(markKey(m), { justification })}
                          error={errors[`${id}-justification`]}
                          required
                          maxLength={4000}
                        />
                      </fieldset>
                    );
                  })}
                </fieldset>
              ))}
            </Fragment>
          );
        })}
        <fieldset>
          <legend>Offres anormalement basses : seuils de détection (facultatif)</legend>
          <p class="hint">Une offre est signalée quand elle est à ce point sous l’estimation du lot ou sous la moyenne des autres offres conformes. Aucun seuil n’est fixé par la loi.</p>
          <div class="row">
            <NumberField id="al-belowEstimate" label="Écart à l’estimation" suffix="%" min={0} max={100} value={low.belowEstimate} onChange={(v) => setLow({ ...low, belowEstimate: v })} error={errors['al-belowEstimate']} />
            <NumberField id="al-belowOthers" label="Écart à la moyenne des autres offres" suffix="%" min={0} max={100} value={low.belowOthers} onChange={(v) => setLow({ ...low, belowOthers: v })} error={errors['al-belowOthers']} />
            <NumberField
              id="al-lineBelowEstimate"
              label="Écart d’un prix unitaire à son estimation"
              hint="Les lignes ainsi sous l’estimation sont listées dans la demande de justification."
              suffix="%"
              min={0}
              max={100}
              value={low.lineBelowEstimate}
              onChange={(v) => setLow({ ...low, lineBelowEstimate: v })}
              error={errors['al-lineBelowEstimate']}
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>Lettres aux candidats non retenus (facultatif)</legend>
          <p class="hint">Avec une date d’envoi, l’analyse rédige une lettre par offre non retenue, avec les motifs et la date avant laquelle le marché ne sera pas signé.</p>
          <TextField id="letters-sentOn" type="date" label="Date d’envoi des lettres" value={sentOn} onInput={setSentOn} error={errors['letters-sentOn']} />
          <Checkbox id="letters-electronic" label="Envoi par voie électronique (profil d’acheteur ou courriel)" checked={electronic} onChange={setElectronic} />
          <TextField id="letters-signatory" label="Signataire" hint="Nom et qualité, par exemple « Le président du conseil départemental »." value={signatory} onInput={setSignatory} error={errors['letters-signatory']} maxLength={200} />
        </fieldset>
        <AwardFields award={award} onChange={setAward} errors={errors} />
        <button type="submit" disabled={busy}>
          {busy ? 'Analyse en cours…' : 'Enregistrer les notes et lancer l’analyse'}
        </button>
      </form>
      <div role="status" aria-live="polite" class="visually-hidden">
        {result ? `Analyse terminée : ${formatCount(result.summary.lots.filter((l) => l.offers.length > 0).length, 'lot analysé', 'lots analysés')}, ${formatCount(result.documents.length, 'document', 'documents')} à télécharger.` : ''}
      </div>
      {result ? <Results result={result} names={names} /> : null}
    </>
  );
}

/** The API's refusal of the marks or of the analysis, each problem at the field it names. */
function marksErrors(
  error: unknown,
  sent: { needed: ConformityResult['marksNeeded']; names: Map<string, string>; budgetLots: number[]; decided: Array<{ lot: number; bid: string }>; launchedOn: string },
): SummaryError[] {
  const { needed, names } = sent;
  const fallback = [{ id: 'notes', label: 'Analyse', message: problemMessage(error) }];
  if (!(error instanceof ApiError) || !error.problem.errors?.length) return fallback;
  return error.problem.errors.map((e) => {
    const budget = /^budgets\.(\d+)\.(\w+)$/.exec(e.path);
    const lot = budget ? sent.budgetLots[Number(budget[1])] : undefined;
    if (lot !== undefined) {
      const date = budget![2] === 'establishedOn';
      return { id: `budget-${lot}-${date ? 'establishedOn' : 'amount'}`, label: `Lot ${lot}, ${date ? 'date des crédits' : 'montant des crédits'}`, message: decisionMessage(e.message, sent.launchedOn) };
    }
    const elimination = /^eliminations\.(\d+)(?:\.(\w+))?$/.exec(e.path);
    const d = elimination ? sent.decided[Number(elimination[1])] : undefined;
    if (d) {
      const reason = elimination![2] !== 'category';
      const id = `${decisionId(d.lot, d.bid)}-${reason ? 'reason' : 'unacceptable'}`;
      return { id, label: `Offre ${of(names.get(d.bid) ?? d.bid)} écartée (lot ${d.lot}), ${reason ? 'motif' : 'catégorie'}`, message: decisionMessage(e.message, sent.launchedOn) };
    }
    const missing = e.path === 'marks' ? /^missing mark: lot (\d+), offer "([^"]+)", criterion ([\d.]+)$/.exec(e.message) : null;
    // An offer no longer eliminated is marked again: its fields appear once the page reloads the marks needed.
    if (missing) return { id: `${markId({ lot: Number(missing[1]), bid: missing[2]!, number: missing[3]! })}-grade`, label: `Offre ${of(names.get(missing[2]!) ?? missing[2]!)} (lot ${missing[1]})`, message: `appréciez le critère ${missing[3]}, l’offre n’étant plus écartée.` };
    const mark = /^marks\.(\d+)\.(grade|justification)$/.exec(e.path);
    const m = mark ? needed[Number(mark[1])] : undefined;
    if (m) {
      const field = mark![2] === 'grade' ? 'appréciation' : 'justification';
      return { id: `${markId(m)}-${mark![2]}`, label: `${names.get(m.bid) ?? m.bid}, critère ${m.number}, ${field}`, message: markMessage(e.message) };
    }
    const setting = /^abnormallyLow\.(\w+)$/.exec(e.path);
    if (setting) return { id: `al-${setting[1]}`, label: 'Seuil de détection', message: markMessage(e.message) };
    if (e.path.startsWith('award.')) return { id: `award-${e.path.slice(6).replace(/\./g, '-')}`, label: 'Données d’attribution', message: bidderMessage(e.message) };
    const letters = /^letters\.(\w+)$/.exec(e.path);
    if (letters) return { id: `letters-${letters[1]}`, label: 'Lettres', message: markMessage(e.message) };
    return { id: 'notes', label: e.path, message: e.message };
  });
}

interface AwardState {
  buyerSiret: string;
  notificationDate: string;
  publicationDate: string;
  placeCode: string;
  placeType: string;
  ccag: string;
  advance: number | undefined;
  subcontracting: boolean;
  /** Contract numbers per lot recorded through the API (the form has no field for them): kept as they are on saving. */
  contractIds?: Record<string, string>;
}
const NO_AWARD: AwardState = { buyerSiret: '', notificationDate: '', publicationDate: '', placeCode: '', placeType: '', ccag: '', advance: undefined, subcontracting: false };
/** The award details count as given once a date or the place is typed (the buyer's SIRET may come prefilled from the tender). */
const awardGiven = (a: AwardState) => a.notificationDate !== '' || a.publicationDate !== '' || a.placeCode.trim() !== '';
function awardBody(a: AwardState) {
  return {
    buyerSiret: a.buyerSiret.replace(/\s/g, ''),
    notificationDate: a.notificationDate || undefined,
    publicationDate: a.publicationDate || undefined,
    placeOfPerformance: { code: a.placeCode.trim(), typeCode: a.placeType || undefined },
    ccag: a.ccag || undefined,
    ...(a.advance !== undefined ? { advance: { rate: a.advance / 100 } } : {}),
    subcontracting: a.subcontracting,
    ...(a.contractIds && Object.keys(a.contractIds).length > 0 ? { contractIds: a.contractIds } : {}),
  };
}
const choices = (values: readonly string[]) => [{ value: '', label: '— Choisir —' }, ...values.map((v) => ({ value: v, label: v }))];

/** What the award data (DECP record, OCDS release) need once the contract is signed; optional until then. */
function AwardFields(props: { award: AwardState; onChange: (a: AwardState) => void; errors: FieldErrors }) {
  const { award, errors } = props;
  const set = (change: Partial<AwardState>) => props.onChange({ ...award, ...change });
  return (
    <fieldset>
      <legend>Données d’attribution (facultatif, une fois le marché notifié)</legend>
      <p class="hint">Avec ces informations, l’analyse produit aussi les données essentielles du marché (DECP) et la publication de l’attribution au format OCDS.</p>
      <div class="row">
        <TextField id="award-buyerSiret" label="SIRET de l’acheteur" value={award.buyerSiret} onInput={(buyerSiret) => set({ buyerSiret })} error={errors['award-buyerSiret']} maxLength={17} />
        <TextField id="award-notificationDate" type="date" label="Date de notification du marché" value={award.notificationDate} onInput={(notificationDate) => set({ notificationDate })} error={errors['award-notificationDate']} />
        <TextField id="award-publicationDate" type="date" label="Date de publication des données" value={award.publicationDate} onInput={(publicationDate) => set({ publicationDate })} error={errors['award-publicationDate']} />
      </div>
      <div class="row">
        <TextField id="award-placeOfPerformance-code" label="Lieu d’exécution : code" hint="Code INSEE ou code postal, par exemple 27 ou 27000." value={award.placeCode} onInput={(placeCode) => set({ placeCode })} error={errors['award-placeOfPerformance-code']} maxLength={6} />
        <SelectField id="award-placeOfPerformance-typeCode" label="Nature de ce code" value={award.placeType} options={choices(PLACE_TYPE_CODES)} onChange={(placeType) => set({ placeType })} error={errors['award-placeOfPerformance-typeCode']} />
        <SelectField id="award-ccag" label="CCAG auquel renvoie le CCAP" value={award.ccag} options={choices(CCAG_NAMES)} onChange={(ccag) => set({ ccag })} error={errors['award-ccag']} />
      </div>
      <NumberField id="award-advance-rate" label="Taux de l’avance" hint="Laissez vide s’il n’y a pas d’avance." suffix="%" min={0} max={100} value={award.advance} onChange={(advance) => set({ advance })} error={errors['award-advance-rate']} />
      <Checkbox id="award-subcontracting" label="Le titulaire a déclaré des sous-traitants à la notification" checked={award.subcontracting} onChange={(subcontracting) => set({ subcontracting })} />
    </fieldset>
  );
}

function documentLabel(name: string, names: Map<string, string>): string {
  const format = name.endsWith('.pdf') ? 'PDF' : name.endsWith('.docx') ? 'Word' : 'JSON';
  let m: RegExpExecArray | null;
  if ((m = /^rao-lot-(\d+)\./.exec(name))) return `Rapport d’analyse des offres, lot ${m[1]} (${format})`;
  if ((m = /^lettre-offre-non-retenue-lot-(\d+)-(.+)\.\w+$/.exec(name))) return `Lettre à ${names.get(m[2]!) ?? m[2]}, offre non retenue, lot ${m[1]} (${format})`;
  if (name === 'decp.json') return 'Données essentielles du marché (DECP, JSON)';
  if (name === 'award.ocds.json') return 'Attribution au format OCDS (JSON)';
  if (name === 'analyse.json') return 'Synthèse de l’analyse (JSON)';
  return name;
}

/** Per lot: the ranking and the proposed award; then the documents, as short-lived links. */
function Results(props: { result: AnalysisResult; names: Map<string, string> }) {
  const { result, names } = props;
  const expires = result.documents[0]?.expiresAt;
  return (
    <section aria-labelledby="resultats">
      <h2 id="resultats" tabIndex={-1}>
        Résultat de l’analyse
      </h2>
      {result.summary.lots.map((lot) => {
        const ranked = lot.offers.filter((o) => o.score !== null).sort((a, b) => a.score!.rank - b.score!.rank);
        if (lot.offers.length === 0) return null;
        return (
          <Fragment key={lot.lot}>
            <h3>
              Lot {lot.lot} — {lot.title}
            </h3>
            {ranked.length === 0 ? (
              <p>Aucune offre conforme : le lot ne peut pas être attribué en l’état.</p>
            ) : (
              <div class="table-wrap">
                <table data-ranking={lot.lot}>
                  <caption>Classement des offres conformes du lot {lot.lot}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Rang</th>
                      <th scope="col">Candidat</th>
                      <th scope="col">Total sur 100</th>
                      <th scope="col">Remarque</th>
                    </tr>
                  </thead>
                  <tbody>
                    {ranked.map((o) => (
                      <tr key={o.bid}>
                        <td>
                          {o.score!.rank}
                          {o.score!.tied ? ' (ex æquo)' : ''}
                        </td>
                        <th scope="row">{names.get(o.bid) ?? o.bid}</th>
                        <td>{formatDecimal(o.score!.total)}</td>
                        <td>
                          {[
                            o.score!.tieBrokenBy ? `Même total qu’une autre offre, départagée par ${TIE_BREAK[o.score!.tieBrokenBy]} (règlement de la consultation).` : '',
                            o.abnormallyLow ? 'Paraît anormalement basse : demander au candidat de justifier ses prix avant toute décision.' : '',
                          ]
                            .filter(Boolean)
                            .join(' ')}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {lot.proposed ? (
              <p>
                Attributaire proposé : <strong>{lot.proposed.name}</strong>.
              </p>
            ) : lot.tieForFirst ? (
              <p>
                Plusieurs offres partagent le premier rang :{' '}
                {lot.tieBreak === 'none'
                  ? 'le règlement de la consultation ne prévoit pas de départage'
                  : `la règle de départage du règlement de la consultation (${TIE_BREAK[lot.tieBreak]}) ne les sépare pas`}
                , la décision motivée vous revient.
              </p>
            ) : null}
          </Fragment>
        );
      })}
      <h3>Documents</h3>
      <ul class="documents">
        {result.documents.map((d) => (
          <li key={d.name}>
            <a href={d.url} download={d.name} data-document={d.name}>
              {documentLabel(d.name, names)}
            </a>
          </li>
        ))}
      </ul>
      {expires ? <p class="muted">Ces liens expirent le {formatDateTime(expires)} ; relancez l’analyse pour en obtenir de nouveaux (mêmes notes, mêmes documents).</p> : null}
      {result.documents.some((d) => d.name.startsWith('lettre-')) ? null : <p class="muted small">Aucune lettre aux candidats non retenus : indiquez leur date d’envoi pour les obtenir.</p>}
    </section>
  );
}
