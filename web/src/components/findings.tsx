import { AUTHORITY_LABELS } from '../../../src/core/documents/labels.ts';
import type { Finding, ValidationResult } from '../api.ts';
import { formatMoney, formatPercent } from '../format.ts';

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

/** Co-funding verdict and estimate, with the reasons when eligibility is lost. */
export function Eligibility(props: { eligibility: ValidationResult['eligibility']; headingLevel?: 2 | 3 }) {
  const e = props.eligibility;
  const H = props.headingLevel === 2 ? 'h2' : 'h3';
  const lost = e.reasons.filter((r) => r.status === 'loosened' || r.status === 'downgraded' || r.status === 'excluded');
  return (
    <div class={`eligibility ${e.eligible ? 'eligible' : 'not-eligible'}`}>
      <H>{e.eligible ? 'Éligible au cofinancement' : 'Non éligible au cofinancement'}</H>
      <p class="programme">{e.programme}</p>
      {e.eligible ? (
        <p>
          Aide estimée : <strong class="subsidy">{formatMoney(e.totalSubsidy)}</strong>
          <span class="muted">
            {' '}
            ({formatPercent(e.rate * 100)} du coût HT des équipements éligibles, au plus {formatMoney(e.capPerDevice)} par appareil)
          </span>
        </p>
      ) : null}
      {e.eligible && e.lots.some((l) => !l.priced && l.devices > 0) ? <p class="muted">Renseignez les prix unitaires estimés pour affiner l’estimation.</p> : null}
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
  );
}

export function authorityLabel(type: keyof typeof AUTHORITY_LABELS): string {
  return AUTHORITY_LABELS[type];
}
