import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { CatalogueReport } from '../../../src/core/products/catalogue-report.ts';
import type { Verdict } from '../../../src/core/products/check-product.ts';
import type { CatalogueImpact, VerdictChange } from '../../../src/core/products/impact.ts';
import { reportCsv, VERDICT_LABELS } from '../../../src/core/products/report-table.ts';
import { changeLabels } from '../../../src/core/documents/labels.ts';
import { unitLabel } from '../../../src/core/model/units.ts';
import { allPages, ApiError, listFrameworks, type Criterion, type DocumentLink, type Framework, type StoredCatalogue } from '../api.ts';
import { useApp } from '../app-context.ts';
import { Checkbox, ErrorSummary, NumberField, SelectField, TextField, FileIssues } from '../components/fields.tsx';
import { Alert, Loading, Page } from '../components/page.tsx';
import { formatCount, formatDateTime, formatPercent } from '../format.ts';
import { ITEMS } from '../catalogue.ts';
import { problemMessage } from '../messages.ts';
import { PRODUCT_CONTENT_TYPES, PRODUCT_UPLOAD_BYTES, productFileFormat, productFileRefusal, type ProductFileFormat, type ProductFileRefusal } from '../product-file.ts';
import { isEditor } from '../session.ts';
import { download } from '../download.ts';

/** Rows of the product table shown at once; the filters narrow the rest, the CSV export holds them all. */
const SHOWN = 100;

const VERDICTS: readonly Verdict[] = ['not-conform', 'undeclared', 'needs-evidence', 'conform'];

interface LoadedFile {
  name: string;
  format: ProductFileFormat;
  /** The file as chosen: sent as is, so that the upload reports its progress byte by byte. */
  blob: Blob;
  /** A CSV's or a JSON's text, which the impact preview sends again; absent for a workbook. */
  text?: string;
}

/**
 * What the browser knows of a check: the bytes sent (XMLHttpRequest's upload events), then only
 * that the API is checking (one request, no server-side progress to read), then the outcome.
 */
type Progress = { phase: 'sending'; sent: number; total: number } | { phase: 'checking' } | { phase: 'done'; text: string };

const kio = (bytes: number) => `${formatCount(Math.ceil(bytes / 1024), 'Kio', 'Kio')}`;

/**
 * « Catalogues »: a catalogue manager (or an editor) checks a product file against a framework
 * version and reads the report: shares overall and per item, products filtered by verdict and
 * item, each product's reasons. An editor also simulates a threshold change on the same file and
 * sees which products would lose or gain conformity before publishing.
 */
