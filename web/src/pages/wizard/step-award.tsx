import { NumberField, SelectField, TextArea, TextField } from '../../components/fields.tsx';
import { Alert } from '../../components/page.tsx';
import { LAW_RECORDS } from '../../../../src/core/law/records.ts';
import { formatDate, formatPercent } from '../../format.ts';
import { AWARD_THEME_LABELS, AWARD_TYPE_LABELS, options } from '../../labels.ts';
import { fieldId, settled } from '../../validation.ts';
import type { StepProps } from './types.ts';

/**
 * The law record of the environmental award criterion (src/core/law): consultations launched from
 * its date need one. Read from the records (data only, no validation code in the bundle), never
 * written here.
 */
const ENVIRONMENTAL = LAW_RECORDS.find((r) => r.id === 'award.environmental-criterion' && r.until === null)!;
const ENVIRONMENTAL_FROM = ENVIRONMENTAL.from;

/** A criterion's sub-criteria (R2152-12: their weights are published too and add up to the criterion's). */
function SubCriteria({ index, draft, update, error }: Pick<StepProps, 'draft' | 'update' | 'error'> & { index: number }) {
  const award = draft.award[index]!;
  const sum = award.subCriteria.reduce((s, c) => s + (c.weight ?? 0), 0);
  const p = (rest: string) => `awardCriteria.${index}.subCriteria.${rest}`;
  return (
    <div class="subcriteria">
      {award.subCriteria.length > 0 ? (
        <fieldset>
          <legend class="legend-small">Sous-critères du critère {index + 1}</legend>
          {award.subCriteria.map((sub, j) => (
            <div class="row line" key={j}>
              <TextField
                id={fieldId(p(`${j}.name`))}
                label={`Sous-critère ${j + 1}`}
                required
                maxLength={200}
                value={sub.name}
                error={error(p(`${j}.name`))}
                onInput={(v) => update((d) => (d.award[index]!.subCriteria[j]!.name = v))}
              />
              <NumberField
                id={fieldId(p(`${j}.weight`))}
                label={`Pondération du sous-critère ${j + 1}`}
                suffix="%"
                min={0}
                max={100}
                class="narrow"
                value={sub.weight}
                error={error(p(`${j}.weight`))}
                onChange={(v) => update((d) => (d.award[index]!.subCriteria[j]!.weight = v))}
              />
              <button type="button" class="button-secondary button-small" onClick={() => update((d) => d.award[index]!.subCriteria.splice(j, 1))}>
                Retirer le sous-critère {j + 1}
              </button>
            </div>
          ))}
          <p class={Math.abs(sum - (award.weight ?? 0)) < 1e-9 ? 'ok-text' : 'field-error'}>
            Sous-critères : {formatPercent(sum)} pour un critère de {formatPercent(award.weight ?? 0)}.
          </p>
        </fieldset>
      ) : null}
      <button type="button" class="button-link" onClick={() => update((d) => d.award[index]!.subCriteria.push({ name: '', weight: undefined }))}>
        Ajouter un sous-critère au critère {index + 1}
      </button>
    </div>
  );
}

