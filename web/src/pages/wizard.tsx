import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { allPages, listFrameworks, type Criterion, type Framework, type Offer, type ValidationResult } from '../api.ts';
import { useApp, useSession } from '../app-context.ts';
import { Verdicts } from '../components/findings.tsx';
import { ErrorSummary } from '../components/fields.tsx';
import { Alert, Loading, Page } from '../components/page.tsx';
import { loadDraft, newDraft, saveDraft, toRequest, type Draft } from '../draft.ts';
import { problemMessage } from '../messages.ts';
import { navigate } from '../router.ts';
import { fieldId, fieldOnScreen, settled, useLiveCheck } from '../validation.ts';
import { StepAward } from './wizard/step-award.tsx';
import { StepGeneral } from './wizard/step-general.tsx';
import { StepLots } from './wizard/step-lots.tsx';
import { StepSites } from './wizard/step-sites.tsx';
import { labelOfPath, stepOf, STEPS } from './wizard/paths.ts';
import { FileEstimate } from './wizard/estimate.tsx';
import { StepRequirements } from './wizard/step-requirements.tsx';
import { StepReview } from './wizard/step-review.tsx';
import type { StepProps, WizardCatalogue } from './wizard/types.ts';
import { formatCount } from '../format.ts';
import { loadServerRef, saveServerRef, type ServerDraftRef } from '../server-drafts.ts';
import { ServerDraftPanel } from './wizard/server-draft.tsx';

