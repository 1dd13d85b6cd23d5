import { useState } from 'preact/hooks';
import { lotMetric } from '../../../../src/core/model/requirement-text.ts';
import { itemLabel, itemOf } from '../../catalogue.ts';
import { lotLines, lotQuantities, moveLine, scaledCriteria, scaledQuantities } from '../../lot-lines.ts';
import { Checkbox, NumberField, SelectField, TextArea, TextField } from '../../components/fields.tsx';
import { computedNoteOf, focusSoon, LineEditor } from '../../components/line-editor.tsx';
import { emptyLine, emptyLot, type DraftLine, type DraftLot } from '../../draft.ts';
import { formatInteger, frenchSpacing } from '../../format.ts';
import { unitLabel } from '../../../../src/core/model/units.ts';
import { options, VISIT_LABELS } from '../../labels.ts';
import { fieldId } from '../../validation.ts';
import { LotEstimate } from './estimate.tsx';
import type { StepProps } from './types.ts';

/**
 * Step 3: lots, each with its lines as the buyer writes them (a packaged offer expands into
 * editable lines), computed quantities shown as computed, the accord-cadre's minimum and maximum,
 * priced options (PSE) and the site visit; the estimate follows as the buyer types.
 */
export function StepLots(props: StepProps) {
  const { draft, update, error } = props;
  // Said politely when a line moves to another lot (the focus follows the line there).
  const [notice, setNotice] = useState('');
  const move = (from: number, to: number) => {
    update((d) => d.lots.splice(to, 0, ...d.lots.splice(from, 1)));
    focusSoon(fieldId(`lots.${to}`));
  };
  return (
    <>
      {draft.lots.map((lot, index) => (
        <section key={index} class="card lot" id={fieldId(`lots.${index}`)} tabIndex={-1} aria-labelledby={`lot-${index}-title`}>
          <div class="card-head">
            <h2 id={`lot-${index}-title`}>
              Lot {index + 1}
              {lot.title.trim() ? ` : ${lot.title.trim()}` : ''}
            </h2>
            <span>
              {index > 0 ? (
                <button type="button" class="button-secondary button-small" onClick={() => move(index, index - 1)}>
                  Monter le lot {index + 1}
                </button>
              ) : null}{' '}
              {index < draft.lots.length - 1 ? (
                <button type="button" class="button-secondary button-small" onClick={() => move(index, index + 1)}>
                  Descendre le lot {index + 1}
                </button>
              ) : null}{' '}
              {draft.lots.length > 1 ? (
                <button
                  type="button"
                  class="button-secondary button-small"
                  onClick={() => {
                    update((d) => d.lots.splice(index, 1));
                    focusSoon(fieldId(`lots.${Math.max(0, index - 1)}`));
                  }}
                >
                  Supprimer le lot {index + 1}
                </button>
              ) : null}
            </span>
          </div>
          <LotEditor {...props} index={index} announce={setNotice} />
        </section>
      ))}
      <p id="lots-notice" role="status" class="visually-hidden">
        {notice}
      </p>
      <p>
        <button
          type="button"
          class="button-secondary"
          onClick={() => {
            update((d) => d.lots.push(emptyLot()));
            focusSoon(fieldId(`lots.${draft.lots.length}.title`));
          }}
        >
          Ajouter un lot
        </button>
      </p>
      {draft.lots.length === 1 ? (
        <TextArea
          id={fieldId('allotmentJustification')}
          label="Motif du lot unique"
          hint="L’allotissement est la règle (article L2113-10) ; un lot unique se justifie (L2113-11)."
          rows={2}
          value={draft.allotmentJustification}
          error={error('allotmentJustification')}
          onInput={(v) => update((d) => (d.allotmentJustification = v))}
        />
      ) : null}
    </>
  );
}

