import { Checkbox, NumberField, RadioGroup, SelectField, TextArea, TextField } from '../../components/fields.tsx';
import { focusSoon } from '../../components/line-editor.tsx';
import { copyFirstLotAward, type DraftAward } from '../../draft.ts';
import { Alert } from '../../components/page.tsx';
import { LAW_RECORDS } from '../../../../src/core/law/records.ts';
import { formatDate, formatPercent, frenchSpacing } from '../../format.ts';
import { AWARD_THEME_LABELS, AWARD_TYPE_LABELS, TIE_BREAK_CHOICES, options, priceScoringChoices } from '../../labels.ts';
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
function SubCriteria({ lot, index, draft, update, error }: Pick<StepProps, 'draft' | 'update' | 'error'> & { lot: number; index: number }) {
  const award = draft.lots[lot]!.award[index]!;
  const sum = award.subCriteria.reduce((s, c) => s + (c.weight ?? 0), 0);
  const p = (rest: string) => `lots.${lot}.awardCriteria.${index}.subCriteria.${rest}`;
  const name = `critère ${index + 1} du lot ${lot + 1}`;
  return (
    <div class="subcriteria">
      {award.subCriteria.length > 0 ? (
        <fieldset>
          <legend class="legend-small">Sous-critères du {name}</legend>
          {award.subCriteria.map((sub, j) => (
            <div class="row line" key={j}>
              <TextField
                id={fieldId(p(`${j}.name`))}
                label={`Sous-critère ${j + 1} du ${name}`}
                required
                maxLength={200}
                value={sub.name}
                error={error(p(`${j}.name`))}
                onInput={(v) => update((d) => (d.lots[lot]!.award[index]!.subCriteria[j]!.name = v))}
              />
              <NumberField
                id={fieldId(p(`${j}.weight`))}
                label={`Pondération du sous-critère ${j + 1} du ${name}`}
                suffix="%"
                min={0}
                max={100}
                class="narrow"
                value={sub.weight}
                error={error(p(`${j}.weight`))}
                onChange={(v) => update((d) => (d.lots[lot]!.award[index]!.subCriteria[j]!.weight = v))}
              />
              <button
                type="button"
                class="button-secondary button-small"
                onClick={() => {
                  update((d) => d.lots[lot]!.award[index]!.subCriteria.splice(j, 1));
                  focusSoon(fieldId(p('add')));
                }}
              >
                Retirer le sous-critère {j + 1}<span class="visually-hidden"> du {name}</span>
              </button>
            </div>
          ))}
          <p class={Math.abs(sum - (award.weight ?? 0)) < 1e-9 ? 'ok-text' : 'field-error'} role="status">
            {frenchSpacing('Sous-critères :')} {formatPercent(sum)} pour un critère de {formatPercent(award.weight ?? 0)}
            {weightGap(sum, award.weight ?? 0)}
          </p>
        </fieldset>
      ) : null}
      <button
        type="button"
        class="button-link"
        id={fieldId(p('add'))}
        onClick={() => {
          update((d) => d.lots[lot]!.award[index]!.subCriteria.push({ name: '', weight: undefined }));
          focusSoon(fieldId(p(`${award.subCriteria.length}.name`)));
        }}
      >
        Ajouter un sous-critère au {name}
      </button>
    </div>
  );
}

/** « — correct. », « — il manque 15 %. », « — 5 % de trop. »: how far a sum is from its target. */
function weightGap(sum: number, target: number): string {
  if (Math.abs(sum - target) < 1e-9) return '\u00a0— correct.';
  return sum < target ? `\u00a0— il manque ${formatPercent(target - sum)}.` : `\u00a0— ${formatPercent(sum - target)} de trop.`;
}