/** Step 4: award criteria and their weights, with the running total and the environmental reminder. */
export function StepAward({ draft, update, error, check }: StepProps) {
  const total = draft.award.reduce((sum, a) => sum + (a.weight ?? 0), 0);
  const environmental = draft.award.some((a) => a.theme === 'environmental' || a.subCriteria.some((s) => s.theme === 'environmental'));
  const mandatory = draft.consultationDate >= ENVIRONMENTAL_FROM;
  const last = settled(check);
  const findings = last?.state === 'checked' ? last.result.findings.filter((f) => f.code.startsWith('AWARD_') || f.code.startsWith('VARIANTS_')) : [];
  return (
    <>
      <p class="lead">Les critères d’attribution et leur pondération figurent dans le règlement de la consultation ; leur total doit faire 100 %.</p>
      {draft.award.map((a, i) => {
        const p = (rest: string) => `awardCriteria.${i}.${rest}`;
        return (
          <fieldset key={i} class="card award">
            <legend>Critère {i + 1}</legend>
            <div class="row">
              <TextField id={fieldId(p('name'))} label={`Nom du critère ${i + 1}`} required maxLength={200} value={a.name} error={error(p('name'))} onInput={(v) => update((d) => (d.award[i]!.name = v))} />
              <NumberField
                id={fieldId(p('weight'))}
                label={`Pondération du critère ${i + 1}`}
                suffix="%"
                min={0}
                max={100}
                required
                class="narrow"
                value={a.weight}
                error={error(p('weight'))}
                onChange={(v) => update((d) => (d.award[i]!.weight = v))}
              />
            </div>
            <div class="row">
              <SelectField id={fieldId(p('type'))} label={`Type du critère ${i + 1}`} value={a.type} options={options(AWARD_TYPE_LABELS)} onChange={(v) => update((d) => (d.award[i]!.type = v))} />
              <SelectField id={fieldId(p('theme'))} label={`Thème du critère ${i + 1}`} value={a.theme} options={options(AWARD_THEME_LABELS)} onChange={(v) => update((d) => (d.award[i]!.theme = v))} />
            </div>
            <SubCriteria index={i} {...{ draft, update, error }} />
            <button type="button" class="button-secondary button-small" onClick={() => update((d) => d.award.splice(i, 1))}>
              Supprimer le critère {i + 1}
            </button>
          </fieldset>
        );
      })}
      <p class="actions">
        <button type="button" class="button-secondary" onClick={() => update((d) => d.award.push({ name: '', type: 'quality', theme: 'technical', weight: undefined, subCriteria: [] }))}>
          Ajouter un critère
        </button>
        {!environmental ? (
          <button
            type="button"
            class="button-secondary"
            onClick={() =>
              update((d) =>
                d.award.push({
                  name: 'Performance environnementale (durabilité, réparabilité, reprise en fin de vie)',
                  type: 'quality',
                  theme: 'environmental',
                  weight: undefined,
                  subCriteria: [],
                }),
              )
            }
          >
            Ajouter un critère environnemental
          </button>
        ) : null}
      </p>
      <p role="status" class={`weights-total ${Math.abs(total - 100) < 1e-9 ? 'total-ok' : 'total-ko'}`}>
        Total des pondérations : <strong>{formatPercent(total)}</strong>
        {Math.abs(total - 100) < 1e-9 ? ' — correct.' : total < 100 ? ` — il manque ${formatPercent(100 - total)}.` : ` — ${formatPercent(total - 100)} de trop.`}
      </p>
      {!environmental ? (
        <Alert kind={mandatory ? 'warning' : 'info'} title="Critère environnemental">
          {mandatory
            ? `Pour une consultation lancée à partir du ${formatDate(ENVIRONMENTAL_FROM)}, un critère d’attribution prenant en compte les caractéristiques environnementales, pondéré au-dessus de 0 %, est obligatoire (${ENVIRONMENTAL.reference.citation}).`
            : `À partir du ${formatDate(ENVIRONMENTAL_FROM)}, un critère environnemental sera obligatoire : pensez à en prévoir un.`}
        </Alert>
      ) : null}
      {findings.length > 0 ? (
        <Alert kind={findings.some((f) => f.severity === 'error') ? 'error' : 'warning'} title="Constats sur les critères">
          <ul>
            {findings.map((f) => (
              <li key={f.code}>
                {f.message} <span class="finding-ref">({f.reference})</span>
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <fieldset>
        <legend>Variantes</legend>
        <div class="checkbox">
          <input id={fieldId('variants.allowed')} type="checkbox" checked={draft.variants.allowed} onChange={(e) => update((d) => (d.variants.allowed = (e.currentTarget as HTMLInputElement).checked))} />
          <label for={fieldId('variants.allowed')}>Les variantes sont autorisées</label>
        </div>
        {draft.variants.allowed ? (
          <TextArea
            id={fieldId('variants.minimumRequirements')}
            label="Exigences minimales des variantes"
            hint="Article R2151-8 : elles doivent être indiquées."
            rows={3}
            value={draft.variants.minimumRequirements}
            error={error('variants.minimumRequirements')}
            onInput={(v) => update((d) => (d.variants.minimumRequirements = v))}
          />
        ) : null}
      </fieldset>
    </>
  );
}
