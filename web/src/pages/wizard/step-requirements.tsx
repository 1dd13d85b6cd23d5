import { useState } from 'preact/hooks';
import { compareMetric } from '../../../../src/core/model/metric.ts';
import type { Criterion, Level, Metric } from '../../../../src/core/model/criterion.ts';
import { lotMetric, renderRequirementText } from '../../../../src/core/model/requirement-text.ts';
import { schoolLevelsOf } from '../../../../src/core/model/school-levels.ts';
import { unitLabel } from '../../../../src/core/model/units.ts';
import { itemLabel, itemOf, lotCriteria, lotLines } from '../../catalogue.ts';
import { Checkbox, NumberField, SelectField, TextArea, TextField } from '../../components/fields.tsx';
import { focusSoon } from '../../components/line-editor.tsx';
import { scaledQuantities } from '../../lot-lines.ts';
import { requirementStatus, type DraftOverride } from '../../draft.ts';
import { formatCount, formatThreshold } from '../../format.ts';
import { AUTHORITY_LABELS, CATEGORY_LABELS, CATEGORY_ORDER, LEVEL_LABELS, options, STATUS_LABELS } from '../../labels.ts';
import { cardMatches, isFiltering, NO_FILTER, shownCount, type RequirementCard, type RequirementFilter } from '../../requirement-filter.ts';
import { fieldId, settled } from '../../validation.ts';
import type { StepProps } from './types.ts';

/** One lot's reference criteria, each with the lot's items and the buyer's change. */
interface LotCards {
  lines: Array<{ itemId: string; quantity: number }>;
  cards: RequirementCard[];
}

function lotCards(props: StepProps, index: number): LotCards {
  const { draft, catalogue } = props;
  const lot = draft.lots[index]!;
  const lines = lotLines(lot, draft.sites, catalogue.offers);
  const lotItemIds = new Set(lines.map((l) => l.itemId));
  const criteria = lotCriteria([...lotItemIds], catalogue.criteria, schoolLevelsOf(draft.buyer));
  return { lines, cards: criteria.map((criterion) => ({ criterion, lotItemIds, override: lot.overrides[criterion.id] })) };
}

/**
 * Step 4: each lot's requirements as the framework gives them (authority, level, threshold),
 * with the buyer's changes: tighten or loosen a threshold, change the level, exclude, or add
 * requirements of their own. The API's conformity verdict says why a change leaves the framework.
 * Sixty-odd cards for a classe mobile: a search box and filters (item, source, level, the
 * buyer's own changes) narrow them, with a count said politely as it changes; the focus stays
 * on the control the buyer uses.
 */
export function StepRequirements(props: StepProps) {
  const { draft, catalogue } = props;
  const [filter, setFilter] = useState<RequirementFilter>(NO_FILTER);
  if (!catalogue.framework) return <p role="status">Chargement des critères du référentiel…</p>;
  const lots = draft.lots.map((_, index) => lotCards(props, index));
  const shown = lots.map((l) => l.cards.filter((card) => cardMatches(card, filter)));
  const total = lots.reduce((n, l) => n + l.cards.length, 0);
  const count = shown.reduce((n, l) => n + l.length, 0);
  return (
    <>
      <p class="lead">
        Chaque exigence indique sa source. Les exigences minimales du <strong>ministère</strong> et des <strong>programmes de financement</strong> font la conformité au référentiel, que les
        financeurs vérifient : les assouplir, les rendre seulement appréciées ou les exclure rend la sélection non conforme. Les renforcer est toujours possible.
      </p>
      {total > 0 ? <RequirementFilters lots={lots} filter={filter} onChange={setFilter} /> : null}
      {total > 0 ? (
        <p id="req-filter-count" class="req-filter-count" role="status" aria-live="polite" aria-atomic="true">
          {shownCount(count, total)}
          {count === 0 ? '. Aucun critère ne correspond à la recherche et aux filtres.' : '.'}
        </p>
      ) : null}
      {draft.lots.map((lot, index) => (
        <LotRequirements key={index} {...props} index={index} lines={lots[index]!.lines} cards={lots[index]!.cards} shown={shown[index]!} filtering={isFiltering(filter)} />
      ))}
      {draft.lots.length === 0 ? <p>Ajoutez d’abord un lot.</p> : null}
      {lots.every((l) => l.lines.length === 0) ? <p>Choisissez des équipements à l’étape « Lots et lignes ».</p> : null}
    </>
  );
}