function LotEditor(props: StepProps & { index: number; announce: (text: string) => void }) {
  const { draft, catalogue, update, error, touch, index } = props;
  const lot = draft.lots[index]!;
  const p = (rest: string) => `lots.${index}.${rest}`;
  const set = (mutate: (l: DraftLot) => void) => update((d) => mutate(d.lots[index]!));
  const framework = draft.contract.form === 'framework-agreement';
  const { lines, devices, teachers } = lotQuantities(lot, draft.sites, catalogue.offers);
  const quantityOf = (i: number) => lines.find((l) => l.line === i)?.quantity ?? 0;
  const tranches = draft.contract.tranches.enabled ? draft.contract.tranches.optional : [];
  const lineProps = (line: DraftLine, path: string, name: string, quantity: number, change: (m: (l: DraftLine) => void) => void, remove: () => void) => ({
    path,
    name,
    line,
    sites: draft.sites,
    tranches,
    quantity,
    computedNote: computedNoteOf(line, devices, teachers),
    error,
    change,
    remove,
  });
  return (
    <>
      <div class="row">
        <TextField
          id={fieldId(p('title'))}
          label={`Intitulé du lot ${index + 1}`}
          required
          value={lot.title}
          maxLength={200}
          error={error(p('title'))}
          onBlur={() => touch(p('title'))}
          onInput={(v) => set((l) => (l.title = v))}
        />
        <TextField
          id={fieldId(p('cpv.main'))}
          label={`Code CPV principal du lot ${index + 1}`}
          hint="Facultatif : à défaut, celui de la première fourniture."
          maxLength={10}
          value={lot.cpvMain}
          error={error(p('cpv.main'))}
          onInput={(v) => set((l) => (l.cpvMain = v))}
        />
        <TextField
          id={fieldId(p('cpv.additional'))}
          label={`Codes CPV complémentaires du lot ${index + 1}`}
          hint="Séparés par des espaces."
          maxLength={200}
          value={lot.cpvAdditional}
          error={error(p('cpv.additional'))}
          onInput={(v) => set((l) => (l.cpvAdditional = v))}
        />
      </div>
      <OfferPicker {...props} />
      <fieldset>
        <legend>Lignes du lot {index + 1}</legend>
        {error(p('items')) ? (
          <p class="field-error" id={fieldId(p('items'))} tabIndex={-1}>
            {error(p('items'))}
          </p>
        ) : null}
        {lot.lines.length === 0 && !lot.offer ? <p class="muted">Aucune ligne : choisissez une offre packagée ou ajoutez des lignes.</p> : null}
        {lot.lines.map((line, i) => (
          <LineEditor
            key={i}
            {...lineProps(
              line,
              p(`items.${i}`),
              `Ligne ${i + 1} du lot ${index + 1}`,
              quantityOf(i),
              (m) => set((l) => m(l.lines[i]!)),
              () => {
                set((l) => l.lines.splice(i, 1));
                focusSoon(fieldId(p('add-line')));
              },
            )}
            move={{
              targets: draft.lots.flatMap((other, k) => (k === index ? [] : [{ index: k, label: `Lot ${k + 1}${other.title.trim() ? ` : ${other.title.trim()}` : ''}` }])),
              to: (k) => {
                const label = (line.itemId ? line.designation.trim() || itemLabel(line.itemId) : line.designation.trim()) || `Ligne ${i + 1}`;
                update((d) => moveLine(d, catalogue.offers, index, i, k));
                props.announce(frenchSpacing(`Ligne « ${label} » déplacée du lot ${index + 1} au lot ${k + 1}.`));
                // The focus follows the line to its new place, as it follows a lot moved up or down.
                focusSoon(fieldId(`lots.${k}.items.${draft.lots[k]!.lines.length}`));
              },
            }}
          />
        ))}
        <button
          type="button"
          class="button-secondary"
          id={fieldId(p('add-line'))}
          onClick={() => {
            set((l) => l.lines.push(emptyLine()));
            focusSoon(fieldId(p(`items.${lot.lines.length}.itemId`)));
          }}
        >
          Ajouter une ligne au lot {index + 1}
        </button>
      </fieldset>
      <CartSlots {...props} />
      {framework ? (
        <fieldset>
          <legend>Minimum et maximum du lot {index + 1}</legend>
          <p class="hint">
            Un accord-cadre fixe son maximum (article R2162-4) : sans maximum pour tout l’accord-cadre, chaque lot donne le sien, en montant ou en quantité, sur toute sa durée reconductions
            comprises.
          </p>
          <div class="row">
            <NumberField id={fieldId(p('minimumAmount'))} label={`Montant minimum du lot ${index + 1}`} suffix="€ HT" min={0} value={lot.minimumAmount} error={error(p('minimumAmount'))} onChange={(v) => set((l) => (l.minimumAmount = v))} />
            <NumberField
              id={fieldId(p('maximumAmount'))}
              label={`Montant maximum du lot ${index + 1}`}
              suffix="€ HT"
              min={0}
              required={draft.contract.maximumAmount === undefined && lot.maximumQuantity === undefined}
              value={lot.maximumAmount}
              error={error(p('maximumAmount'))}
              onChange={(v) => set((l) => (l.maximumAmount = v))}
            />
          </div>
          <div class="row">
            <NumberField id={fieldId(p('minimumQuantity'))} label={`Quantité minimum du lot ${index + 1}`} integer min={1} value={lot.minimumQuantity} error={error(p('minimumQuantity'))} onChange={(v) => set((l) => (l.minimumQuantity = v))} />
            <NumberField id={fieldId(p('maximumQuantity'))} label={`Quantité maximum du lot ${index + 1}`} integer min={1} value={lot.maximumQuantity} error={error(p('maximumQuantity'))} onChange={(v) => set((l) => (l.maximumQuantity = v))} />
          </div>
        </fieldset>
      ) : null}
      <fieldset>
        <legend>Options du lot {index + 1} (prestations supplémentaires éventuelles)</legend>
        <p class="hint">Les candidats chiffrent chaque option à part ; l’acheteur la retient ou non à l’attribution.</p>
        {lot.options.map((option, k) => {
          const o = (rest: string) => p(`options.${k}.${rest}`);
          const name = `Option ${k + 1} du lot ${index + 1}`;
          return (
            <fieldset key={k} class="card option" id={fieldId(p(`options.${k}`))} tabIndex={-1}>
              <legend>{name}</legend>
              <TextField id={fieldId(o('label'))} label={`Intitulé — ${name}`} required maxLength={200} value={option.label} error={error(o('label'))} onInput={(v) => set((l) => (l.options[k]!.label = v))} />
              <TextArea id={fieldId(o('description'))} label={`Description — ${name}`} required rows={2} value={option.description} error={error(o('description'))} onInput={(v) => set((l) => (l.options[k]!.description = v))} />
              {option.lines.map((line, j) => (
                <LineEditor
                  key={j}
                  {...lineProps(
                    line,
                    o(`lines.${j}`),
                    `Ligne ${j + 1} de l’option ${k + 1} du lot ${index + 1}`,
                    line.quantityMode === 'devices' ? devices : line.quantityMode === 'teachers' ? teachers * (line.perTeacher ?? 0) : line.quantityMode === 'sites' ? Object.values(line.sites).reduce<number>((a, b) => a + (b ?? 0), 0) : (line.quantity ?? 0),
                    (m) => set((l) => m(l.options[k]!.lines[j]!)),
                    () => {
                      set((l) => l.options[k]!.lines.splice(j, 1));
                      focusSoon(fieldId(o('add-line')));
                    },
                  )}
                />
              ))}
              {option.lines.length === 0 ? (
                <NumberField
                  id={fieldId(o('estimatedAmount'))}
                  label={`Montant estimé — ${name}`}
                  hint="Sans ligne détaillée : le montant estimé de l’option, pour vous seul."
                  suffix="€ HT"
                  min={0}
                  value={option.estimatedAmount}
                  error={error(o('estimatedAmount'))}
                  onChange={(v) => set((l) => (l.options[k]!.estimatedAmount = v))}
                />
              ) : null}
              <p class="actions">
                <button
                  type="button"
                  class="button-secondary button-small"
                  id={fieldId(o('add-line'))}
                  onClick={() => {
                    set((l) => l.options[k]!.lines.push(emptyLine()));
                    focusSoon(fieldId(o(`lines.${option.lines.length}.itemId`)));
                  }}
                >
                  Ajouter une ligne à l’option {k + 1}
                </button>{' '}
                <button
                  type="button"
                  class="button-secondary button-small"
                  onClick={() => {
                    set((l) => l.options.splice(k, 1));
                    focusSoon(fieldId(p('add-option')));
                  }}
                >
                  Supprimer l’option {k + 1}
                </button>
              </p>
            </fieldset>
          );
        })}
        <button
          type="button"
          class="button-secondary"
          id={fieldId(p('add-option'))}
          onClick={() => {
            set((l) => l.options.push({ label: '', description: '', lines: [], estimatedAmount: undefined }));
            focusSoon(fieldId(p(`options.${lot.options.length}.label`)));
          }}
        >
          Ajouter une option au lot {index + 1}
        </button>
      </fieldset>
      <fieldset>
        <legend>Visite des lieux — lot {index + 1}</legend>
        <SelectField
          id={fieldId(p('visit.kind'))}
          label={`Visite — lot ${index + 1}`}
          hint="Obligatoire : une offre sans visite est irrégulière ; facultative : proposée aux candidats."
          value={lot.visit.kind}
          options={options(VISIT_LABELS)}
          onChange={(v) => set((l) => (l.visit.kind = v))}
        />
        {lot.visit.kind !== 'none' ? (
          <div class="row">
            <TextArea
              id={fieldId(p('visit.dates'))}
              label={`Dates de visite — lot ${index + 1}`}
              hint="Une date par ligne, par exemple 12/01/2027."
              rows={2}
              value={lot.visit.dates}
              error={error(p('visit.dates'))}
              onInput={(v) => set((l) => (l.visit.dates = v))}
            />
            <TextArea
              id={fieldId(p('visit.booking'))}
              label={`Réservation d’une visite — lot ${index + 1}`}
              hint="Contact et délai pour prendre rendez-vous."
              rows={2}
              maxLength={500}
              value={lot.visit.booking}
              error={error(p('visit.booking'))}
              onInput={(v) => set((l) => (l.visit.booking = v))}
            />
          </div>
        ) : null}
        {lot.visit.kind !== 'none' && draft.sites.length > 0 ? (
          <fieldset class="checkbox-grid">
            <legend class="legend-small">Établissements visités — lot {index + 1} (aucun coché : ceux du lot)</legend>
            {draft.sites.map((site) => (
              <Checkbox
                key={site.id}
                id={fieldId(p(`visit.sites.${site.id}`))}
                label={site.name || 'Établissement sans nom'}
                checked={lot.visit.sites.includes(site.id)}
                onChange={(checked) =>
                  set((l) => {
                    l.visit.sites = checked ? draft.sites.map((s) => s.id).filter((id) => id === site.id || l.visit.sites.includes(id)) : l.visit.sites.filter((id) => id !== site.id);
                  })
                }
              />
            ))}
          </fieldset>
        ) : null}
      </fieldset>
      <LotEstimate {...props} />
      <TextArea
        id={fieldId(p('deliverySites'))}
        label={`Autres lieux de livraison — lot ${index + 1}`}
        hint="Facultatif, un lieu par ligne : pour des lieux qui ne sont pas des établissements de l’étape « Établissements »."
        rows={2}
        value={lot.deliverySites}
        error={error(p('deliverySites'))}
        onInput={(v) => set((l) => (l.deliverySites = v))}
      />
    </>
  );
}

