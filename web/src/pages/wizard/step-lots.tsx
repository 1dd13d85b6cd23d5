import { ITEMS, itemLabel, itemOf, lotLines } from '../../catalogue.ts';
import { NumberField, SelectField, TextArea, TextField } from '../../components/fields.tsx';
import { emptyLot } from '../../draft.ts';
import { formatInteger, formatMoney } from '../../format.ts';
import { fieldId } from '../../validation.ts';
import type { StepProps } from './types.ts';

/** Step 2: lots, each a packaged offer and/or items à la carte, with quantities and estimated prices. */
export function StepLots({ draft, catalogue, update, error, touch }: StepProps) {
  return (
    <>
      {draft.lots.map((lot, index) => {
        const p = (rest: string) => `lots.${index}.${rest}`;
        const lines = lotLines(lot, catalogue.offers);
        const offer = catalogue.offers.find((o) => o.id === lot.offerId);
        const total = lines.reduce((sum, l) => sum + (lot.prices[l.itemId] ?? 0) * l.quantity, 0);
        return (
          <section key={index} class="card lot" aria-labelledby={`lot-${index}-title`}>
            <div class="card-head">
              <h2 id={`lot-${index}-title`}>Lot {index + 1}</h2>
              {draft.lots.length > 1 ? (
                <button type="button" class="button-secondary button-small" onClick={() => update((d) => d.lots.splice(index, 1))}>
                  Supprimer le lot {index + 1}
                </button>
              ) : null}
            </div>
            <TextField
              id={fieldId(p('title'))}
              label={`Intitulé du lot ${index + 1}`}
              required
              value={lot.title}
              maxLength={200}
              error={error(p('title'))}
              onBlur={() => touch(p('title'))}
              onInput={(v) => update((d) => (d.lots[index]!.title = v))}
            />
            <fieldset>
              <legend>Offre packagée</legend>
              <div class="row">
                <SelectField
                  id={fieldId(p('offer.offerId'))}
                  label="Offre"
                  hint="Une composition type (classe mobile…) ; vous pouvez y ajouter des équipements."
                  value={lot.offerId}
                  options={[{ value: '', label: 'Aucune offre packagée' }, ...catalogue.offers.map((o) => ({ value: o.id, label: o.label }))]}
                  onChange={(v) => update((d) => (d.lots[index]!.offerId = v))}
                />
                {lot.offerId ? (
                  <NumberField
                    id={fieldId(p('offer.count'))}
                    label="Nombre d’offres"
                    integer
                    min={1}
                    max={10000}
                    value={lot.offerCount}
                    error={error(p('offer.count'))}
                    onChange={(v) => update((d) => (d.lots[index]!.offerCount = v))}
                  />
                ) : null}
              </div>
              {offer ? (
                <p class="muted">
                  {offer.description} Composition : {offer.items.map((i) => `${formatInteger(i.quantity)} × ${itemLabel(i.itemId)}`).join(', ')}.
                </p>
              ) : null}
            </fieldset>
            <fieldset>
              <legend>Équipements et prestations à la carte</legend>
              {error(p('items')) ? <p class="field-error" id={fieldId(p('items'))} tabIndex={-1}>{error(p('items'))}</p> : null}
              {lot.items.length === 0 ? <p class="muted">Aucun équipement ajouté.</p> : null}
              {lot.items.map((line, i) => (
                <div class="row line" key={i}>
                  <SelectField
                    id={fieldId(p(`items.${i}.itemId`))}
                    label={`Équipement ${i + 1}`}
                    value={line.itemId}
                    options={[{ value: '', label: 'Choisir…' }, ...ITEMS.map((it) => ({ value: it.id, label: it.label }))]}
                    onChange={(v) => update((d) => (d.lots[index]!.items[i]!.itemId = v))}
                  />
                  <NumberField
                    id={fieldId(p(`items.${i}.quantity`))}
                    label={`Quantité de l’équipement ${i + 1}`}
                    integer
                    min={1}
                    suffix={itemOf(line.itemId)?.unit}
                    value={line.quantity}
                    error={error(p(`items.${i}.quantity`))}
                    onChange={(v) => update((d) => (d.lots[index]!.items[i]!.quantity = v))}
                  />
                  <button type="button" class="button-secondary button-small" onClick={() => update((d) => d.lots[index]!.items.splice(i, 1))}>
                    Retirer l’équipement {i + 1}
                  </button>
                </div>
              ))}
              <button type="button" class="button-secondary" onClick={() => update((d) => d.lots[index]!.items.push({ itemId: '', quantity: 1 }))}>
                Ajouter un équipement au lot {index + 1}
              </button>
            </fieldset>
            {lines.length > 0 ? (
              <fieldset>
                <legend>Prix unitaires estimés (HT)</legend>
                <p class="hint">Ils servent à l’estimation de l’aide et au choix de la procédure ; ils ne sont pas publiés dans le CCTP.</p>
                <div class="grid-prices">
                  {lines.map((line) => (
                    <NumberField
                      key={line.itemId}
                      id={fieldId(p(`estimatedUnitPrices.${line.itemId}`))}
                      label={`${itemLabel(line.itemId)} (${formatInteger(line.quantity)} ${itemOf(line.itemId)?.unit ?? ''})`}
                      suffix="€ HT"
                      min={0}
                      value={lot.prices[line.itemId]}
                      error={error(p(`estimatedUnitPrices.${line.itemId}`))}
                      onChange={(v) => update((d) => (d.lots[index]!.prices[line.itemId] = v))}
                    />
                  ))}
                </div>
                <p>
                  Montant estimé du lot : <strong>{formatMoney(total)} HT</strong>
                </p>
              </fieldset>
            ) : null}
            <TextArea
              id={fieldId(p('deliverySites'))}
              label="Lieux de livraison"
              hint="Un lieu par ligne."
              rows={2}
              value={lot.deliverySites}
              error={error(p('deliverySites'))}
              onInput={(v) => update((d) => (d.lots[index]!.deliverySites = v))}
            />
          </section>
        );
      })}
      <p>
        <button type="button" class="button-secondary" onClick={() => update((d) => d.lots.push(emptyLot()))}>
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
