import type { Estimate, ValidationResult } from '../../api.ts';
import { formatMoney, frenchSpacing } from '../../format.ts';
import type { StepProps } from './types.ts';

const ht = (n: number) => `${formatMoney(n)} HT`;

/** The staleness note: the estimate shown is the last one the API computed, before the change being typed. */
function Stale(props: { stale: boolean }) {
  return props.stale ? <span class="muted"> (dernière estimation calculée : complétez les champs signalés pour la mettre à jour)</span> : null;
}

/** One lot's estimate as the threshold rules count it: buyer only, never in bidder documents. */
export function LotEstimate({ validated, index }: Pick<StepProps, 'validated'> & { index: number }) {
  const lot = validated?.result.estimate?.lots.find((l) => l.lot === index + 1);
  return (
    <div class="estimate" role="status" aria-live="polite" id={`estimate-lot-${index + 1}`}>
      <p class="alert-title">Estimation du lot {index + 1} (pour vous seul, jamais publiée)</p>
      {lot ? (
        <p>
          {frenchSpacing(lotSentence(lot))}
          <Stale stale={validated!.stale} />
        </p>
      ) : (
        <p class="muted">Elle s’affiche quand les lignes du lot ont leurs quantités.</p>
      )}
    </div>
  );
}

function lotSentence(lot: Estimate['lots'][number]): string {
  const parts = [`tranche ferme ${ht(lot.firm)}`];
  if (lot.tranches > 0) parts.push(`tranches optionnelles ${ht(lot.tranches)}`);
  if (lot.options > 0) parts.push(`options ${ht(lot.options)}`);
  const period = `Par période : ${ht(lot.perPeriod)}${parts.length > 1 ? ` (${parts.join(', ')})` : ''}`;
  const whole =
    lot.basis === 'lot-maximum'
      ? `valeur retenue pour les seuils : le maximum du lot, ${ht(lot.value)}, soit ${formatMoney(lot.valueTtc)} TTC`
      : `${lot.renewalFactor > 1 ? 'sur toute la durée, reconductions comprises' : 'au total'} : ${ht(lot.value)}, soit ${formatMoney(lot.valueTtc)} TTC`;
  return `${period} ; ${whole}.${lot.complete ? '' : ' Estimation incomplète : des lignes n’ont pas de prix estimé.'}`;
}

/** The whole file's estimate and the threshold tier the API places it in. */
export function FileEstimate({ validated, heading: H = 'h3' }: Pick<StepProps, 'validated'> & { heading?: 'h2' | 'h3' }) {
  const estimate = validated?.result.estimate;
  const tier = validated?.result.findings.find((f) => f.code === 'PROCEDURE_TIER');
  return (
    <div class="estimate" id="estimate-total">
      <H>Estimation (pour vous seul)</H>
      {estimate ? (
        <>
          <p>
            {frenchSpacing('Total :')} <strong>{ht(estimate.total)}</strong>, soit {formatMoney(estimate.totalTtc)} TTC
            {estimate.basis === 'framework-maximum' ? ' (le maximum de l’accord-cadre)' : estimate.lots.length > 1 ? ', tous lots confondus' : ''}
            {estimate.renewals > 0 ? ', reconductions comprises' : ''}
            {estimate.complete ? '.' : ' au moins : des prix manquent.'}
            <Stale stale={validated!.stale} />
          </p>
          {tier ? (
            <p class="tier">
              {frenchSpacing('Seuil :')} <strong>{frenchSpacing(tier.message)}</strong> <span class="finding-ref">({tier.reference})</span>
            </p>
          ) : null}
        </>
      ) : (
        <p class="muted">Elle s’affiche quand la demande est complète.</p>
      )}
    </div>
  );
}