/** Choose a packaged offer and how many: its items become editable lines. A kept offer (older drafts) shows its prices until detailed. */
function OfferPicker({ draft, catalogue, update, error, index }: StepProps & { index: number }) {
  const lot = draft.lots[index]!;
  const p = (rest: string) => `lots.${index}.${rest}`;
  const kept = lot.offer && catalogue.offers.find((o) => o.id === lot.offer!.offerId);
  const detail = (offerId: string, count: number) => {
    const offer = catalogue.offers.find((o) => o.id === offerId);
    if (!offer) return;
    update((d) => {
      const l = d.lots[index]!;
      for (const item of offer.items) l.lines.push({ ...emptyLine(), itemId: item.itemId, quantity: item.quantity * count, unitPrice: l.offer ? l.prices[item.itemId] : undefined });
      if (l.offer?.offerId === offerId) {
        l.offer = undefined;
        l.prices = {};
      }
    });
    focusSoon(fieldId(p(`items.${lot.lines.length}`)));
  };
  if (kept) {
    return (
      <fieldset>
        <legend>Offre packagée « {kept.label} »</legend>
        <p>
          {formatInteger(lot.offer!.count ?? 0)} × {kept.label} : {kept.items.map((i) => `${formatInteger(i.quantity * (lot.offer!.count ?? 0))} × ${itemLabel(i.itemId)}`).join(', ')}.
        </p>
        <div class="grid-prices">
          {kept.items.map((item) => (
            <NumberField
              key={item.itemId}
              id={fieldId(p(`estimatedUnitPrices.${item.itemId}`))}
              label={`Prix unitaire estimé — ${itemLabel(item.itemId)}`}
              suffix="€ HT"
              min={0}
              value={lot.prices[item.itemId]}
              error={error(p(`estimatedUnitPrices.${item.itemId}`))}
              onChange={(v) => update((d) => (d.lots[index]!.prices[item.itemId] = v))}
            />
          ))}
        </div>
        <button type="button" class="button-secondary" onClick={() => detail(kept.id, lot.offer!.count ?? 1)}>
          Détailler l’offre en lignes modifiables
        </button>
      </fieldset>
    );
  }
  return <OfferChooser index={index} offers={catalogue.offers} onChoose={detail} />;
}