/** The search box and filters; their options are only what the lots hold (items bought, sources present). */
function RequirementFilters(props: { lots: LotCards[]; filter: RequirementFilter; onChange: (filter: RequirementFilter) => void }) {
  const { filter } = props;
  const set = (change: Partial<RequirementFilter>) => props.onChange({ ...filter, ...change });
  const itemIds = [...new Set(props.lots.flatMap((l) => l.lines.map((line) => line.itemId)))].filter((id) => (itemOf(id)?.criteria.length ?? 0) > 0);
  const authorities = new Set(props.lots.flatMap((l) => l.cards.map((c) => c.criterion.authority.type)));
  return (
    <form class="filters req-filters" role="search" aria-label="Rechercher parmi les critères" onSubmit={(e) => e.preventDefault()}>
      <TextField id="req-search" type="search" label="Rechercher un critère" hint="Dans l’intitulé, le texte, la source et la catégorie." value={filter.text} onInput={(v) => set({ text: v })} />
      <SelectField
        id="req-filter-item"
        label="Équipement"
        value={filter.itemId}
        options={[{ value: '', label: 'Tous les équipements' }, ...itemIds.map((id) => ({ value: id, label: itemLabel(id) }))]}
        onChange={(v) => set({ itemId: v })}
      />
      <SelectField<RequirementFilter['authority']>
        id="req-filter-authority"
        label="Source"
        value={filter.authority}
        options={[{ value: '', label: 'Toutes les sources' }, ...options(AUTHORITY_LABELS).filter((o) => authorities.has(o.value))]}
        onChange={(v) => set({ authority: v })}
      />
      <SelectField<RequirementFilter['level']> id="req-filter-level" label="Niveau" value={filter.level} options={[{ value: '', label: 'Tous les niveaux' }, ...options(LEVEL_LABELS)]} onChange={(v) => set({ level: v })} />
      <Checkbox id="req-filter-changed" label="Modifiés par moi" checked={filter.changedOnly} onChange={(v) => set({ changedOnly: v })} />
      <button type="button" id="req-filter-clear" class="button-secondary button-small" onClick={() => props.onChange(NO_FILTER)}>
        Effacer la recherche et les filtres
      </button>
    </form>
  );
}

function LotRequirements(props: StepProps & { index: number; lines: LotCards['lines']; cards: RequirementCard[]; shown: RequirementCard[]; filtering: boolean }) {
  const { draft, catalogue, update, index, lines, cards, shown } = props;
  const lot = draft.lots[index]!;
  const quantities = new Map(lines.map((l) => [l.itemId, l.quantity]));
  const required = new Set(catalogue.framework?.fundingRule.requiredAuthorities ?? []);
  const last = settled(props.check);
  const reasons = last?.state === 'checked' ? last.result.conformity.reasons.filter((r) => r.lot === index + 1) : [];
  const groups = CATEGORY_ORDER.filter((c) => c !== 'buyer')
    .map((category) => ({ category, list: shown.map((card) => card.criterion).filter((c) => c.category === category) }))
    .filter((g) => g.list.length > 0);
  const changed = cards.filter((card) => card.override !== undefined).length;
  const scaledMetric = (criterion: Criterion) => {
    if (!criterion.lotScale) return lotMetric(criterion, quantities, lot.spareSlots ?? 0);
    const pooled = scaledQuantities(criterion.lotScale, draft, catalogue.offers, index);
    return lotMetric(criterion, pooled.quantities, lot.spareSlots ?? 0, pooled.perSite);
  };
  return (
    <section class="card" aria-labelledby={`req-lot-${index}`}>
      <h2 id={`req-lot-${index}`}>
        Lot {index + 1}
        {lot.title ? ` — ${lot.title}` : ''}
      </h2>
      <p class="muted">
        {formatCount(cards.length, 'exigence du référentiel', 'exigences du référentiel')} pour {lines.map((l) => itemLabel(l.itemId)).join(', ') || 'aucun équipement'} ; {formatCount(changed, 'modifiée', 'modifiées')} ; {formatCount(lot.custom.length, 'ajoutée', 'ajoutées')}.
      </p>
      {props.filtering && cards.length > 0 && shown.length === 0 ? <p class="muted">Aucun critère de ce lot ne correspond à la recherche et aux filtres.</p> : null}
      {groups.map((g) => (
        <div key={g.category} class="req-group">
          <h3>{CATEGORY_LABELS[g.category]}</h3>
          <ul class="requirements">
            {g.list.map((criterion) => (
              <RequirementRow
                key={criterion.id}
                criterion={{ ...criterion, metric: scaledMetric(criterion) }}
                lotIndex={index}
                override={lot.overrides[criterion.id]}
                conditionsFunding={required.has(criterion.authority.type) && criterion.level === 'minimum'}
                reason={reasons.find((r) => r.criterionId === criterion.id)?.message}
                onChange={(next) =>
                  update((d) => {
                    const overrides = d.lots[index]!.overrides;
                    if (next) overrides[criterion.id] = next;
                    else delete overrides[criterion.id];
                  })
                }
              />
            ))}
          </ul>
        </div>
      ))}
      <CustomRequirements {...props} />
    </section>
  );
}

