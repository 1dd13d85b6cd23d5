import type { Metric } from '../../../src/core/model/criterion.ts';
import { UNIT_NAMES } from '../../../src/core/model/units.ts';
import { COMPARATOR_LABELS, METRIC_TYPE_LABELS, options } from '../labels.ts';
import { NumberField, SelectField, TextArea } from './fields.tsx';

/** A metric of each kind with sensible defaults, when an editor changes the kind. */
export function defaultMetric(type: Metric['type'], from?: Metric): Metric {
  const unit = from && 'unit' in from ? from.unit : UNIT_NAMES[0]!;
  switch (type) {
    case 'numeric':
      return { type, unit, comparator: 'gte', value: 0 };
    case 'range':
      return { type, unit, min: 0, max: 1 };
    case 'boolean':
      return { type, expected: true };
    case 'enum':
      return { type, options: ['Option 1', 'Option 2'], comparator: 'gte', value: 'Option 1' };
    case 'text':
      return { type };
  }
}

/** The editor's typed form of a criterion's metric: one set of fields per kind of metric. */
export function MetricEditor(props: { metric: Metric; onChange: (m: Metric) => void; error: (path: string) => string | undefined; idPrefix: string }) {
  const { metric, onChange, error, idPrefix } = props;
  const id = (name: string) => `${idPrefix}-metric-${name}`;
  return (
    <fieldset>
      <legend>Seuil</legend>
      <SelectField
        id={id('type')}
        label="Type de seuil"
        hint="Changer de type remplace le seuil ; les acheteurs ne pourront l’ajuster que dans ce type."
        value={metric.type}
        options={options(METRIC_TYPE_LABELS)}
        onChange={(t) => onChange(defaultMetric(t, metric))}
      />
      {metric.type === 'numeric' ? (
        <div class="row">
          <SelectField id={id('comparator')} label="Comparaison" value={metric.comparator} options={options(COMPARATOR_LABELS)} onChange={(v) => onChange({ ...metric, comparator: v })} error={error('metric.comparator')} />
          <NumberField id={id('value')} label="Valeur" value={metric.value} onChange={(v) => v !== undefined && onChange({ ...metric, value: v })} error={error('metric.value')} />
          <UnitField id={id('unit')} value={metric.unit} onChange={(unit) => onChange({ ...metric, unit })} error={error('metric.unit')} />
        </div>
      ) : null}
      {metric.type === 'range' ? (
        <div class="row">
          <NumberField id={id('min')} label="Minimum" value={metric.min} onChange={(v) => v !== undefined && onChange({ ...metric, min: v })} error={error('metric.min')} />
          <NumberField id={id('max')} label="Maximum" value={metric.max} onChange={(v) => v !== undefined && onChange({ ...metric, max: v })} error={error('metric.max')} />
          <UnitField id={id('unit')} value={metric.unit} onChange={(unit) => onChange({ ...metric, unit })} error={error('metric.unit')} />
        </div>
      ) : null}
      {metric.type === 'boolean' ? (
        <SelectField
          id={id('expected')}
          label="Attendu"
          value={metric.expected ? 'yes' : 'no'}
          options={[
            { value: 'yes', label: 'Exigé' },
            { value: 'no', label: 'Non exigé' },
          ]}
          onChange={(v) => onChange({ ...metric, expected: v === 'yes' })}
        />
      ) : null}
      {metric.type === 'enum' ? (
        <>
          <TextArea
            id={id('options')}
            label="Options, de la plus faible à la plus forte"
            hint="Une option par ligne."
            rows={4}
            value={metric.options.join('\n')}
            onInput={(v) => {
              const list = v.split('\n').map((s) => s.trim()).filter(Boolean);
              onChange({ ...metric, options: list, value: list.includes(metric.value) ? metric.value : (list[0] ?? '') });
            }}
            error={error('metric.options')}
          />
          <div class="row">
            <SelectField
              id={id('comparator')}
              label="Comparaison"
              value={metric.comparator}
              options={[
                { value: 'gte', label: 'Cette option ou une plus forte' },
                { value: 'eq', label: 'Exactement cette option' },
              ]}
              onChange={(v) => onChange({ ...metric, comparator: v })}
            />
            <SelectField id={id('value')} label="Option exigée" value={metric.value} options={metric.options.map((o) => ({ value: o, label: o }))} onChange={(v) => onChange({ ...metric, value: v })} error={error('metric.value')} />
          </div>
        </>
      ) : null}
      {metric.type === 'text' ? <p class="muted">Exigence rédigée : le texte seul fait foi, sans seuil.</p> : null}
    </fieldset>
  );
}

/** The closed list of units (src/core/model/units.ts): a buyer's override in another unit of the same kind is converted. */
function UnitField(props: { id: string; value: string; onChange: (unit: string) => void; error: string | undefined }) {
  const known = (UNIT_NAMES as readonly string[]).includes(props.value);
  const choices = [...(known ? [] : [props.value]), ...UNIT_NAMES].map((u) => ({ value: u, label: u }));
  return <SelectField id={props.id} label="Unité" hint="Une valeur exprimée dans une autre unité de même nature (Mo, Go, To…) est convertie." value={props.value} options={choices} onChange={props.onChange} error={props.error} />;
}
