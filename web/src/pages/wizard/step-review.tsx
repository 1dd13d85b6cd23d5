import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, type RenderingFailureCause, type TenderCreated, type TenderView } from '../../api.ts';
import { useApp } from '../../app-context.ts';
import { itemLabel, lotQuantities } from '../../catalogue.ts';
import { DceBordereau } from '../../components/dce.tsx';
import { DocumentLinks } from '../../components/documents.tsx';
import { FindingsList, Verdicts } from '../../components/findings.tsx';
import { Alert } from '../../components/page.tsx';
import { EXTRA_FORMATS, formatsOf, idempotencyKeyOf, toRequest, type ExtraFormat } from '../../draft.ts';
import { formatCount, formatDate, formatInteger, formatMoney, formatPercent, frenchSpacing } from '../../format.ts';
import { BUYER_TYPE_LABELS, PROCEDURE_SHORT_LABELS, TIE_BREAK_CHOICES } from '../../labels.ts';
import { problemMessage, renderingFailureMessage } from '../../messages.ts';
import { navigate } from '../../router.ts';
import { fieldErrorsOf, focusField, settled } from '../../validation.ts';
import { FileEstimate } from './estimate.tsx';
import { labelOfPath, stepOf } from './paths.ts';
import type { StepProps } from './types.ts';