function RequirementRow(props: {
  criterion: Criterion;
  lotIndex: number;
  override: DraftOverride | undefined;
  conditionsFunding: boolean;
  reason: string | undefined;
  onChange: (override: DraftOverride | undefined) => void;
}) {
  const { criterion, override } = props;
  const [open, setOpen] = useState(false);
  const status = requirementStatus(criterion, override, compareMetric);
  const metric = override?.metric ?? criterion.metric;
  const level = override?.level ?? criterion.level;
  const losesFunding = props.conditionsFunding && (status === 'loosened' || status === 'downgraded' || status === 'excluded');
  const base = `lot-${props.lotIndex}-${criterion.id.replace(/\./g, '-')}`;
  const set = (change: Partial<DraftOverride>) => {
    const next: DraftOverride = { justification: '', ...override, ...change };
    if (next.metric && compareMetric(criterion.metric, next.metric) === 'same') delete next.metric;
    if (next.level === criterion.level) delete next.level;
    if (!next.excluded) delete next.excluded;
    props.onChange(next.metric || next.level || next.excluded || next.justification ? next : undefined);
  };
  const expanded = open || override !== undefined;
  return (
    <li class={`req req-${status}${losesFunding ? ' req-loses' : ''}`} data-criterion={criterion.id}>
      <div class="req-head">
        <span class="req-label">{criterion.label}</span>
        <span class={`badge badge-${criterion.authority.type}`}>{AUTHORITY_LABELS[criterion.authority.type]}</span>
        {props.conditionsFunding ? <span class="badge badge-funding">Conditionne l’aide</span> : null}
      </div>
      <p class="req-meta">
        <span>{LEVEL_LABELS[level]}</span> · <span>Seuil : {override?.excluded ? '—' : formatThreshold(metric)}</span>
        {override?.metric ? <span class="muted"> (référence : {formatThreshold(criterion.metric)})</span> : null} · <span class="muted">{criterion.authority.reference}</span>
      </p>
      <p class={`req-status status-${status}`}>
        <span class="visually-hidden">Statut : </span>
        {STATUS_LABELS[status]}
        {losesFunding ? ' — sélection non conforme au référentiel' : ''}
        {props.reason && status !== 'kept' ? <span class="req-reason"> ({props.reason})</span> : null}
      </p>
      {!expanded ? (
        <button
          type="button"
          class="button-link"
          id={`${base}-open`}
          aria-expanded="false"
          aria-controls={`${base}-edit`}
          onClick={() => {
            setOpen(true);
            // The focus follows into the form that replaces the button: the threshold, else the level.
            focusSoon(metric.type === 'range' ? `${base}-metric-min` : metric.type === 'text' ? `${base}-level` : `${base}-metric`);
          }}
        >
          Modifier<span class="visually-hidden"> l’exigence « {criterion.label} »</span>
        </button>
      ) : (
        <div class="req-edit" id={`${base}-edit`}>
          <details class="req-text">
            <summary>Texte de l’exigence</summary>
            <p>{renderRequirementText(criterion.requirement, metric)}</p>
            {criterion.note ? <p class="muted">{criterion.note}</p> : null}
          </details>
          <div class="row">
            <ThresholdInput id={`${base}-metric`} criterion={criterion} metric={metric} disabled={override?.excluded === true} onChange={(m) => set({ metric: m })} />
            <SelectField<Level>
              id={`${base}-level`}
              label={`Niveau — ${criterion.label}`}
              value={level}
              options={options(LEVEL_LABELS)}
              onChange={(v) => set({ level: v })}
            />
          </div>
          <div class="checkbox">
            <input id={`${base}-excluded`} type="checkbox" checked={override?.excluded === true} onChange={(e) => set({ excluded: (e.currentTarget as HTMLInputElement).checked })} />
            <label for={`${base}-excluded`}>Exclure cette exigence du lot</label>
          </div>
          {override ? (
            <TextArea
              id={`${base}-justification`}
              label={`Justification de la modification — ${criterion.label}`}
              hint="Facultative ; elle figure dans le CCTP."
              rows={2}
              maxLength={1000}
              value={override.justification}
              onInput={(v) => set({ justification: v })}
            />
          ) : null}
          <div class="req-actions">
            {override ? (
              <button
                type="button"
                class="button-secondary button-small"
                onClick={() => {
                  props.onChange(undefined);
                  setOpen(true);
                  focusSoon(`${base}-close`);
                }}
              >
                Rétablir l’exigence de référence<span class="visually-hidden"> « {criterion.label} »</span>
              </button>
            ) : (
              <button
                type="button"
                class="button-link"
                id={`${base}-close`}
                aria-expanded="true"
                aria-controls={`${base}-edit`}
                onClick={() => {
                  setOpen(false);
                  focusSoon(`${base}-open`);
                }}
              >
                Fermer<span class="visually-hidden"> l’exigence « {criterion.label} »</span>
              </button>
            )}
          </div>
        </div>
      )}
    </li>
  );
}