export function CataloguesPage() {
  const { api, session } = useApp();
  const [frameworks, setFrameworks] = useState<Framework[] | undefined>();
  /** The framework the user picked; until then the first listed. */
  const [pickedFramework, setPickedFramework] = useState<string | undefined>();
  /**
   * The version field as the user left it (`value` undefined: emptied, or text that is no version);
   * until they touch it, the latest version of the framework. The defaults are derived, never written into this state, so a
   * list that answers after the user typed cannot overwrite what they typed.
   */
  const [typedVersion, setTypedVersion] = useState<{ value: number | undefined } | undefined>();
  const [file, setFile] = useState<LoadedFile | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [refusal, setRefusal] = useState<ProductFileRefusal | undefined>();
  const [progress, setProgress] = useState<Progress | undefined>();
  const [report, setReport] = useState<CatalogueReport | undefined>();
  const [store, setStore] = useState(false);
  const [storeName, setStoreName] = useState('');
  /** The stored catalogue whose report is shown, when it is one. */
  const [opened, setOpened] = useState<StoredCatalogue | undefined>();
  const [listVersion, setListVersion] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);
  const reportRef = useRef<HTMLDivElement>(null);

  const refuse = (reading: ProductFileRefusal) => {
    setRefusal(reading);
    // The summary takes the focus (RGAA 11.10); its link brings it back to the file field.
    requestAnimationFrame(() => summaryRef.current?.querySelector<HTMLElement>('.error-summary')?.focus());
  };

  useEffect(() => {
    listFrameworks(api).then(setFrameworks, (e: unknown) => setError(problemMessage(e)));
  }, [api]);
  const frameworkId = pickedFramework ?? frameworks?.[0]?.id ?? '';
  const version = typedVersion ? typedVersion.value : frameworks?.find((f) => f.id === frameworkId)?.version;

  const check = async () => {
    if (busy || !file || !frameworkId || version === undefined) return;
    setError(undefined);
    setRefusal(undefined);
    setReport(undefined);
    if (file.blob.size > PRODUCT_UPLOAD_BYTES) {
      // Refused before sending: the API would answer 413 after the whole upload.
      return refuse(productFileRefusal(new ApiError(413, { type: 'urn:cahier:web:too-large', title: 'Payload too large', status: 413 }))!);
    }
    setBusy(true);
    setOpened(undefined);
    setProgress({ phase: 'sending', sent: 0, total: file.blob.size });
    const sending = {
      body: file.blob,
      headers: { 'content-type': PRODUCT_CONTENT_TYPES[file.format] },
      onUploadProgress: (sent: number, total: number) => setProgress(sent >= total ? { phase: 'checking' } : { phase: 'sending', sent, total }),
    };
    const query = `framework=${encodeURIComponent(frameworkId)}&version=${version}`;
    try {
      if (store) {
        // Checked and stored by the API (file, reports, record); the report shown is the stored one.
        const name = storeName.trim() || file.name;
        const { body: record } = await api.request<StoredCatalogue>('POST', `/catalogues?${query}&name=${encodeURIComponent(name)}`, sending);
        const { body } = await api.request<CatalogueReport>('GET', `/catalogues/${encodeURIComponent(record.id)}/report`);
        setReport(body);
        setOpened(record);
        setListVersion((v) => v + 1);
        setProgress({ phase: 'done', text: `Catalogue « ${record.name} » enregistré : ${formatCount(body.totals.total, 'produit vérifié', 'produits vérifiés')} ; le rapport suit.` });
        return;
      }
      const { body } = await api.request<CatalogueReport>('POST', `/catalogues/check?${query}`, sending);
      setReport(body);
      setProgress({ phase: 'done', text: `Vérification terminée : ${formatCount(body.totals.total, 'produit vérifié', 'produits vérifiés')} dans ${file.name} ; le rapport suit.` });
    } catch (e) {
      setProgress(undefined);
      const reading = productFileRefusal(e);
      if (reading) refuse(reading);
      else setError(problemMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const openStored = async (record: StoredCatalogue) => {
    setError(undefined);
    setRefusal(undefined);
    setProgress(undefined);
    try {
      const { body } = await api.request<CatalogueReport>('GET', `/catalogues/${encodeURIComponent(record.id)}/report`);
      setReport(body);
      setOpened(record);
      // The report's heading takes the focus, so that a keyboard or screen reader user lands on what opened.
      requestAnimationFrame(() => reportRef.current?.querySelector<HTMLElement>('h2')?.focus());
    } catch (e) {
      setError(problemMessage(e));
    }
  };

  return (
    <Page
      title="Catalogues"
      lead="Vérifiez chaque produit d’un catalogue au regard d’une version du référentiel. Un produit est conforme quand il satisfait toutes les exigences minimales de son article ; une valeur absente n’est jamais supposée."
      wide
    >
      {!frameworks && !error ? <Loading /> : null}
      <div ref={summaryRef}>{refusal ? <ErrorSummary title="Le fichier n’a pas été vérifié" errors={[{ id: 'catalogue-file', label: 'Fichier du catalogue', message: refusal.summary }]} /> : null}</div>
      <form
        class="card"
        aria-labelledby="catalogue-form"
        onSubmit={(e) => {
          e.preventDefault();
          void check();
        }}
      >
        <h2 id="catalogue-form">Fichier à vérifier</h2>
        {frameworks ? (
          <SelectField id="framework" label="Référentiel" value={frameworkId} options={frameworks.map((f) => ({ value: f.id, label: `${f.title} (${f.id})` }))} onChange={(id) => {
            setPickedFramework(id);
            // Another framework: its latest version again, as the hint says.
            setTypedVersion(undefined);
          }} />
        ) : null}
        <NumberField id="framework-version" label="Version du référentiel" hint="La dernière version publiée par défaut." value={version} onChange={(value) => setTypedVersion({ value })} onInvalid={() => setTypedVersion({ value: undefined })} integer min={1} />
        <div class={`field${refusal ? ' field-invalid' : ''}`}>
          <label for="catalogue-file">Fichier du catalogue (Excel, CSV ou JSON)</label>
          <p class="hint" id="catalogue-file-hint">
            Formats acceptés : classeur Excel .xlsx (la première feuille est lue ; des valeurs saisies, sans formule ni macro), CSV séparé par « ; » en UTF-8, ou JSON. Une ligne d’en-tête « reference ; fournisseur ; marque ; modele ; article », puis une colonne par critère (son identifiant, par exemple tablet.storage.user), une ligne par produit. {kio(PRODUCT_UPLOAD_BYTES)} au plus ici ; au-delà, utilisez la commande cahier conformity.
          </p>
          {refusal ? (
            <div class="field-error" id="catalogue-file-error">
              <p>Le fichier a été refusé ; rien n’a été enregistré.{refusal.issues.length > 0 ? ' Corrigez puis recommencez :' : ''}</p>
              <FileIssues issues={refusal.issues} />
            </div>
          ) : null}
          <input
            id="catalogue-file"
            type="file"
            accept={`.xlsx,.csv,.json,${PRODUCT_CONTENT_TYPES.xlsx},text/csv,application/json`}
            aria-describedby={refusal ? 'catalogue-file-hint catalogue-file-error' : 'catalogue-file-hint'}
            aria-invalid={refusal ? 'true' : undefined}
            onChange={(e) => {
              setRefusal(undefined);
              setProgress(undefined);
              const chosen = (e.currentTarget as HTMLInputElement).files?.[0];
              if (!chosen) return setFile(undefined);
              const format = productFileFormat(chosen.name);
              // Chosen now (a check right away sends this file); a CSV's or JSON's text follows for the impact preview.
              setFile({ name: chosen.name, format, blob: chosen });
              if (format !== 'xlsx') void chosen.text().then((text) => setFile((current) => (current?.blob === chosen ? { ...current, text } : current)));
            }}
          />
        </div>
        <Checkbox
          id="catalogue-store"
          label="Enregistrer le catalogue et ses rapports"
          hint="Le fichier et ses rapports (JSON, CSV, Excel, PDF) sont conservés ; vous les retrouvez dans la liste des catalogues enregistrés."
          checked={store}
          onChange={setStore}
        />
        {store ? <TextField id="catalogue-name" label="Nom du catalogue" hint="Le nom du fichier par défaut." maxLength={120} value={storeName} onInput={setStoreName} /> : null}
        {/* Not disabled while busy: the button keeps the focus during the check. */}
        <button type="submit" disabled={!file || !frameworkId || version === undefined} aria-disabled={busy ? 'true' : undefined}>
          Vérifier le catalogue
        </button>
        <p role="status" id="catalogue-progress">
          {progress?.phase === 'sending' ? `Envoi de ${file?.name ?? 'ce fichier'}…` : progress?.phase === 'checking' ? 'Vérification en cours…' : progress?.phase === 'done' ? progress.text : ''}
        </p>
        {progress?.phase === 'sending' ? (
          <p>
            <progress max={progress.total} value={progress.sent} aria-label={`Envoi de ${file?.name ?? 'ce fichier'}`} /> {kio(progress.sent)} envoyés sur {kio(progress.total)}
          </p>
        ) : progress?.phase === 'checking' ? (
          <p>
            <progress aria-label="Vérification en cours" />
          </p>
        ) : null}
      </form>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <StoredList version={listVersion} openedId={opened?.id} onOpen={(record) => void openStored(record)} onDeleted={(record) => {
        if (opened?.id === record.id) {
          setOpened(undefined);
          setReport(undefined);
        }
      }} />
      <Templates framework={frameworkId} version={version} />
      <div ref={reportRef}>
        {opened ? <StoredReports record={opened} /> : null}
        {report ? <ReportView report={report} fileName={opened ? opened.name : (file?.name ?? 'catalogue')} /> : null}
      </div>
      {report && file && !opened && isEditor(session) ? (
        file.format === 'xlsx' ? (
          <p>La mesure d’impact d’un changement de seuil lit un fichier CSV ou JSON : enregistrez ce classeur au format CSV pour la lancer.</p>
        ) : file.text !== undefined ? (
          <ImpactForm framework={report.framework.id} version={report.framework.version} file={{ format: file.format, text: file.text }} />
        ) : null
      ) : null}
    </Page>
  );
}

function ReportView(props: { report: CatalogueReport; fileName: string }) {
  const { report } = props;
  const [verdict, setVerdict] = useState<'' | Verdict>('');
  const [item, setItem] = useState('');
  const [search, setSearch] = useState('');
  const t = report.totals;
  const products = useMemo(
    () =>
      report.products.filter(
        (p) =>
          (verdict === '' || p.verdict === verdict) &&
          (item === '' || (p.item ?? `offer:${p.offer}`) === item) &&
          (search === '' || `${p.reference} ${p.brand} ${p.model} ${p.supplier}`.toLowerCase().includes(search.toLowerCase())),
      ),
    [report, verdict, item, search],
  );
  const base = props.fileName.replace(/\.[^.]+$/, '');
  return (
    <section aria-labelledby="report-title">
      <h2 id="report-title" tabIndex={-1}>
        Rapport : référentiel {report.framework.id}, version {report.framework.version}
      </h2>
      <p role="status">
        {formatCount(t.conform, 'produit conforme', 'produits conformes')} sur {t.total} ({formatPercent(t.shareConform)}) ; {formatCount(t['not-conform'], 'non conforme', 'non conformes')}, {formatCount(t.undeclared, 'non déclaré', 'non déclarés')}, {formatCount(t['needs-evidence'], 'en attente de justificatif', 'en attente de justificatifs')}.
      </p>
      <p>
        <button type="button" class="button-secondary button-small" onClick={() => download(`${base}-conformite.csv`, 'text/csv;charset=utf-8', reportCsv(report))}>
          Télécharger le rapport (CSV)
        </button>{' '}
        <button type="button" class="button-secondary button-small" onClick={() => download(`${base}-conformite.json`, 'application/json', JSON.stringify(report, null, 2))}>
          Télécharger le rapport (JSON)
        </button>
      </p>
      <div class="table-wrap">
        <table>
          <caption>Conformité par article</caption>
          <thead>
            <tr>
              <th scope="col">Article</th>
              <th scope="col">Produits</th>
              <th scope="col">Conformes</th>
              <th scope="col">Non conformes</th>
              <th scope="col">Non déclarés</th>
              <th scope="col">Justificatif attendu</th>
              <th scope="col">Part conforme</th>
            </tr>
          </thead>
          <tbody>
            {report.byItem.map((g) => (
              <tr key={g.item}>
                <th scope="row">{g.label}</th>
                <td>{g.total}</td>
                <td>{g.conform}</td>
                <td>{g['not-conform']}</td>
                <td>{g.undeclared}</td>
                <td>{g['needs-evidence']}</td>
                <td>
                  <span class="bar" aria-hidden="true">
                    <span class="bar-fill" style={{ width: `${g.shareConform}%` }} />
                  </span>{' '}
                  {formatPercent(g.shareConform)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Produits</h3>
      <div class="filters">
        <SelectField<'' | Verdict> id="filter-verdict" label="Verdict" value={verdict} options={[{ value: '', label: 'Tous' }, ...VERDICTS.map((v) => ({ value: v, label: VERDICT_LABELS[v] }))]} onChange={setVerdict} />
        <SelectField id="filter-item" label="Article" value={item} options={[{ value: '', label: 'Tous' }, ...report.byItem.map((g) => ({ value: g.item, label: g.label }))]} onChange={setItem} />
        <TextField id="filter-search" type="search" label="Rechercher" hint="Référence, marque, modèle ou fournisseur." value={search} onInput={setSearch} />
      </div>
      <p role="status">
        {products.length > SHOWN ? `${SHOWN} premiers produits sur ${products.length} ; affinez les filtres ou téléchargez le rapport.` : formatCount(products.length, 'produit', 'produits')}
      </p>
      <div class="table-wrap">
        <table>
          <caption>Produits et motifs</caption>
          <thead>
            <tr>
              <th scope="col">Référence</th>
              <th scope="col">Produit</th>
              <th scope="col">Article</th>
              <th scope="col">Verdict</th>
              <th scope="col">Motifs</th>
            </tr>
          </thead>
          <tbody>
            {products.slice(0, SHOWN).map((p) => (
              <tr key={p.reference}>
                <th scope="row">{p.reference}</th>
                <td>
                  {p.brand} — {p.model}
                  <br />
                  <span class="hint">{p.supplier}</span>
                </td>
                <td>{p.item ?? p.offer}</td>
                <td>
                  <span class={`verdict verdict-${p.verdict}`}>{VERDICT_LABELS[p.verdict]}</span>
                </td>
                <td>
                  {p.reasons.length === 0 ? (
                    'Toutes les exigences minimales sont satisfaites.'
                  ) : (
                    <details>
                      <summary>
                        {formatCount(p.reasons.length, 'motif', 'motifs')} pour {p.reference}
                      </summary>
                      <ul>
                        {p.reasons.map((r) => (
                          <li key={`${r.component ?? ''}${r.criterionId}`}>
                            {r.component ? `${r.component} : ` : ''}
                            {r.label} ({VERDICT_LABELS[r.verdict]}) : {r.comparison} <span class="hint">[{r.criterionId}, version {r.version}]</span>
                          </li>
                        ))}
                      </ul>
                    </details>
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

/**
 * The stored catalogues: a catalogue manager's own, every one for an editor. Each opens its report
 * below, or is deleted after a confirmation whose first control takes the focus; the focus then
 * goes back to the list's heading.
 */
function StoredList(props: { version: number; openedId: string | undefined; onOpen: (record: StoredCatalogue) => void; onDeleted: (record: StoredCatalogue) => void }) {
  const { api } = useApp();
  const [items, setItems] = useState<StoredCatalogue[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [asking, setAsking] = useState<StoredCatalogue | undefined>();
  const [busy, setBusy] = useState(false);
  const load = () =>
    allPages<StoredCatalogue>(api, '/catalogues').then(
      (list) => {
        setItems(list);
        setError(undefined);
      },
      (e: unknown) => setError(problemMessage(e)),
    );
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, props.version]);
  useEffect(() => {
    if (asking) document.getElementById('catalogue-confirm-delete')?.focus();
  }, [asking]);

  const remove = async (record: StoredCatalogue) => {
    if (busy) return;
    setBusy(true);
    try {
      await api.request('DELETE', `/catalogues/${encodeURIComponent(record.id)}`);
      setAsking(undefined);
      setNotice(`Catalogue « ${record.name} » supprimé, avec ses rapports.`);
      props.onDeleted(record);
      await load();
      document.getElementById('stored-title')?.focus();
    } catch (e) {
      setError(problemMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="stored-title">
      <h2 id="stored-title" tabIndex={-1}>
        Catalogues enregistrés
      </h2>
      {!items && !error ? <Loading /> : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
      <p role="status">{notice ?? ''}</p>
      {items?.length === 0 ? <p>Aucun catalogue enregistré pour l’instant. Cochez « Enregistrer le catalogue et ses rapports » avant la vérification.</p> : null}
      {items?.length ? (
        <div class="table-wrap">
          <table>
            <caption>{formatCount(items.length, 'catalogue enregistré', 'catalogues enregistrés')}</caption>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">Référentiel</th>
                <th scope="col">Enregistré le</th>
                <th scope="col">Part conforme</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.name}</th>
                  <td>
                    {c.framework.id}, version {c.framework.version}
                  </td>
                  <td>{formatDateTime(c.createdAt)}</td>
                  <td>
                    {formatPercent(c.totals.shareConform)} ({formatCount(c.totals.conform, 'conforme', 'conformes')} sur {c.totals.total})
                  </td>
                  <td>
                    <StoredActions record={c} asking={asking?.id === c.id} busy={busy} opened={props.openedId === c.id} onOpen={() => props.onOpen(c)} onAsk={() => {
                      setNotice(undefined);
                      setAsking(c);
                    }} onCancel={() => setAsking(undefined)} onConfirm={() => void remove(c)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

/** A stored catalogue's actions: open and delete, or the confirmation of the delete. */
function StoredActions(props: { record: StoredCatalogue; asking: boolean; busy: boolean; opened: boolean; onOpen: () => void; onAsk: () => void; onCancel: () => void; onConfirm: () => void }) {
  const c = props.record;
  if (props.asking) {
    return (
      <div role="group" aria-label={`Confirmer la suppression de « ${c.name} »`}>
        <p>Supprimer « {c.name} » et ses rapports ? Cette action est définitive.</p>
        <button id="catalogue-confirm-delete" type="button" class="button-danger button-small" aria-disabled={props.busy ? 'true' : undefined} onClick={props.onConfirm}>
          Supprimer
        </button>{' '}
        <button type="button" class="button-secondary button-small" onClick={() => {
          props.onCancel();
          requestAnimationFrame(() => document.getElementById(`catalogue-delete-${c.id}`)?.focus());
        }}>
          Annuler
        </button>
      </div>
    );
  }
  return (
    <div class="actions">
      <button type="button" class="button-small" disabled={props.busy} aria-current={props.opened ? 'true' : undefined} onClick={props.onOpen} aria-label={`Ouvrir « ${c.name} »`}>
        Ouvrir
      </button>
      <button id={`catalogue-delete-${c.id}`} type="button" class="button-secondary button-small" disabled={props.busy} onClick={props.onAsk} aria-label={`Supprimer « ${c.name} »`}>
        Supprimer
      </button>
    </div>
  );
}

const REPORT_LABELS: Record<StoredCatalogue['reports'][number]['format'], string> = { json: 'JSON', csv: 'CSV', xlsx: 'Excel', pdf: 'PDF (synthèse)' };

/** The stored reports of an opened catalogue: links valid a few minutes, asked for when wanted. */
function StoredReports(props: { record: StoredCatalogue }) {
  const { api } = useApp();
  const [links, setLinks] = useState<Array<{ format: string; url: string }> | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => setLinks(undefined), [props.record.id]);
  const fetchLinks = async () => {
    setError(undefined);
    try {
      setLinks(await Promise.all(props.record.reports.map(async (r) => ({ format: r.format, url: (await api.request<DocumentLink>('GET', r.href)).body.url }))));
      requestAnimationFrame(() => document.getElementById('stored-links')?.focus());
    } catch (e) {
      setError(problemMessage(e));
    }
  };
  const r = props.record;
  return (
    <section class="card" aria-labelledby="opened-title">
      <h2 id="opened-title">Catalogue « {r.name} »</h2>
      <p>
        Enregistré le {formatDateTime(r.createdAt)} ; fichier {r.file.format.toUpperCase()} de {kio(r.file.bytes)}, empreinte SHA-256 <code>{r.file.sha256.slice(0, 16)}…</code>
      </p>
      {links ? (
        <ul id="stored-links" tabIndex={-1} aria-label="Rapports enregistrés">
          {links.map((l) => (
            <li key={l.format}>
              <a href={l.url}>Rapport {REPORT_LABELS[l.format as keyof typeof REPORT_LABELS]}</a>
            </li>
          ))}
        </ul>
      ) : (
        <button type="button" class="button-secondary button-small" onClick={() => void fetchLinks()}>
          Obtenir les liens des rapports enregistrés
        </button>
      )}
      {links ? <p class="hint">Ces liens sont valables quelques minutes.</p> : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
    </section>
  );
}

/** The product sheet of each item for the chosen framework version, to fill in and upload. */
function Templates(props: { framework: string; version: number | undefined }) {
  const { api } = useApp();
  const [error, setError] = useState<string | undefined>();
  if (!props.framework) return null;
  const fetchTemplate = async (item: string) => {
    setError(undefined);
    try {
      const { body } = await api.request<Blob>('GET', `/frameworks/${encodeURIComponent(props.framework)}/templates/${encodeURIComponent(item)}${props.version ? `?version=${props.version}` : ''}`, { blob: true });
      download(`modele-${item}.xlsx`, PRODUCT_CONTENT_TYPES.xlsx, body);
    } catch (e) {
      setError(problemMessage(e));
    }
  };
  return (
    <section class="card" aria-labelledby="templates-title">
      <h2 id="templates-title">Modèles de fiches produits</h2>
      <p>
        Un classeur par article pour le référentiel {props.framework}
        {props.version ? `, version ${props.version}` : ''} : une colonne par critère, avec son unité et les valeurs permises. Remplissez-le puis vérifiez-le ci-dessus.
      </p>
      <ul class="template-links">
        {ITEMS.map((item) => (
          <li key={item.id}>
            <button type="button" class="button-link" onClick={() => void fetchTemplate(item.id)}>
              modele-{item.id}.xlsx
            </button>{' '}
            <span class="hint">{item.label}</span>
          </li>
        ))}
      </ul>
      {error ? <Alert kind="error">{error}</Alert> : null}
    </section>
  );
}

/** The editor's simulation: a new threshold for one criterion, the products it would exclude or admit. */
function ImpactForm(props: { framework: string; version: number; file: { format: ProductFileFormat; text: string } }) {
  const { api } = useApp();
  const [criteria, setCriteria] = useState<Criterion[] | undefined>();
  const [criterionId, setCriterionId] = useState('');
  const [value, setValue] = useState<number | undefined>();
  const [impact, setImpact] = useState<CatalogueImpact | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api.request<{ items: Criterion[] }>('GET', `/criteria?framework=${encodeURIComponent(props.framework)}&version=${props.version}&limit=100`).then(
      ({ body }) => {
        const numeric = body.items.filter((c) => c.metric.type === 'numeric' && c.level === 'minimum');
        setCriteria(numeric);
        const first = numeric[0];
        if (first) {
          setCriterionId(first.id);
          setValue(first.metric.type === 'numeric' ? first.metric.value : undefined);
        }
      },
      (e: unknown) => setError(problemMessage(e)),
    );
  }, [api, props.framework, props.version]);
  const criterion = criteria?.find((c) => c.id === criterionId);

  const simulate = async () => {
    if (!criterion || criterion.metric.type !== 'numeric' || value === undefined) return;
    setBusy(true);
    setError(undefined);
    setImpact(undefined);
    try {
      const catalogue = props.file.format === 'csv' ? { csv: props.file.text } : { products: (JSON.parse(props.file.text) as { products?: unknown[] }).products ?? JSON.parse(props.file.text) };
      const { body } = await api.request<CatalogueImpact>('POST', `/frameworks/${encodeURIComponent(props.framework)}/impact`, {
        body: { version: props.version, changes: [{ id: criterion.id, metric: { ...criterion.metric, value } }], ...catalogue },
      });
      setImpact(body);
    } catch (e) {
      setError(problemMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="impact-title">
      <h2 id="impact-title">Impact d’un changement de seuil</h2>
      <p>Avant de publier, mesurez ce qu’un nouveau seuil ferait à ce catalogue. Rien n’est enregistré.</p>
      {!criteria && !error ? <Loading /> : null}
      {criteria ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void simulate();
          }}
        >
          <SelectField id="impact-criterion" label="Critère" value={criterionId} options={criteria.map((c) => ({ value: c.id, label: `${c.label} (${c.id})` }))} onChange={(id) => {
            setCriterionId(id);
            const next = criteria.find((c) => c.id === id);
            setValue(next?.metric.type === 'numeric' ? next.metric.value : undefined);
          }} />
          <NumberField id="impact-value" label="Nouveau seuil" value={value} onChange={setValue} suffix={criterion?.metric.type === 'numeric' ? unitLabel(criterion.metric.unit, value ?? 0) : undefined} />
          <button type="submit" disabled={busy || value === undefined}>
            {busy ? 'Calcul…' : 'Mesurer l’impact'}
          </button>
        </form>
      ) : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
      {impact ? (
        <div>
          <p role="status">
            {formatCount(impact.losing.length, 'produit perdrait', 'produits perdraient')} la conformité, {formatCount(impact.gaining.length, 'la gagnerait', 'la gagneraient')} ; part conforme : {formatPercent(impact.before.shareConform)} aujourd’hui, {formatPercent(impact.after.shareConform)} après.
          </p>
          {impact.criteria.map((c) => (
            <p key={c.criterionId}>
              {c.label} : {c.before?.threshold} → {c.after?.threshold} ({changeLabels(c.changes)})
            </p>
          ))}
          <ChangeList title="Produits qui perdraient la conformité" changes={impact.losing} />
          <ChangeList title="Produits qui la gagneraient" changes={impact.gaining} />
        </div>
      ) : null}
    </section>
  );
}


function ChangeList(props: { title: string; changes: VerdictChange[] }) {
  if (props.changes.length === 0) return null;
  return (
    <>
      <h3>{props.title}</h3>
      <ul>
        {props.changes.map((c) => (
          <li key={c.reference}>
            {c.reference} ({c.brand} — {c.model}) : {VERDICT_LABELS[c.before]} → {VERDICT_LABELS[c.after]}
            {c.reason ? ` ; ${c.reason.label} : ${c.reason.comparison}` : ''}
          </li>
        ))}
      </ul>
    </>
  );
}