/** Step 5: each lot's award criteria and sub-criteria with their live totals, the environmental reminder, and the lot's variants. */
export function StepAward(props: StepProps) {
  const { draft, check } = props;
  const last = settled(check);
  const findings = last?.state === 'checked' ? last.result.findings.filter((f) => f.code.startsWith('AWARD_') || f.code.startsWith('VARIANTS_')) : [];
  return (
    <>
      <p class="lead">
        Chaque lot a ses critères d’attribution, publiés au règlement de la consultation avec leur pondération : leur total fait 100 % dans chaque lot, et les sous-critères d’un critère font
        ensemble sa pondération.
      </p>
      {findings.length > 0 ? (
        <Alert kind={findings.some((f) => f.severity === 'error') ? 'error' : 'warning'} title="Constats sur les critères">
          <ul>
            {findings.map((f, i) => (
              <li key={`${f.code}-${i}`}>
                {f.lot ? `Lot ${f.lot} — ` : ''}
                {f.message} <span class="finding-ref">({f.reference})</span>
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {draft.lots.map((lot, l) => (
        <LotAward key={l} {...props} lot={l} />
      ))}
    </>
  );
}

function LotAward({ draft, update, error, lot: l }: StepProps & { lot: number }) {
  const lot = draft.lots[l]!;
  const total = lot.award.reduce((sum, a) => sum + (a.weight ?? 0), 0);
  const environmental = lot.award.some((a) => a.theme === 'environmental' || a.subCriteria.some((s) => s.theme === 'environmental'));
  const mandatory = draft.consultationDate >= ENVIRONMENTAL_FROM;
  const add = (criterion: DraftAward) => {
    update((d) => d.lots[l]!.award.push(criterion));
    focusSoon(fieldId(`lots.${l}.awardCriteria.${lot.award.length}.name`));
  };
  return (
    <section class="card" aria-labelledby={`award-lot-${l}`}>
      <h2 id={`award-lot-${l}`}>
        Lot {l + 1}
        {lot.title.trim() ? ` : ${lot.title.trim()}` : ''}
      </h2>
      {l > 0 ? (
        <p>
          <button
            type="button"
            class="button-secondary button-small"
            onClick={() => {
              update((d) => copyFirstLotAward(d, l));
              focusSoon(fieldId(`lots.${l}.awardCriteria.0.name`));
            }}
          >
            Reprendre les critères du lot 1<span class="visually-hidden"> pour le lot {l + 1}</span>
          </button>
        </p>
      ) : null}
      {lot.award.map((a, i) => {
        const p = (rest: string) => `lots.${l}.awardCriteria.${i}.${rest}`;
        const name = `critère ${i + 1} du lot ${l + 1}`;
        return (
          <fieldset key={i} class="card award">
            <legend>
              Critère {i + 1}
              {a.name.trim() ? ` : ${a.name.trim()}` : ''}
            </legend>
            <div class="row">
              <TextField id={fieldId(p('name'))} label={`Nom du ${name}`} required maxLength={200} value={a.name} error={error(p('name'))} onInput={(v) => update((d) => (d.lots[l]!.award[i]!.name = v))} />
              <NumberField
                id={fieldId(p('weight'))}
                label={`Pondération du ${name}`}
                suffix="%"
                min={0}
                max={100}
                required
                class="narrow"
                value={a.weight}
                error={error(p('weight'))}
                onChange={(v) => update((d) => (d.lots[l]!.award[i]!.weight = v))}
              />
            </div>
            <div class="row">
              <SelectField id={fieldId(p('type'))} label={`Type du ${name}`} value={a.type} options={options(AWARD_TYPE_LABELS)} onChange={(v) => update((d) => (d.lots[l]!.award[i]!.type = v))} />
              <SelectField id={fieldId(p('theme'))} label={`Thème du ${name}`} value={a.theme} options={options(AWARD_THEME_LABELS)} onChange={(v) => update((d) => (d.lots[l]!.award[i]!.theme = v))} />
            </div>
            {a.type !== 'quality' ? (
              <RadioGroup
                id={fieldId(p('priceScoring'))}
                legend={`Méthode de notation du ${a.type === 'cost' ? 'coût' : 'prix'} — ${name}`}
                value={a.priceScoring ?? 'lowest-over-price'}
                choices={priceScoringChoices(a.type === 'cost' ? 'coût' : 'prix')}
                // The default is said by saying nothing: a request the buyer left alone stays as it was.
                onChange={(v) => update((d) => (v === 'lowest-over-price' ? delete d.lots[l]!.award[i]!.priceScoring : (d.lots[l]!.award[i]!.priceScoring = v)))}
              />
            ) : null}
            <SubCriteria lot={l} index={i} {...{ draft, update, error }} />
            <button
              type="button"
              class="button-secondary button-small"
              onClick={() => {
                update((d) => d.lots[l]!.award.splice(i, 1));
                focusSoon(fieldId(`lots.${l}.award-add`));
              }}
            >
              Supprimer le {name}
            </button>
          </fieldset>
        );
      })}
      <p class="actions">
        <button type="button" class="button-secondary" id={fieldId(`lots.${l}.award-add`)} onClick={() => add({ name: '', type: 'quality', theme: 'technical', weight: undefined, subCriteria: [] })}>
          Ajouter un critère au lot {l + 1}
        </button>
        {!environmental ? (
          <button
            type="button"
            class="button-secondary"
            onClick={() => add({ name: 'Performance environnementale (durabilité, réparabilité, reprise en fin de vie)', type: 'quality', theme: 'environmental', weight: undefined, subCriteria: [] })}
          >
            Ajouter un critère environnemental au lot {l + 1}
          </button>
        ) : null}
      </p>
      <p role="status" class={`weights-total ${Math.abs(total - 100) < 1e-9 ? 'total-ok' : 'total-ko'}`} id={`weights-total-${l}`}>
        {frenchSpacing(`Total des pondérations du lot ${l + 1} :`)} <strong>{formatPercent(total)}</strong>
        {weightGap(total, 100)}
      </p>
      <RadioGroup
        id={fieldId(`lots.${l}.tieBreak`)}
        legend={`En cas d’égalité — lot ${l + 1}`}
        value={lot.tieBreak ?? 'none'}
        choices={TIE_BREAK_CHOICES}
        onChange={(v) => update((d) => (v === 'none' ? delete d.lots[l]!.tieBreak : (d.lots[l]!.tieBreak = v)))}
      />
      {!environmental ? (
        <Alert kind={mandatory ? 'warning' : 'info'} title="Critère environnemental">
          {mandatory
            ? `Pour une consultation lancée à partir du ${formatDate(ENVIRONMENTAL_FROM)}, un critère d’attribution prenant en compte les caractéristiques environnementales, pondéré au-dessus de 0 %, est obligatoire (${ENVIRONMENTAL.reference.citation}).`
            : `À partir du ${formatDate(ENVIRONMENTAL_FROM)}, un critère environnemental sera obligatoire : pensez à en prévoir un.`}
        </Alert>
      ) : null}
      <fieldset>
        <legend>Variantes — lot {l + 1}</legend>
        <Checkbox
          id={fieldId(`lots.${l}.variants.allowed`)}
          label={`Les variantes sont autorisées pour le lot ${l + 1}`}
          hint="Une variante est une solution différente de celle décrite, que le candidat propose en plus ou à la place."
          checked={lot.variants.allowed}
          onChange={(v) => update((d) => (d.lots[l]!.variants.allowed = v))}
        />
        {lot.variants.allowed ? (
          <TextArea
            id={fieldId(`lots.${l}.variants.description`)}
            label={`Variantes attendues — lot ${l + 1}`}
            hint="Facultatif : ce que les candidats peuvent proposer en variante."
            rows={2}
            value={lot.variants.description}
            error={error(`lots.${l}.variants.description`)}
            onInput={(v) => update((d) => (d.lots[l]!.variants.description = v))}
          />
        ) : null}
        {lot.variants.allowed ? (
          <TextArea
            id={fieldId(`lots.${l}.variants.minimumRequirements`)}
            label={`Exigences minimales des variantes — lot ${l + 1}`}
            hint="Article R2151-8 : les exigences qu’une variante doit respecter sont indiquées."
            rows={3}
            value={lot.variants.minimumRequirements}
            error={error(`lots.${l}.variants.minimumRequirements`)}
            onInput={(v) => update((d) => (d.lots[l]!.variants.minimumRequirements = v))}
          />
        ) : null}
      </fieldset>
    </section>
  );
}
