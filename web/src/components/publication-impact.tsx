import { useState } from 'preact/hooks';
import type { PublicationChange } from '../../../src/core/audit/changelog.ts';
import type { PinnedWork } from '../../../src/app/pinned-work.ts';
import type { CatalogueImpact, VerdictChange } from '../../../src/core/products/impact.ts';
import { VERDICT_LABELS } from '../../../src/core/products/report-table.ts';
import type { Criterion } from '../api.ts';
import { useApp } from '../app-context.ts';
import { formatCount, formatDate, formatPercent } from '../format.ts';
import { problemMessage } from '../messages.ts';
import { pinnedDraftsLine, pinnedSummary, pinnedTendersHeading, TENDER_STATUS_NOTES } from '../pinned-work.ts';
import { PRODUCT_UPLOAD_BYTES, productFileFormat, productFileRefusal } from '../product-file.ts';
import { Alert } from './page.tsx';
import { FileIssues } from './fields.tsx';

/** A chosen file as the impact route takes it: a workbook in base64, CSV text, or JSON products. */
async function catalogueBody(file: File): Promise<{ xlsx: string } | { csv: string } | { products: unknown[] }> {
  const format = productFileFormat(file.name);
  if (format === 'xlsx') {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { xlsx: btoa(binary) };
  }
  const text = await file.text();
  if (format === 'csv') return { csv: text };
  const parsed = JSON.parse(text) as unknown;
  return { products: Array.isArray(parsed) ? parsed : ((parsed as { products?: unknown[] }).products ?? []) };
}

/**
 * Inside the publication preview: the effect of the pending version on a catalogue the editor
 * picks (Excel, CSV or JSON), before « Confirmer la publication ». The draft sent is each changed
 * criterion's latest metric and level, on top of the published version: what conformity reads.
 * Nothing is stored.
 */
export function PublicationImpact(props: { frameworkId: string; version: number; changes: readonly PublicationChange[]; latest: Map<string, Criterion> | undefined }) {
  const { api } = useApp();
  const id = `impact-${props.frameworkId}`;
  const [file, setFile] = useState<File | undefined>();
  const [busy, setBusy] = useState(false);
  const [impact, setImpact] = useState<(CatalogueImpact & PinnedWork) | undefined>();
  const [error, setError] = useState<{ text: string; issues: Array<{ place: string; message: string }> } | undefined>();
  const draft = props.changes.flatMap((c) => {
    const current = c.after ? props.latest?.get(c.criterionId) : undefined;
    return current ? [{ id: current.id, metric: current.metric, level: current.level }] : [];
  });

  const measure = async () => {
    if (!file || busy) return;
    setError(undefined);
    setImpact(undefined);
    if (file.size > PRODUCT_UPLOAD_BYTES * 0.7) return setError({ text: `Le fichier dépasse ${Math.floor((PRODUCT_UPLOAD_BYTES * 0.7) / 1024)}\u00a0Kio, la limite de cet aperçu : utilisez la page Catalogues ou la commande cahier conformity.`, issues: [] });
    setBusy(true);
    try {
      const catalogue = await catalogueBody(file);
      const { body } = await api.request<CatalogueImpact & PinnedWork>('POST', `/frameworks/${encodeURIComponent(props.frameworkId)}/impact`, { body: { version: props.version, changes: draft, ...catalogue } });
      setImpact(body);
    } catch (e) {
      const refusal = productFileRefusal(e);
      setError(refusal ? { text: `Le ${refusal.summary}`, issues: refusal.issues } : { text: e instanceof SyntaxError ? 'Ce fichier JSON ne se lit pas.' : problemMessage(e), issues: [] });
    } finally {
      setBusy(false);
    }
  };

  if (draft.length === 0) return null;
  return (
    <section class="impact" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>Effet sur un catalogue</h4>
      <p>Choisissez un fichier de produits : l’aperçu liste ceux qui perdraient ou gagneraient la conformité avec cette version. Rien n’est enregistré.</p>
      <div class={`field${error ? ' field-invalid' : ''}`}>
        <label for={`${id}-file`}>Fichier de produits (Excel, CSV ou JSON)</label>
        <p class="hint" id={`${id}-hint`}>
          Le même format que sur la page Catalogues.
        </p>
        {error ? (
          <div class="field-error" id={`${id}-error`}>
            <p>{error.text}</p>
            <FileIssues issues={error.issues} />
          </div>
        ) : null}
        <input
          id={`${id}-file`}
          type="file"
          accept=".xlsx,.csv,.json"
          aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
          aria-invalid={error ? 'true' : undefined}
          onChange={(e) => {
            setError(undefined);
            setImpact(undefined);
            setFile((e.currentTarget as HTMLInputElement).files?.[0]);
          }}
        />
      </div>
      <button type="button" class="button-secondary" disabled={!file} aria-disabled={busy ? 'true' : undefined} onClick={() => void measure()}>
        {busy ? 'Calcul de l’effet…' : 'Mesurer l’effet sur ce catalogue'}
      </button>
      <p role="status" id={`${id}-status`}>
        {impact
          ? `${formatCount(impact.losing.length, 'produit perdrait', 'produits perdraient')} la conformité et ${formatCount(impact.gaining.length, 'la gagnerait', 'la gagneraient')} ; part conforme\u00a0: ${formatPercent(impact.before.shareConform)} avec la version ${props.version}, ${formatPercent(impact.after.shareConform)} avec la nouvelle. ${pinnedSummary(impact, props.version)}`
          : ''}
      </p>
      {impact ? (
        <>
          <Verdicts title="Perdraient la conformité" changes={impact.losing} />
          <Verdicts title="Gagneraient la conformité" changes={impact.gaining} />
          <Pinned id={id} work={impact} version={props.version} />
        </>
      ) : null}
    </section>
  );
}

