import { AUTHORITY_LABELS } from '../../../src/core/documents/labels.ts';
import type { Finding, ValidationResult } from '../api.ts';
import { formatDate, formatMoney } from '../format.ts';

const SEVERITY: Record<Finding['severity'], { title: string; class: string }> = {
  error: { title: 'Erreurs bloquantes', class: 'error' },
  warning: { title: 'Avertissements', class: 'warning' },
  info: { title: 'Informations', class: 'info' },
};

/** The rules' findings: errors block generation, warnings explain, each with its legal reference. */
export function FindingsList(props: { findings: readonly Finding[]; headingLevel?: 2 | 3 }) {
  const H = props.headingLevel === 2 ? 'h2' : 'h3';
  if (props.findings.length === 0) return <p class="ok-text">Aucun constat : la demande respecte les règles contrôlées.</p>;
  return (
    <div class="findings">
      {(['error', 'warning', 'info'] as const).map((severity) => {
        const list = props.findings.filter((f) => f.severity === severity);
        if (list.length === 0) return null;
        return (
          <section key={severity} class={`findings-group findings-${SEVERITY[severity].class}`}>
            <H>
              {SEVERITY[severity].title} ({list.length})
            </H>
            <ul>
              {list.map((f, i) => (
                <li key={`${f.code}-${i}`}>
                  <p>
                    {f.lot ? <span class="finding-lot">Lot {f.lot} — </span> : null}
                    {f.message}
                  </p>
                  <p class="finding-ref">Référence : {f.reference}</p>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

/**
 * Two separate answers: conformity to the framework (« conforme au référentiel »), and the
 * buyer-internal co-funding estimate under the programmes open on the consultation date, each step
 * shown. Either may be absent in a report made before it existed.
 */
export function Verdicts(props: { conformity?: ValidationResult['conformity'] | undefined; funding?: ValidationResult['funding'] | undefined; headingLevel?: 2 | 3 }) {
  const H = props.headingLevel === 2 ? 'h2' : 'h3';
  const c = props.conformity;
  const lost = c ? c.reasons.filter((r) => r.status === 'loosened' || r.status === 'downgraded' || r.status === 'excluded') : [];
  return (
    <>
      {c ? (
        <div class={`eligibility ${c.conforming ? 'eligible' : 'not-eligible'}`}>
          <H>{c.conforming ? 'Conforme au référentiel' : 'Non conforme au référentiel'}</H>
          <p class="programme">{c.framework}</p>
          {lost.length > 0 ? (
            <ul class="reasons">
              {lost.map((r) => (
                <li key={`${r.lot}-${r.criterionId}`}>
                  Lot {r.lot} — {r.label} : {r.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {props.funding ? <Funding funding={props.funding} H={H} /> : null}
    </>
  );
}

function Funding(props: { funding: ValidationResult['funding']; H: 'h2' | 'h3' }) {
  const { funding, H } = props;
  return (
    <div class="funding">
      <H>Cofinancement (estimation interne)</H>
      {funding.estimates.length === 0 ? <p class="funding-statement">{funding.statement}</p> : null}
      {funding.estimates.map((e) => (
        <div key={e.programme} class="funding-estimate">
          <p class="programme">{e.name}</p>
          <p>
            Aide estimée : <strong class="subsidy">{formatMoney(e.total)}</strong> <span class="muted">({e.rateExplanation})</span>
          </p>
          <details>
            <summary>Détail du calcul</summary>
            <ul>
              {e.lines.map((l) => (
                <li key={`${l.lot}-${l.category}`}>
                  Lot {l.lot}, {l.categoryLabel} : {l.steps.join(' ')}
                </li>
              ))}
            </ul>
          </details>
          <ul class="muted small caveats">
            {e.caveats.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        </div>
      ))}
      <details>
        <summary>Programmes examinés au {formatDate(funding.date)}</summary>
        <ul>
          {funding.programmes.map((p) => (
            <li key={p.id}>
              {p.name} : {p.reason}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

export function authorityLabel(type: keyof typeof AUTHORITY_LABELS): string {
  return AUTHORITY_LABELS[type];
}
