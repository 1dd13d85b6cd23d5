import { useState } from 'preact/hooks';
import { ITEMS, itemOf } from '../catalogue.ts';
import type { DraftLine, DraftSite, DraftTranche } from '../draft.ts';
import { formatCount, formatInteger, formatMoney, parseFrenchNumber, pluralUnit, unitAfter } from '../format.ts';
import { CATEGORY_LABELS, CATEGORY_ORDER, NATURE_LABELS, options, PRICING_LABELS, QUANTITY_MODE_LABELS } from '../labels.ts';
import { fieldId } from '../validation.ts';
import { Checkbox, NumberField, SelectField, TextArea, TextField } from './fields.tsx';

/**
 * Moves the focus to an element once it is rendered (after « Ajouter… » or « Retirer… »), unless
 * the user has moved it meanwhile. Called from the handler of the control the user acted on; two
 * frames later the focus moves only if it is still on that control, or on nothing (the body: the
 * control went away with the render, or the browser does not focus buttons on click). A field the
 * user went to in between (clicked « Ajouter… » then, at once, a weight) keeps the focus, and what
 * is typed there goes there, not into the new field.
 */
export function focusSoon(id: string): void {
  const origin = document.activeElement;
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      const current = document.activeElement;
      if (current === origin || current === null || current === document.body) document.getElementById(id)?.focus();
    }),
  );
}

/** « 16 unités », « 1 heure »: a quantity with its unit, plural when above 1 (French rule: 0 and 1 are singular). */
export function withUnit(quantity: number, unit: string): string {
  return formatCount(quantity, unit, pluralUnit(unit));
}

export interface LineEditorProps {
  /** Request path of the line: « lots.0.items.2 ». */
  path: string;
  /** « Ligne 3 du lot 1 », « Ligne 1 de l’option 2 du lot 1 ». */
  name: string;
  line: DraftLine;
  sites: readonly DraftSite[];
  tranches: readonly DraftTranche[];
  /** The quantity the API will count for the line (computed lines: what it follows). */
  quantity: number;
  /** What a computed quantity follows, said in a sentence. */
  computedNote: string | undefined;
  error(path: string): string | undefined;
  change(mutate: (line: DraftLine) => void): void;
  remove(): void;
  /** The other lots a lot's line can move to (absent: the line stays, as an option's lines do). */
  move?: { targets: ReadonlyArray<{ index: number; label: string }>; to(index: number): void };
}

/**
 * One line as the buyer writes it: a catalogue item or their own designation, its quantity
 * (given, per establishment, or computed and shown as computed), its pricing and VAT rate, its
 * tranche and the requirements attached to it. Lot lines and option lines use it alike.
 */