/** Step 5: every finding, the co-funding estimate, then generation and download. */
export function StepReview({ draft, catalogue, check, validated }: StepProps) {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<TenderCreated | undefined>();
  const [extras, setExtras] = useState<ReadonlySet<ExtraFormat>>(new Set());
  const [failure, setFailure] = useState<{ message: string; findings?: NonNullable<TenderCreated['report']>['findings']; fields?: Record<string, string> } | undefined>();
  const [preparing, setPreparing] = useState<string | undefined>();
  const last = settled(check);
  const pending = check?.state === 'pending';
  const blocking = last?.state !== 'checked' || last.result.blocking;

  const generate = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const request = toRequest(draft);
      const formats = formatsOf(extras);
      const path = formats.length > 1 ? `/tenders?formats=${formats.join(',')}` : '/tenders';
      const post = async () => (await api.request<TenderCreated>('POST', path, { body: request, headers: { 'idempotency-key': await idempotencyKeyOf(request, formats) } })).body;
      let body = await post();
      if (body.rendering?.status === 'pending') {
        // Word and Excel files are produced by another function after the answer: wait for the
        // tender to say they are ready, then replay the request (same key: nothing is generated
        // again) for the download links.
        setPreparing(body.id);
        const status = await waitForRendering(body.rendering.statusHref);
        if (status.status === 'ready') body = await post();
        else {
          setFailure({
            message:
              status.status === 'failed'
                ? frenchSpacing(renderingFailureMessage(status.cause))
                : frenchSpacing('Les documents sont encore en préparation : retrouvez-les dans quelques instants dans « Mes consultations ».'),
          });
          return;
        }
      }
      setResult(body);
      requestAnimationFrame(() => document.getElementById('generated')?.focus());
    } catch (error) {
      setFailure({
        message: problemMessage(error),
        ...(error instanceof ApiError && error.problem.findings ? { findings: error.problem.findings } : {}),
        ...(error instanceof ApiError && error.problem.errors ? { fields: fieldErrorsOf(error.problem.errors) } : {}),
      });
    } finally {
      setBusy(false);
      setPreparing(undefined);
    }
  };

  /** Reads the tender every 1.5 s until its rendering is over, for at most two minutes. */
  const waitForRendering = async (href: string): Promise<{ status: 'ready' | 'failed' | 'pending'; cause?: RenderingFailureCause }> => {
    for (let i = 0; i < 80; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const { body } = await api.request<TenderView>('GET', href);
      if (body.rendering && body.rendering.status !== 'pending') return { status: body.rendering.status, ...(body.rendering.cause ? { cause: body.rendering.cause } : {}) };
    }
    return { status: 'pending' };
  };

  return (
    <>
      <section class="card" aria-labelledby="recap">
        <h2 id="recap">Récapitulatif</h2>
        <dl class="summary">
          <dt>Acheteur</dt>
          <dd>
            {draft.buyer.name || '—'} ({BUYER_TYPE_LABELS[draft.buyer.type]})
          </dd>
          <dt>Objet</dt>
          <dd>{draft.title || '—'}</dd>
          <dt>Référentiel</dt>
          <dd>{catalogue.framework ? `${catalogue.framework.title}, version ${catalogue.framework.version}` : '—'}</dd>
          <dt>Procédure</dt>
          <dd>
            {PROCEDURE_SHORT_LABELS[draft.procedure]}, lancement le {draft.consultationDate ? formatDate(draft.consultationDate) : '—'}
          </dd>
          <dt>Établissements</dt>
          <dd>{draft.sites.length === 0 ? 'aucun' : formatCount(draft.sites.length, 'établissement', 'établissements')}</dd>
          {draft.lots.map((lot, i) => (
            <Fragment key={i}>
              <dt>Lot {i + 1}</dt>
              <dd>
                {lot.title || '—'} :{' '}
                {lotQuantities(lot, draft.sites, catalogue.offers)
                  .lines.map((l) => `${formatInteger(l.quantity)} × ${l.line !== undefined && lot.lines[l.line]!.designation.trim() ? lot.lines[l.line]!.designation.trim() : itemLabel(l.itemId)}`)
                  .join(', ') || 'aucune ligne'}
                {lot.options.length > 0 ? ` ; ${formatCount(lot.options.length, 'option', 'options')}` : ''}
                {lot.visit.kind === 'mandatory' ? ' ; visite obligatoire' : lot.visit.kind === 'optional' ? ' ; visite facultative' : ''}
                {' ; critères : '}
                {lot.award.map((a) => `${a.name || '—'} ${a.weight !== undefined ? formatPercent(a.weight) : '?'}${a.priceScoring === 'linear' && a.type !== 'quality' ? ' (notation linéaire)' : ''}`).join(', ')}
                {lot.tieBreak && lot.tieBreak !== 'none' ? frenchSpacing(` ; en cas d’égalité : ${TIE_BREAK_CHOICES.find((c) => c.value === lot.tieBreak)!.label.toLowerCase()}`) : ''}
                {Object.keys(lot.overrides).length > 0 ? ` ; ${formatCount(Object.keys(lot.overrides).length, 'exigence modifiée', 'exigences modifiées')}` : ''}
                {lot.custom.length > 0 ? ` ; ${formatCount(lot.custom.length, 'exigence ajoutée', 'exigences ajoutées')}` : ''}
              </dd>
            </Fragment>
          ))}
        </dl>
      </section>

      <section class="card estimate-card" aria-labelledby="estimation">
        <h2 id="estimation">Estimation et seuils</h2>
        <p class="hint">Pour vous seul&nbsp;: ces montants figurent dans la note interne, jamais dans les pièces remises aux candidats.</p>
        <FileEstimate validated={validated} heading="h3" />
        {validated?.result.estimate ? (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Estimation par lot</caption>
              <thead>
                <tr>
                  <th scope="col">Lot</th>
                  <th scope="col">Par période (€ HT)</th>
                  <th scope="col">Valeur (€ HT)</th>
                  <th scope="col">Valeur (€ TTC)</th>
                </tr>
              </thead>
              <tbody>
                {validated.result.estimate.lots.map((l) => (
                  <tr key={l.lot}>
                    <th scope="row">
                      Lot {l.lot}
                      {draft.lots[l.lot - 1]?.title ? ` : ${draft.lots[l.lot - 1]!.title}` : ''}
                    </th>
                    <td>{formatMoney(l.perPeriod)}</td>
                    <td>
                      {formatMoney(l.value)}
                      {l.basis === 'lot-maximum' ? ' (maximum du lot)' : ''}
                    </td>
                    <td>{formatMoney(l.valueTtc)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>

      <section class="card" aria-labelledby="constats">
        <h2 id="constats">Constats</h2>
        {!last ? <p role="status">Vérification en cours…</p> : null}
        {last?.state === 'invalid' ? (
          <Alert kind="error" title="Demande incomplète">
            <p>Complétez les champs signalés aux étapes précédentes :</p>
            <FieldErrorLinks errors={last.fieldErrors} />
          </Alert>
        ) : null}
        {last?.state === 'failed' ? <Alert kind="error">{last.message}</Alert> : null}
        {last?.state === 'checked' ? (
          <>
            <FindingsList findings={last.result.findings} />
            <Verdicts conformity={last.result.conformity} funding={last.result.funding} />
          </>
        ) : null}
      </section>

      <section class="card" aria-labelledby="generation">
        <h2 id="generation">Génération</h2>
        {blocking && last?.state === 'checked' ? <p>Corrigez les erreurs bloquantes pour pouvoir générer le CCTP.</p> : null}
        <fieldset class="formats checkbox-grid">
          <legend>Documents à produire</legend>
          <label class="checkbox">
            <input type="checkbox" checked disabled /> CCTP (PDF), toujours produit
          </label>
          {EXTRA_FORMATS.map(({ name: format, label }) => (
            <label key={format} class="checkbox">
              <input
                type="checkbox"
                name="formats"
                value={format}
                checked={extras.has(format)}
                disabled={busy}
                onChange={(e) => {
                  const next = new Set(extras);
                  if ((e.currentTarget as HTMLInputElement).checked) next.add(format);
                  else next.delete(format);
                  setExtras(next);
                }}
              />{' '}
              {label}
            </label>
          ))}
        </fieldset>
        <button type="button" class="button-primary" onClick={generate} disabled={busy || pending || blocking} aria-describedby="generation-hint">
          {busy ? 'Génération en cours…' : 'Générer le CCTP'}
        </button>
        <p id="generation-hint" class="hint">
          Le CCTP est produit à partir de la version {draft.framework?.version ?? '—'} du référentiel ; le même contenu redonne le même document.
        </p>
        {failure ? (
          <Alert kind="error" title="La génération a échoué">
            <p>{failure.message}</p>
            {failure.findings ? <FindingsList findings={failure.findings} /> : null}
            {failure.fields ? <FieldErrorLinks errors={failure.fields} /> : null}
          </Alert>
        ) : null}
        {preparing ? (
          <p role="status" class="hint">
            {frenchSpacing('Les fichiers Word et Excel sont en préparation ; le lien de chaque document apparaîtra ici dès qu’ils seront prêts.')}
          </p>
        ) : null}
        {result ? (
          <div class="alert alert-success generated" id="generated" tabIndex={-1}>
            <p class="alert-title">{result.documents.length > 2 ? 'Documents générés' : 'CCTP généré'}</p>
            <DocumentLinks documents={result.documents} />
            <p class="muted small">Liens valables jusqu’à {new Date(result.documents[0]?.expiresAt ?? Date.now()).toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit' })} ; ensuite, retrouvez le document dans « Mes consultations ».</p>
            {result.report ? <Verdicts conformity={result.report.conformity} funding={result.report.funding} /> : null}
            {result.documents.some((d) => d.name === 'dce.zip') ? <DceBordereau tenderId={result.id} autoLoad /> : null}
            <p>
              <a href={`#/appels/${encodeURIComponent(result.id)}`}>Voir cette consultation dans « Mes consultations »</a>
            </p>
          </div>
        ) : null}
      </section>
    </>
  );
}

/** The API's field errors, each a link to the step and the field it names, which takes the focus. */
function FieldErrorLinks(props: { errors: Record<string, string> }) {
  return (
    <ul>
      {Object.entries(props.errors).map(([path, message]) => (
        <li key={path}>
          <a
            href={`#/cctp/${stepOf(path) || 1}`}
            onClick={(event) => {
              event.preventDefault();
              navigate(`/cctp/${stepOf(path) || 1}`);
              requestAnimationFrame(() => requestAnimationFrame(() => focusField(path)));
            }}
          >
            {frenchSpacing(`${labelOfPath(path)} : ${message}`)}
          </a>
        </li>
      ))}
    </ul>
  );
}
