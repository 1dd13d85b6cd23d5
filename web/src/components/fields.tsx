import type { ComponentChildren, TargetedInputEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { frenchSpacing, numberToField, parseFrenchNumber, spaced } from '../format.ts';

interface FieldBase {
  id: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  error?: string | undefined;
  required?: boolean;
  class?: string;
}

function describedBy(props: FieldBase): string | undefined {
  const ids = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function Wrapper(props: FieldBase & { children: ComponentChildren }) {
  return (
    <div class={`field${props.error ? ' field-invalid' : ''}${props.class ? ` ${props.class}` : ''}`}>
      <label for={props.id}>
        {spaced(props.label)}
        {props.required ? <span class="required"> (obligatoire)</span> : null}
      </label>
      {props.hint ? (
        <p class="hint" id={`${props.id}-hint`}>
          {spaced(props.hint)}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-error" id={`${props.id}-error`}>
          {frenchSpacing(props.error)}
        </p>
      ) : null}
      {props.children}
    </div>
  );
}

export function TextField(
  props: FieldBase & {
    value: string;
    onInput: (value: string) => void;
    type?: 'text' | 'date' | 'datetime-local' | 'search';
    maxLength?: number;
    autocomplete?: string;
    inputMode?: 'numeric' | 'text';
    onBlur?: () => void;
  },
) {
  return (
    <Wrapper {...props}>
      <input
        id={props.id}
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        maxLength={props.maxLength}
        autocomplete={props.autocomplete ?? 'off'}
        inputMode={props.inputMode}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props)}
        aria-required={props.required ? 'true' : undefined}
        onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
        onBlur={props.onBlur}
      />
    </Wrapper>
  );
}

export function TextArea(props: FieldBase & { value: string; onInput: (value: string) => void; rows?: number; maxLength?: number; onBlur?: () => void }) {
  return (
    <Wrapper {...props}>
      <textarea
        id={props.id}
        rows={props.rows ?? 3}
        value={props.value}
        maxLength={props.maxLength}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props)}
        aria-required={props.required ? 'true' : undefined}
        onInput={(e) => props.onInput((e.currentTarget as HTMLTextAreaElement).value)}
        onBlur={props.onBlur}
      />
    </Wrapper>
  );
}

export function SelectField<T extends string>(
  props: FieldBase & { value: T; options: ReadonlyArray<{ value: T; label: string }>; onChange: (value: T) => void; disabled?: boolean },
) {
  return (
    <Wrapper {...props}>
      <select
        id={props.id}
        value={props.value}
        disabled={props.disabled}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props)}
        onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value as T)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Wrapper>
  );
}

/**
 * A number typed the French way ("15,6", "1 500"): the text is kept while it is being typed and
 * the number is passed on only when it parses. `suffix` names the unit next to the field.
 */
export function NumberField(
  props: FieldBase & {
    value: number | undefined;
    onChange: (value: number | undefined) => void;
    /**
     * Text that is no valid number was typed (`onChange` is not called then, so the value the form
     * holds stays the last valid one). A form whose value defaults to something that may arrive
     * later listens, so that the default does not replace what the user typed.
     */
    onInvalid?: () => void;
    suffix?: string;
    integer?: boolean;
    min?: number;
    max?: number;
  },
) {
  const [text, setText] = useState(numberToField(props.value));
  const [local, setLocal] = useState<string | undefined>();
  useEffect(() => {
    if (parseFrenchNumber(text) !== props.value) setText(numberToField(props.value));
    // Only an outside change of the value rewrites the text.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.value]);
  const onInput = (e: TargetedInputEvent<HTMLInputElement>) => {
    const raw = e.currentTarget.value;
    setText(raw);
    if (raw.trim() === '') {
      setLocal(undefined);
      props.onChange(undefined);
      return;
    }
    const value = parseFrenchNumber(raw);
    if (value === undefined) setLocal('Nombre attendu, par exemple 15,6.');
    else if (props.integer && !Number.isInteger(value)) setLocal('Nombre entier attendu.');
    else if (props.min !== undefined && value < props.min) setLocal(`Doit être au moins ${numberToField(props.min)}.`);
    else if (props.max !== undefined && value > props.max) setLocal(`Doit être au plus ${numberToField(props.max)}.`);
    else {
      setLocal(undefined);
      props.onChange(value);
      return;
    }
    props.onInvalid?.();
  };
  const error = local ?? props.error;
  return (
    <Wrapper {...props} error={error}>
      <span class="input-with-suffix">
        <input
          id={props.id}
          type="text"
          inputMode={props.integer ? 'numeric' : 'decimal'}
          value={text}
          autocomplete="off"
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy({ ...props, error })}
          aria-required={props.required ? 'true' : undefined}
          onInput={onInput}
        />
        {props.suffix ? <span class="suffix" aria-hidden="true">{props.suffix}</span> : null}
      </span>
    </Wrapper>
  );
}

export function Checkbox(props: { id: string; label: ComponentChildren; checked: boolean; onChange: (checked: boolean) => void; hint?: string }) {
  return (
    <div class="checkbox">
      <input id={props.id} type="checkbox" checked={props.checked} onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)} aria-describedby={props.hint ? `${props.id}-hint` : undefined} />
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <span class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      ) : null}
    </div>
  );
}

/** Lists the problems of a form, each a link that moves the focus to its field (RGAA 11.10). */
export function ErrorSummary(props: { title?: string; errors: Array<{ id: string; label: string; message: string }> }) {
  if (props.errors.length === 0) return null;
  return (
    <div class="alert alert-error error-summary" role="alert" tabIndex={-1}>
      <p class="alert-title">{props.title ?? 'Des champs sont à corriger'}</p>
      <ul>
        {props.errors.map((e) => (
          <li key={e.id}>
            <a
              href={`#${e.id}`}
              onClick={(event) => {
                event.preventDefault();
                document.getElementById(e.id)?.focus();
              }}
            >
              {e.label} : {e.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * One choice among a few, as radio buttons in a fieldset whose legend names the question; each
 * option has its meaning under its label. Arrow keys move the choice within the group, Tab leaves it.
 */
export function RadioGroup<T extends string>(props: { id: string; legend: ComponentChildren; value: T; choices: ReadonlyArray<{ value: T; label: string; hint: string }>; onChange: (value: T) => void }) {
  return (
    <fieldset id={props.id} class="radio-group">
      <legend class="legend-small">{props.legend}</legend>
      {props.choices.map((c) => {
        const id = `${props.id}-${c.value}`;
        return (
          <div key={c.value} class="choice">
            <input type="radio" id={id} name={props.id} value={c.value} checked={props.value === c.value} aria-describedby={`${id}-hint`} onChange={() => props.onChange(c.value)} />
            <label for={id}>{c.label}</label>
            <p class="hint" id={`${id}-hint`}>
              {c.hint}
            </p>
          </div>
        );
      })}
    </fieldset>
  );
}

/** The first 20 issues of a refused file, each with its place (« feuille, ligne, colonne »): under a file field, inside its error. */
export function FileIssues(props: { issues: ReadonlyArray<{ place: string; message: string }> }) {
  if (props.issues.length === 0) return null;
  return (
    <ul>
      {props.issues.slice(0, 20).map((i, index) => (
        <li key={index}>
          {i.place} : {i.message}
        </li>
      ))}
    </ul>
  );
}