export function LineEditor(props: LineEditorProps) {
  const { line, path, name, change, error } = props;
  const p = (rest: string) => `${path}.${rest}`;
  const item = line.itemId ? itemOf(line.itemId) : undefined;
  const unit = line.itemId ? (item?.unit ?? 'unité') : line.unit || 'unité';
  const amount = line.unitPrice === undefined ? undefined : line.pricing === 'lump-sum' ? line.unitPrice : line.unitPrice * props.quantity;
  const modes = options(QUANTITY_MODE_LABELS).filter((m) => m.value !== 'sites' || props.sites.length > 0 || line.quantityMode === 'sites');
  return (
    <fieldset class="card line-editor" id={fieldId(path)} tabIndex={-1}>
      <legend>
        {name}
        {item ? ` : ${line.designation.trim() || item.label}` : line.designation.trim() ? ` : ${line.designation.trim()}` : ''}
      </legend>
      <div class="row">
        <SelectField
          id={fieldId(p('itemId'))}
          label={`Article du catalogue — ${name}`}
          value={line.itemId}
          options={[{ value: '', label: 'Ligne rédigée par l’acheteur (hors catalogue)' }, ...ITEMS.map((it) => ({ value: it.id, label: it.label }))]}
          error={error(p('itemId'))}
          onChange={(v) => change((l) => (l.itemId = v))}
        />
        <TextField
          id={fieldId(p('designation'))}
          label={`Désignation — ${name}`}
          hint={line.itemId ? 'Facultative : remplace le libellé du catalogue.' : undefined}
          required={!line.itemId}
          maxLength={200}
          value={line.designation}
          error={error(p('designation'))}
          onInput={(v) => change((l) => (l.designation = v))}
        />
      </div>
      {!line.itemId ? (
        <div class="row">
          <TextField id={fieldId(p('unit'))} label={`Unité — ${name}`} hint="Par exemple unité, heure, forfait." required maxLength={30} value={line.unit} error={error(p('unit'))} onInput={(v) => change((l) => (l.unit = v))} />
          <SelectField id={fieldId(p('nature'))} label={`Nature — ${name}`} value={line.nature} options={options(NATURE_LABELS)} onChange={(v) => change((l) => (l.nature = v))} />
          <SelectField
            id={fieldId(p('category'))}
            label={`Famille — ${name}`}
            hint="Une tablette ou un ordinateur compte dans les quantités calculées par appareil."
            value={line.category}
            options={[{ value: '', label: 'Services (par défaut)' }, ...CATEGORY_ORDER.filter((c) => c !== 'buyer').map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))]}
            onChange={(v) => change((l) => (l.category = v))}
          />
          <TextField id={fieldId(p('cpv'))} label={`Code CPV — ${name}`} hint="Nomenclature européenne des achats, par exemple 30237000-9." required maxLength={10} value={line.cpv} error={error(p('cpv'))} onInput={(v) => change((l) => (l.cpv = v))} />
        </div>
      ) : null}
      <div class="row">
        <SelectField id={fieldId(p('quantityFrom'))} label={`Quantité — ${name}`} value={line.quantityMode} options={modes} error={error(p('quantityFrom'))} onChange={(v) => change((l) => (l.quantityMode = v))} />
        {line.quantityMode === 'given' ? (
          <NumberField
            id={fieldId(p('quantity'))}
            label={`Nombre — ${name}`}
            integer
            min={1}
            suffix={unitAfter(line.quantity, unit)}
            required
            value={line.quantity}
            error={error(p('quantity'))}
            onChange={(v) => change((l) => (l.quantity = v))}
          />
        ) : null}
        {line.quantityMode === 'teachers' ? (
          <NumberField
            id={fieldId(p('quantityFrom.perTeacher'))}
            label={`Par enseignant — ${name}`}
            min={0}
            suffix={unitAfter(line.perTeacher, unit)}
            required
            value={line.perTeacher}
            error={error(p('quantityFrom.perTeacher'))}
            onChange={(v) => change((l) => (l.perTeacher = v))}
          />
        ) : null}
      </div>
      {line.quantityMode === 'sites' ? (
        <fieldset class="site-quantities">
          <legend class="legend-small">Quantités par établissement — {name}</legend>
          {error(p('sites')) ? (
            <p class="field-error" id={fieldId(p('sites'))} tabIndex={-1}>
              {error(p('sites'))}
            </p>
          ) : null}
          <QuantityColumn id={fieldId(p('sites-paste'))} name={name} sites={props.sites} onPaste={(quantities) => change((l) => Object.assign(l.sites, quantities))} />
          <div class="grid-prices">
            {props.sites.map((site) => (
              <NumberField
                key={site.id}
                id={fieldId(p(`sites.${site.id}`))}
                label={site.name || 'Établissement sans nom'}
                integer
                min={0}
                suffix={unitAfter(line.sites[site.id], unit)}
                value={line.sites[site.id]}
                error={error(p(`sites.${site.id}`))}
                onChange={(v) => change((l) => (l.sites[site.id] = v))}
              />
            ))}
          </div>
        </fieldset>
      ) : null}
      <p class="computed" id={fieldId(p('computed'))}>
        {line.quantityMode === 'given' ? null : (
          <>
            Quantité {line.quantityMode === 'sites' ? 'totale' : 'calculée'} : <output>{withUnit(props.quantity, unit)}</output>
            {props.computedNote ? ` (${props.computedNote})` : ''}.
          </>
        )}
      </p>
      <Checkbox id={fieldId(p('estimated'))} label="Quantité estimative (détail quantitatif estimatif, sans engagement)" checked={line.estimated} onChange={(v) => change((l) => (l.estimated = v))} />
      <div class="row">
        <SelectField id={fieldId(p('pricing'))} label={`Prix — ${name}`} value={line.pricing} options={options(PRICING_LABELS)} onChange={(v) => change((l) => (l.pricing = v))} />
        <NumberField
          id={fieldId(p('unitPrice'))}
          label={`${line.pricing === 'lump-sum' ? 'Forfait estimé' : 'Prix unitaire estimé'} — ${name}`}
          hint="Pour vous seul : jamais publié aux candidats."
          suffix="€ HT"
          min={0}
          value={line.unitPrice}
          error={error(p('unitPrice'))}
          onChange={(v) => change((l) => (l.unitPrice = v))}
        />
        <NumberField id={fieldId(p('vatRate'))} label={`TVA — ${name}`} suffix="%" min={0} max={100} class="narrow" value={line.vatRate} error={error(p('vatRate'))} onChange={(v) => change((l) => (l.vatRate = v))} />
      </div>
      {props.tranches.length > 0 ? (
        <SelectField
          id={fieldId(p('tranche'))}
          label={`Tranche — ${name}`}
          value={line.tranche}
          options={[{ value: '', label: 'Tranche ferme' }, ...props.tranches.map((t, i) => ({ value: t.id, label: `Tranche optionnelle ${i + 1}${t.title ? ` : ${t.title}` : ''}` }))]}
          error={error(p('tranche'))}
          onChange={(v) => change((l) => (l.tranche = v))}
        />
      ) : null}
      <TextArea
        id={fieldId(p('requirements'))}
        label={`Exigences propres à la ligne — ${name}`}
        hint="Facultatives ; une par ligne. Chacune est une exigence minimale du lot."
        rows={2}
        value={line.requirements}
        error={error(p('requirements'))}
        onInput={(v) => change((l) => (l.requirements = v))}
      />
      <p class="line-foot">
        <span>{amount === undefined ? 'Montant estimé : prix à renseigner.' : `Montant estimé : ${formatMoney(amount)} HT.`}</span>
        <button type="button" class="button-secondary button-small" onClick={props.remove}>
          Retirer la ligne<span class="visually-hidden"> — {name}</span>
        </button>
      </p>
      {props.move && props.move.targets.length > 0 ? <MoveLine id={fieldId(p('move'))} name={name} {...props.move} /> : null}
    </fieldset>
  );
}