function Verdicts(props: { title: string; changes: VerdictChange[] }) {
  if (props.changes.length === 0) return null;
  return (
    <div>
      <h5>
        {props.title} ({props.changes.length})
      </h5>
      <ul class="impact-list">
        {props.changes.slice(0, 100).map((change) => (
          <li key={change.reference}>
            <strong>{change.reference}</strong> — {change.brand} {change.model} ({change.supplier}) : {VERDICT_LABELS[change.before]} → {VERDICT_LABELS[change.after]}
            {change.reason ? `. ${change.reason.label} : ${change.reason.comparison}` : ''}
          </li>
        ))}
      </ul>
      {props.changes.length > 100 ? <p>{`Et ${props.changes.length - 100}\u00a0autres : la page Catalogues donne la liste complète.`}</p> : null}
    </div>
  );
}

/**
 * The stored work of every buyer that keeps the version being replaced: the tenders (object,
 * buyer, date), newest first, and the number of drafts, whose content is their owners' own.
 */
function Pinned(props: { id: string; work: PinnedWork; version: number }) {
  const { tenders, tendersTruncated, drafts } = props.work;
  return (
    <div class="impact-pinned">
      <h5 id={`${props.id}-tenders`}>{pinnedTendersHeading(props.work, props.version)}</h5>
      {tenders.length > 0 ? (
        <ul class="impact-list" aria-labelledby={`${props.id}-tenders`}>
          {tenders.map((t) => (
            <li key={t.id}>
              <strong>{t.title}</strong> — {t.buyer}, le {formatDate(t.createdAt)}
              {TENDER_STATUS_NOTES[t.status]}
            </li>
          ))}
        </ul>
      ) : null}
      {tendersTruncated ? <p>{`Seuls les ${tenders.length}\u00a0plus récents sont listés.`}</p> : null}
      <p>{pinnedDraftsLine(drafts)}</p>
      <p class="hint">{`Ces marchés et brouillons gardent la version ${props.version}\u00a0: la publication ne les modifie pas.`}</p>
    </div>
  );
}