/** The buyer's wizard: six steps over one draft, checked live by the API, saved in this browser. */
export function WizardPage(props: { step: number }) {
  const { api } = useApp();
  const session = useSession();
  const step = Math.min(Math.max(1, props.step), STEPS.length);
  const [draft, setDraft] = useState<Draft>(() => loadDraft(session.subject) ?? newDraft());
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [attempted, setAttempted] = useState<Set<number>>(new Set());
  const [summary, setSummary] = useState<Array<{ id: string; label: string; message: string; path: string }>>([]);
  const [catalogue, setCatalogue] = useState<WizardCatalogue | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => saveDraft(session.subject, draft), [draft, session.subject]);
  // Which server draft (and version) the draft in this browser was opened from or last saved as.
  const [serverRef, setServerRef] = useState<ServerDraftRef | undefined>(() => loadServerRef(session.subject));
  const onServerSaved = (ref: ServerDraftRef | undefined) => {
    saveServerRef(session.subject, ref);
    setServerRef(ref);
  };

  // Frameworks and offers once; then the criteria of the chosen framework version.
  useEffect(() => {
    Promise.all([listFrameworks(api), api.request<{ items: Offer[] }>('GET', '/offers')]).then(
      ([frameworks, offers]) => {
        setCatalogue({ frameworks, offers: offers.body.items, framework: undefined, criteria: new Map() });
        const latest = frameworks[0];
        if (latest) setDraft((d) => (d.framework ? d : { ...d, framework: { id: latest.id, version: latest.version } }));
      },
      (error: unknown) => setLoadError(problemMessage(error)),
    );
  }, [api]);
  const frameworkKey = draft.framework ? `${draft.framework.id}@${draft.framework.version}` : '';
  useEffect(() => {
    if (!draft.framework || !catalogue) return;
    const { id, version } = draft.framework;
    let cancelled = false;
    Promise.all([
      api.request<Framework>('GET', `/frameworks/${encodeURIComponent(id)}?version=${version}`),
      allPages<Criterion>(api, `/criteria?framework=${encodeURIComponent(id)}&version=${version}`),
      // The offers as this version pins them: an editor may have changed one since.
      api.request<{ items: Offer[] }>('GET', `/offers?framework=${encodeURIComponent(id)}&version=${version}`),
    ]).then(
      ([framework, criteria, offers]) => {
        if (!cancelled) setCatalogue((c) => c && { ...c, framework: framework.body, criteria: new Map(criteria.map((x) => [x.id, x])), offers: offers.body.items });
      },
      (error: unknown) => !cancelled && setLoadError(problemMessage(error)),
    );
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [frameworkKey, catalogue === undefined, api]);

  const request = useMemo(() => (draft.framework ? toRequest(draft) : undefined), [draft]);
  const check = useLiveCheck(api, request);
  const last = settled(check);
  const fieldErrors = last?.state === 'invalid' ? last.fieldErrors : {};
  // The estimate and findings of the last complete draft stay on screen while the buyer types.
  const lastChecked = useRef<ValidationResult | undefined>(undefined);
  if (last?.state === 'checked') lastChecked.current = last.result;
  const validated = lastChecked.current ? { result: lastChecked.current, stale: last?.state !== 'checked' || check?.state === 'pending' } : undefined;
  const errorAt = (path: string) => (touched.has(path) || attempted.has(step) ? fieldErrors[path] : undefined);

  const stepProps: StepProps = {
    draft,
    catalogue: catalogue ?? { frameworks: [], offers: [], framework: undefined, criteria: new Map() },
    check,
    validated,
    update(change) {
      setDraft((d) => {
        const next = structuredClone(d);
        change(next);
        return next;
      });
    },
    error: errorAt,
    touch: (path) => setTouched((t) => (t.has(path) ? t : new Set(t).add(path))),
  };

  const go = (target: number) => {
    setSummary([]);
    navigate(`/cctp/${target}`);
  };
  // "Next" decides on the answer to the draft as it is now: while a check is on its way, it waits for it.
  const [wantNext, setWantNext] = useState(false);
  const decide = () => {
    const mine = Object.entries(fieldErrors).filter(([path]) => stepOf(path) === step);
    if (mine.length > 0) {
      setAttempted((a) => new Set(a).add(step));
      setSummary(mine.map(([path, message]) => ({ id: fieldOnScreen(path) ?? fieldId(path), label: labelOfPath(path), message, path })));
      requestAnimationFrame(() => summaryRef.current?.querySelector<HTMLElement>('.error-summary')?.focus());
      return;
    }
    go(step + 1);
  };
  const checking = request !== undefined && (check === undefined || check.state === 'pending');
  useEffect(() => {
    if (wantNext && !checking) {
      setWantNext(false);
      decide();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [wantNext, checking]);
  const next = () => (checking ? setWantNext(true) : decide());

  if (loadError) {
    return (
      <Page title="Nouveau CCTP">
        <Alert kind="error">{loadError}</Alert>
      </Page>
    );
  }
  if (!catalogue) return <Loading label="Chargement du référentiel…" />;

  const Step = [StepGeneral, StepSites, StepLots, StepRequirements, StepAward, StepReview][step - 1]!;
  return (
    <Page title={`Nouveau CCTP — ${STEPS[step - 1]!.title}`} wide>
      <nav aria-label="Étapes du CCTP" class="stepper">
        <ol>
          {STEPS.map((s, i) => (
            <li key={s.title} class={i + 1 === step ? 'current' : i + 1 < step ? 'done' : ''}>
              <a href={`#/cctp/${i + 1}`} aria-current={i + 1 === step ? 'step' : undefined}>
                <span class="step-number">{i + 1}</span> {s.title}
              </a>
            </li>
          ))}
        </ol>
      </nav>
      <div class="wizard">
        <div class="wizard-main">
          <div ref={summaryRef}>
            <ErrorSummary errors={summary.filter((s) => fieldErrors[s.path] !== undefined)} />
          </div>
          <Step {...stepProps} />
          {wantNext ? (
            <p id="next-wait" role="status" class="muted">
              Vérification de l’étape…
            </p>
          ) : null}
          <div class="wizard-nav">
            {step > 1 ? (
              <button type="button" class="button-secondary" onClick={() => go(step - 1)}>
                Étape précédente
              </button>
            ) : (
              <span />
            )}
            {step < STEPS.length ? (
              <button type="button" onClick={next} aria-describedby={wantNext ? 'next-wait' : undefined}>
                Étape suivante : {STEPS[step]!.title}
              </button>
            ) : null}
          </div>
          <ServerDraftPanel api={api} request={request} current={serverRef} onSaved={onServerSaved} />
          <DraftReset
            onReset={() => {
              onServerSaved(undefined);
              const fresh = newDraft();
              const latest = catalogue.frameworks[0];
              setDraft(latest ? { ...fresh, framework: { id: latest.id, version: latest.version } } : fresh);
              setTouched(new Set());
              setAttempted(new Set());
              go(1);
            }}
          />
        </div>
        <LivePanel check={check} validated={validated} />
      </div>
    </Page>
  );
}

function DraftReset(props: { onReset: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <p class="draft-note">
        Votre brouillon est enregistré dans ce navigateur à chaque modification.{' '}
        <button type="button" class="button-link" onClick={() => setAsking(true)}>
          Recommencer un brouillon vide
        </button>
      </p>
    );
  }
  return (
    <div class="draft-note" role="group" aria-label="Confirmer l’effacement du brouillon">
      <p>Effacer le brouillon en cours ? Cette action est définitive.</p>
      <button type="button" class="button-danger button-small" onClick={() => (setAsking(false), props.onReset())}>
        Effacer le brouillon
      </button>{' '}
      <button type="button" class="button-secondary button-small" onClick={() => setAsking(false)}>
        Garder le brouillon
      </button>
    </div>
  );
}

/** Always in view: conformity, the funding estimate and the count of findings as the API sees the draft right now. */
function LivePanel(props: Pick<StepProps, 'check' | 'validated'>) {
  const last = settled(props.check);
  const pending = props.check?.state === 'pending';
  let status: string;
  if (!last) status = 'Vérification en cours…';
  else if (last.state === 'invalid') status = `Demande incomplète : ${formatCount(Object.keys(last.fieldErrors).length, 'champ', 'champs')} à compléter ou corriger.`;
  else if (last.state === 'failed') status = last.message;
  else {
    const errors = last.result.findings.filter((f) => f.severity === 'error').length;
    const warnings = last.result.findings.filter((f) => f.severity === 'warning').length;
    status = `${formatCount(errors, 'erreur bloquante', 'erreurs bloquantes')}, ${formatCount(warnings, 'avertissement', 'avertissements')}.`;
  }
  return (
    <aside class="live-panel" aria-labelledby="live-title">
      <h2 id="live-title">Contrôle en direct</h2>
      <p role="status" class={pending ? 'live-status pending' : 'live-status'} aria-busy={pending ? 'true' : 'false'}>
        {status}
      </p>
      {last?.state === 'checked' ? <Verdicts conformity={last.result.conformity} funding={last.result.funding} headingLevel={3} /> : null}
      <FileEstimate validated={props.validated} />
      <p class="muted small">Le détail des constats figure à l’étape « Vérification et génération ».</p>
    </aside>
  );
}