/**
 * Sends the line to another lot: the lot is chosen first, then the button moves the line (a
 * choice alone never moves anything, so arrowing through the list is safe).
 */
function MoveLine(props: { id: string; name: string; targets: ReadonlyArray<{ index: number; label: string }>; to(index: number): void }) {
  const [chosen, setChosen] = useState('');
  const target = props.targets.find((t) => String(t.index) === chosen) ?? props.targets[0]!;
  return (
    <div class="row line-move">
      <SelectField
        id={props.id}
        label={`Déplacer vers — ${props.name}`}
        value={String(target.index)}
        options={props.targets.map((t) => ({ value: String(t.index), label: t.label }))}
        onChange={setChosen}
      />
      <button type="button" class="button-secondary button-small" onClick={() => props.to(target.index)}>
        Déplacer la ligne vers le lot {target.index + 1}
        <span class="visually-hidden"> — {props.name}</span>
      </button>
    </div>
  );
}

/** « 276 tablettes ou ordinateurs », « 543 enseignants × 3 » : what a computed line follows. */
export function computedNoteOf(line: DraftLine, devices: number, teachers: number): string | undefined {
  if (line.quantityMode === 'devices') return `une par appareil : ${formatCount(devices, 'tablette ou ordinateur', 'tablettes ou ordinateurs')} dans le lot`;
  if (line.quantityMode === 'teachers') return `${formatCount(teachers, 'enseignant', 'enseignants')} des établissements du lot × ${formatInteger(line.perTeacher ?? 0)}`;
  return undefined;
}

/**
 * A column of quantities copied from a spreadsheet, one per establishment in the list's order
 * (empty cells leave the establishment out): thirty lycées need not be typed one by one.
 */
function QuantityColumn(props: { id: string; name: string; sites: readonly DraftSite[]; onPaste: (quantities: Record<string, number | undefined>) => void }) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const apply = () => {
    const cells = text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split(/[\n\t]/);
    if (cells.length !== props.sites.length) {
      setProblem(`${formatCount(cells.length, 'quantité collée', 'quantités collées')} pour ${formatCount(props.sites.length, 'établissement', 'établissements')} : une par établissement, dans l’ordre de la liste.`);
      return;
    }
    const values = cells.map((c) => (c.trim() === '' ? 0 : parseFrenchNumber(c)));
    const bad = values.findIndex((v) => v === undefined || !Number.isInteger(v) || v < 0);
    if (bad >= 0) {
      setProblem(`Ligne ${bad + 1} : « ${cells[bad]!.trim()} » n’est pas un nombre entier.`);
      return;
    }
    setProblem(undefined);
    setText('');
    props.onPaste(Object.fromEntries(props.sites.map((site, i) => [site.id, values[i]! > 0 ? values[i] : undefined])));
  };
  return (
    <div class="row line">
      <TextArea
        id={props.id}
        label={`Coller une colonne de quantités — ${props.name}`}
        hint="Une quantité par établissement, dans l’ordre de la liste ; une cellule vide : aucune livraison."
        rows={2}
        value={text}
        error={problem}
        onInput={setText}
      />
      <button type="button" class="button-secondary button-small" onClick={apply} disabled={text.trim() === ''}>
        Reprendre les quantités collées<span class="visually-hidden"> — {props.name}</span>
      </button>
    </div>
  );
}