/** The threshold of one criterion, edited within its kind of metric (the API refuses a change of kind). */
function ThresholdInput(props: { id: string; criterion: Criterion; metric: Metric; disabled: boolean; onChange: (metric: Metric) => void }) {
  const { metric, criterion } = props;
  const label = `Seuil — ${criterion.label}`;
  switch (metric.type) {
    case 'numeric':
      return (
        <NumberField
          id={props.id}
          label={label}
          hint={`${metric.comparator === 'gte' ? 'Au moins' : metric.comparator === 'lte' ? 'Au plus' : 'Exactement'} ; référence ${formatThreshold(criterion.metric)}.`}
          suffix={unitLabel(metric.unit, metric.value)}
          value={metric.value}
          onChange={(v) => v !== undefined && props.onChange({ ...metric, value: v })}
        />
      );
    case 'range':
      return (
        <div class="row">
          <NumberField id={`${props.id}-min`} label={`${label}\u00a0: minimum`} suffix={unitLabel(metric.unit, metric.min)} value={metric.min} onChange={(v) => v !== undefined && props.onChange({ ...metric, min: v })} />
          <NumberField id={`${props.id}-max`} label={`${label}\u00a0: maximum`} suffix={unitLabel(metric.unit, metric.max)} value={metric.max} onChange={(v) => v !== undefined && props.onChange({ ...metric, max: v })} />
        </div>
      );
    case 'boolean':
      return (
        <SelectField
          id={props.id}
          label={label}
          value={metric.expected ? 'yes' : 'no'}
          options={[
            { value: 'yes', label: 'Exigé' },
            { value: 'no', label: 'Non exigé' },
          ]}
          onChange={(v) => props.onChange({ ...metric, expected: v === 'yes' })}
        />
      );
    case 'enum':
      return (
        <SelectField
          id={props.id}
          label={label}
          hint={metric.comparator === 'gte' ? 'Valeur minimale ; les options sont classées de la plus faible à la plus forte.' : undefined}
          value={metric.value}
          options={metric.options.map((o) => ({ value: o, label: o }))}
          onChange={(v) => props.onChange({ ...metric, value: v })}
        />
      );
    case 'text':
      return <p class="muted">Exigence rédigée, sans seuil à régler.</p>;
  }
}

function CustomRequirements({ draft, update, error, index }: StepProps & { index: number }) {
  const lot = draft.lots[index]!;
  return (
    <div class="req-group">
      <h3>{CATEGORY_LABELS.buyer}</h3>
      {lot.custom.length === 0 ? <p class="muted">Aucune exigence ajoutée.</p> : null}
      {lot.custom.map((c, i) => {
        const p = (rest: string) => `lots.${index}.customRequirements.${i}.${rest}`;
        return (
          <fieldset key={i} class="custom-req">
            <legend>Exigence ajoutée {i + 1}</legend>
            <TextField id={fieldId(p('label'))} label="Intitulé" required maxLength={160} value={c.label} error={error(p('label'))} onInput={(v) => update((d) => (d.lots[index]!.custom[i]!.label = v))} />
            <TextArea
              id={fieldId(p('requirement'))}
              label="Texte de l’exigence"
              required
              rows={3}
              value={c.requirement}
              error={error(p('requirement'))}
              onInput={(v) => update((d) => (d.lots[index]!.custom[i]!.requirement = v))}
            />
            <SelectField id={fieldId(p('level'))} label="Niveau" value={c.level} options={options(LEVEL_LABELS)} onChange={(v) => update((d) => (d.lots[index]!.custom[i]!.level = v))} />
            <button type="button" class="button-secondary button-small" onClick={() => update((d) => d.lots[index]!.custom.splice(i, 1))}>
              Supprimer l’exigence ajoutée {i + 1}
            </button>
          </fieldset>
        );
      })}
      <button type="button" class="button-secondary" onClick={() => update((d) => d.lots[index]!.custom.push({ label: '', requirement: '', level: 'minimum' }))}>
        Ajouter une exigence au lot {index + 1}
      </button>
    </div>
  );
}