function OfferChooser(props: { index: number; offers: StepProps['catalogue']['offers']; onChoose: (offerId: string, count: number) => void }) {
  const base = `lots.${props.index}.offer`;
  const [offerId, setOfferId] = useState('');
  const [count, setCount] = useState<number | undefined>(1);
  const offer = props.offers.find((o) => o.id === offerId);
  return (
    <fieldset class="offer-chooser">
      <legend>Partir d’une offre packagée</legend>
      <div class="row">
        <SelectField
          id={fieldId(`${base}.offerId`)}
          label={`Offre packagée — lot ${props.index + 1}`}
          hint="Une composition type (classe mobile…) : ses articles deviennent des lignes que vous pouvez modifier."
          value={offerId}
          options={[{ value: '', label: 'Choisir une offre…' }, ...props.offers.map((o) => ({ value: o.id, label: o.label }))]}
          onChange={setOfferId}
        />
        <NumberField id={fieldId(`${base}.count`)} label={`Nombre d’offres — lot ${props.index + 1}`} integer min={1} max={10000} value={count} onChange={setCount} />
      </div>
      {offer ? (
        <p class="muted">
          {offer.description} Composition : {offer.items.map((i) => `${formatInteger(i.quantity)} × ${itemLabel(i.itemId)}`).join(', ')}.
        </p>
      ) : null}
      <button
        type="button"
        class="button-secondary"
        disabled={!offer || !count}
        onClick={() => {
          if (offer && count) props.onChoose(offer.id, count);
          setOfferId('');
        }}
      >
        Ajouter les lignes de l’offre au lot {props.index + 1}
      </button>
    </fieldset>
  );
}

/** Charging slots follow the tablets each cart serves, plus the spare slots the buyer asks for: shown as computed, not typed. */
function CartSlots({ draft, catalogue, update, index }: StepProps & { index: number }) {
  const lot = draft.lots[index]!;
  const lines = lotLines(lot, draft.sites, catalogue.offers);
  const scaled = scaledCriteria(
    lines.map((l) => l.itemId),
    catalogue.criteria,
  );
  if (scaled.length === 0) return null;
  return (
    <fieldset>
      <legend>Quantités calculées — lot {index + 1}</legend>
      {scaled.map((criterion) => {
        const pooled = scaledQuantities(criterion.lotScale!, draft, catalogue.offers, index);
        const metric = lotMetric(criterion, pooled.quantities, lot.spareSlots ?? 0, pooled.perSite);
        const value = metric.type === 'numeric' ? metric.value : undefined;
        const per = criterion.lotScale!.per.map((id) => itemOf(id)?.label ?? id).join(', ');
        return (
          <p key={criterion.id} class="computed">
            {criterion.label} : <output>{value === undefined ? '—' : `au moins ${formatInteger(value)}${metric.type === 'numeric' ? `\u00a0${unitLabel(metric.unit, value)}` : ''}`}</output>, calculé d’après{' '}
            {criterion.lotScale!.count.map((id) => itemOf(id)?.label ?? id).join(', ')}
            {pooled.lots.length > 0 ? ` (${lotList(pooled.lots)})` : ''} par {per}
            {lot.spareSlots ? `, réserve de ${formatInteger(lot.spareSlots)} comprise` : ''}.
          </p>
        );
      })}
      <NumberField
        id={fieldId(`lots.${index}.spareSlots`)}
        label={`Emplacements de réserve par chariot — lot ${index + 1}`}
        hint="Ajoutés à ceux qu’exigent les tablettes servies."
        integer
        min={0}
        max={50}
        value={lot.spareSlots}
        onChange={(v) => update((d) => (d.lots[index]!.spareSlots = v))}
      />
    </fieldset>
  );
}

/** « lot 1 », « lots 1 et 3 »: where the counted items of a lot split from its packaged offer are. */
function lotList(numbers: readonly number[]): string {
  if (numbers.length === 1) return `lot ${numbers[0]}`;
  return `lots ${numbers.slice(0, -1).join(', ')} et ${numbers[numbers.length - 1]}`;
}
