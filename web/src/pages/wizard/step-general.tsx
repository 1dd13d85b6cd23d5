import { Checkbox, NumberField, SelectField, TextArea, TextField } from '../../components/fields.tsx';
import { focusSoon } from '../../components/line-editor.tsx';
import { nextId, type DraftTranche } from '../../draft.ts';
import {
  BUYER_TYPE_LABELS,
  CONTRACT_FORM_CHOICES,
  FRAMEWORK_TYPE_LABELS,
  options,
  PRICE_FORM_LABELS,
  PRICE_TYPE_LABELS,
  PROCEDURE_SHORT_LABELS,
  RENEWAL_KIND_LABELS,
  START_LABELS,
} from '../../labels.ts';
import { fieldId } from '../../validation.ts';
import { deadlineFromField, deadlineToField } from '../../deadline.ts';
import type { StepProps } from './types.ts';

/** Step 1: the framework version, the buyer, the procedure and the contract. */
export function StepGeneral({ draft, catalogue, update, error, touch }: StepProps) {
  const chosen = catalogue.frameworks.find((f) => f.id === draft.framework?.id);
  const versions = chosen ? Array.from({ length: chosen.version }, (_, i) => chosen.version - i) : [];
  const f = (path: string) => ({ id: fieldId(path), error: error(path), onBlur: () => touch(path) });
  return (
    <>
      <fieldset>
        <legend>Référentiel</legend>
        <SelectField
          id={fieldId('framework.id')}
          label="Référentiel de critères"
          value={draft.framework?.id ?? ''}
          options={catalogue.frameworks.map((fw) => ({ value: fw.id, label: fw.title }))}
          onChange={(id) => {
            const fw = catalogue.frameworks.find((x) => x.id === id);
            if (fw) update((d) => (d.framework = { id: fw.id, version: fw.version }));
          }}
        />
        <SelectField
          id={fieldId('framework.version')}
          label="Version"
          hint="La plus récente est proposée ; une version publiée ne change plus, le CCTP reste reproductible."
          value={String(draft.framework?.version ?? '')}
          options={versions.map((v) => ({ value: String(v), label: v === chosen?.version ? `Version ${v} (la plus récente)` : `Version ${v}` }))}
          onChange={(v) => update((d) => d.framework && (d.framework.version = Number(v)))}
          error={error('framework.version')}
        />
        {catalogue.framework ? (
          <p class="muted">
            {catalogue.framework.reference} — publiée le {new Date(`${catalogue.framework.publishedAt ?? ''}T00:00:00Z`).toLocaleDateString('fr-FR', { timeZone: 'UTC' })},{' '}
            {catalogue.framework.criteria.length} critères.
          </p>
        ) : null}
      </fieldset>

      <fieldset>
        <legend>Acheteur</legend>
        <TextField {...f('buyer.name')} label="Nom de l’acheteur" required autocomplete="organization" value={draft.buyer.name} maxLength={200} onInput={(v) => update((d) => (d.buyer.name = v))} />
        <SelectField
          id={fieldId('buyer.type')}
          label="Type d’acheteur"
          value={draft.buyer.type}
          options={options(BUYER_TYPE_LABELS)}
          onChange={(v) => update((d) => (d.buyer.type = v))}
        />
        <TextField {...f('buyer.address')} label="Adresse" value={draft.buyer.address} maxLength={300} autocomplete="street-address" onInput={(v) => update((d) => (d.buyer.address = v))} />
        <TextField
          {...f('buyer.siret')}
          label="SIRET de l’acheteur"
          hint="14 chiffres, sans espace : le numéro de l’établissement acheteur, sur annuaire-entreprises.data.gouv.fr."
          value={draft.kept.buyer?.siret ?? ''}
          maxLength={20}
          inputMode="numeric"
          onInput={(v) =>
            update((d) => {
              const { siret: _siret, ...rest } = d.kept.buyer ?? {};
              const siret = v.replace(/\s+/g, '');
              d.kept.buyer = siret ? { ...rest, siret } : rest;
            })
          }
        />
      </fieldset>

      <fieldset>
        <legend>Consultation</legend>
        <TextField {...f('title')} label="Objet du marché" required value={draft.title} maxLength={300} onInput={(v) => update((d) => (d.title = v))} />
        <div class="row">
          <TextField {...f('reference')} label="Référence interne" hint="Par exemple MAPA-2026-04." value={draft.reference} maxLength={60} onInput={(v) => update((d) => (d.reference = v))} />
          <TextField
            {...f('consultationDate')}
            type="date"
            label="Date de lancement de la consultation"
            hint="Elle date le document et fixe les règles applicables."
            required
            value={draft.consultationDate}
            onInput={(v) => update((d) => (d.consultationDate = v))}
          />
        </div>
        <div class="row">
          <TextField
            {...f('offerDeadline')}
            type="datetime-local"
            label="Date et heure limites de remise des offres"
            hint="Heure de Paris."
            value={deadlineToField(draft.kept.offerDeadline)}
            onInput={(v) =>
              update((d) => {
                const deadline = deadlineFromField(v);
                if (deadline) d.kept.offerDeadline = deadline;
                else delete d.kept.offerDeadline;
              })
            }
          />
        </div>
        <div class="row">
          <TextField
            {...f('executionPlace.inseeCode')}
            label="Code INSEE de la commune du lieu d’exécution"
            hint="5 caractères du code officiel géographique, par exemple 26362 (Valence) ou 2A004 (Ajaccio) ; ce n’est pas le code postal."
            value={draft.kept.executionPlace?.inseeCode ?? ''}
            maxLength={5}
            onInput={(v) => update((d) => setExecutionPlace(d, { inseeCode: v.trim().toUpperCase() }))}
          />
          <TextField
            {...f('executionPlace.name')}
            label="Commune du lieu d’exécution"
            value={draft.kept.executionPlace?.name ?? ''}
            maxLength={200}
            onInput={(v) => update((d) => setExecutionPlace(d, { name: v }))}
          />
        </div>
        <SelectField id={fieldId('procedure')} label="Procédure" value={draft.procedure} options={options(PROCEDURE_SHORT_LABELS)} onChange={(v) => update((d) => (d.procedure = v))} error={error('procedure')} />
        <TextArea {...f('context')} label="Contexte du projet" hint="Établissements concernés, équipement existant, usages pédagogiques visés." rows={4} maxLength={4000} value={draft.context} onInput={(v) => update((d) => (d.context = v))} />
      </fieldset>
      <ContractTerms draft={draft} update={update} error={error} touch={touch} />
    </>
  );
}

/** The main place of execution: both fields empty, none; else the code (required by the API) and the name if given. */
function setExecutionPlace(d: StepProps['draft'], change: { inseeCode?: string; name?: string }): void {
  const place = { inseeCode: d.kept.executionPlace?.inseeCode ?? '', name: d.kept.executionPlace?.name ?? '', ...change };
  if (place.inseeCode === '' && place.name.trim() === '') delete d.kept.executionPlace;
  else d.kept.executionPlace = { inseeCode: place.inseeCode, ...(place.name.trim() ? { name: place.name } : {}) };
}

/** The contract: form, duration and renewals, start, tranches, price form and type (request version 2). */
function ContractTerms({ draft, update, error, touch }: Pick<StepProps, 'draft' | 'update' | 'error' | 'touch'>) {
  const c = draft.contract;
  const f = (path: string) => ({ id: fieldId(path), error: error(path), onBlur: () => touch(path) });
  const framework = c.form === 'framework-agreement';
  return (
    <fieldset>
      <legend>Marché</legend>
      <div class="row">
        <SelectField id={fieldId('contract.form')} label="Forme du marché" value={c.form} options={options(CONTRACT_FORM_CHOICES)} onChange={(v) => update((d) => (d.contract.form = v))} />
        {framework ? (
          <SelectField
            id={fieldId('contract.frameworkType')}
            label="Type d’accord-cadre"
            hint="Bons de commande : les prix et quantités sont fixés, l’acheteur commande au fil des besoins. Marchés subséquents : une remise en concurrence précise chaque commande."
            value={c.frameworkType}
            options={options(FRAMEWORK_TYPE_LABELS)}
            onChange={(v) => update((d) => (d.contract.frameworkType = v))}
          />
        ) : null}
      </div>
      <div class="row">
        <NumberField
          id={fieldId('contract.durationMonths')}
          label="Durée initiale (mois)"
          integer
          min={1}
          max={120}
          required={framework}
          value={c.durationMonths}
          error={error('contract.durationMonths')}
          onChange={(v) => update((d) => (d.contract.durationMonths = v))}
        />
        <NumberField
          id={fieldId('contract.renewals.count')}
          label="Nombre de reconductions"
          hint="0 : pas de reconduction."
          integer
          min={0}
          max={10}
          value={c.renewals.count}
          error={error('contract.renewals.count')}
          onChange={(v) => update((d) => (d.contract.renewals.count = v))}
        />
      </div>
      {c.renewals.count ? (
        <div class="row">
          <NumberField
            id={fieldId('contract.renewals.months')}
            label="Durée de chaque reconduction (mois)"
            hint="Vide : la durée initiale."
            integer
            min={1}
            max={60}
            value={c.renewals.months}
            error={error('contract.renewals.months')}
            onChange={(v) => update((d) => (d.contract.renewals.months = v))}
          />
          <SelectField
            id={fieldId('contract.renewals.kind')}
            label="Reconduction"
            value={c.renewals.kind}
            options={options(RENEWAL_KIND_LABELS)}
            onChange={(v) => update((d) => (d.contract.renewals.kind = v))}
          />
        </div>
      ) : null}
      {framework ? (
        <div class="row">
          <NumberField
            id={fieldId('contract.minimumAmount')}
            label="Montant minimum de l’accord-cadre (€ HT)"
            hint="Facultatif."
            suffix="€ HT"
            min={0}
            value={c.minimumAmount}
            error={error('contract.minimumAmount')}
            onChange={(v) => update((d) => (d.contract.minimumAmount = v))}
          />
          <NumberField
            id={fieldId('contract.maximumAmount')}
            label="Montant maximum de l’accord-cadre (€ HT)"
            hint="Un accord-cadre fixe un maximum (article R2162-4) : ici pour tout l’accord-cadre, ou lot par lot à l’étape « Lots et lignes »."
            suffix="€ HT"
            min={0}
            value={c.maximumAmount}
            error={error('contract.maximumAmount')}
            onChange={(v) => update((d) => (d.contract.maximumAmount = v))}
          />
        </div>
      ) : null}
      <div class="row">
        <SelectField id={fieldId('contract.start.kind')} label="Début d’exécution" value={c.start.kind} options={options(START_LABELS)} error={error('contract.start')} onChange={(v) => update((d) => (d.contract.start.kind = v))} />
        {c.start.kind === 'date' ? (
          <TextField {...f('contract.start.date')} type="date" label="Date de début" required value={c.start.date} onInput={(v) => update((d) => (d.contract.start.date = v))} />
        ) : null}
        {c.start.kind === 'event' ? (
          <TextField {...f('contract.start.event')} label="Événement de début" hint="Par exemple « la notification du marché »." required maxLength={300} value={c.start.event} onInput={(v) => update((d) => (d.contract.start.event = v))} />
        ) : null}
      </div>
      <div class="row">
        <SelectField id={fieldId('contract.price.form')} label="Forme des prix" value={c.price.form} options={options(PRICE_FORM_LABELS)} onChange={(v) => update((d) => (d.contract.price.form = v))} />
        {c.price.form ? (
          <SelectField
            id={fieldId('contract.price.type')}
            label="Type de prix"
            hint="Ferme : inchangé ; actualisable : ajusté une fois avant l’exécution ; révisable : suit un indice pendant l’exécution."
            value={c.price.type}
            options={options(PRICE_TYPE_LABELS)}
            onChange={(v) => update((d) => (d.contract.price.type = v))}
          />
        ) : null}
      </div>
      {c.price.form && c.price.type !== 'firm' ? (
        <TextField {...f('contract.price.index')} label="Indice de référence" required maxLength={300} value={c.price.index} onInput={(v) => update((d) => (d.contract.price.index = v))} />
      ) : null}
      <Tranches draft={draft} update={update} error={error} />
    </fieldset>
  );
}

/** A firm tranche and optional ones, each affirmed by a deadline or a condition. */
function Tranches({ draft, update, error }: Pick<StepProps, 'draft' | 'update' | 'error'>) {
  const t = draft.contract.tranches;
  return (
    <div class="tranches">
      <Checkbox
        id={fieldId('contract.tranches')}
        label="Le marché comporte une tranche ferme et des tranches optionnelles"
        hint="Une tranche optionnelle n’est exécutée que si l’acheteur l’affermit."
        checked={t.enabled}
        onChange={(v) =>
          update((d) => {
            d.contract.tranches.enabled = v;
            if (v && d.contract.tranches.optional.length === 0) d.contract.tranches.optional.push({ id: 'tranche-1', title: '', content: '', deadline: '', condition: '' });
          })
        }
      />
      {t.enabled ? (
        <>
          <div class="row">
            <TextField id={fieldId('contract.tranches.firm.title')} label="Tranche ferme : intitulé" required maxLength={200} value={t.firmTitle} error={error('contract.tranches.firm.title')} onInput={(v) => update((d) => (d.contract.tranches.firmTitle = v))} />
            <TextField id={fieldId('contract.tranches.firm.content')} label="Tranche ferme : contenu" required maxLength={2000} value={t.firmContent} error={error('contract.tranches.firm.content')} onInput={(v) => update((d) => (d.contract.tranches.firmContent = v))} />
          </div>
          {t.optional.map((tranche, i) => {
            const p = (rest: string) => `contract.tranches.optional.${i}.${rest}`;
            const name = `Tranche optionnelle ${i + 1}`;
            const set = (mutate: (x: DraftTranche) => void) => update((d) => mutate(d.contract.tranches.optional[i]!));
            return (
              <fieldset key={tranche.id} class="card" id={fieldId(`contract.tranches.optional.${i}`)} tabIndex={-1}>
                <legend>{name}</legend>
                <div class="row">
                  <TextField id={fieldId(p('title'))} label={`${name} : intitulé`} required maxLength={200} value={tranche.title} error={error(p('title'))} onInput={(v) => set((x) => (x.title = v))} />
                  <TextField id={fieldId(p('content'))} label={`${name} : contenu`} required maxLength={2000} value={tranche.content} error={error(p('content'))} onInput={(v) => set((x) => (x.content = v))} />
                </div>
                <div class="row">
                  <TextField id={fieldId(p('affirmation.deadline'))} type="date" label={`${name} : affermie au plus tard le`} value={tranche.deadline} error={error(p('affirmation.deadline'))} onInput={(v) => set((x) => (x.deadline = v))} />
                  <TextField id={fieldId(p('affirmation'))} label={`${name} : condition d’affermissement`} maxLength={1000} value={tranche.condition} error={error(p('affirmation'))} onInput={(v) => set((x) => (x.condition = v))} />
                </div>
                <button
                  type="button"
                  class="button-secondary button-small"
                  onClick={() => {
                    update((d) => {
                      d.contract.tranches.optional.splice(i, 1);
                      for (const lot of d.lots) for (const line of [...lot.lines, ...lot.options.flatMap((o) => o.lines)]) if (line.tranche === tranche.id) line.tranche = '';
                    });
                    focusSoon(fieldId('contract.tranches.add'));
                  }}
                >
                  Retirer la {name.toLowerCase()}
                </button>
              </fieldset>
            );
          })}
          <button
            type="button"
            class="button-secondary"
            id={fieldId('contract.tranches.add')}
            onClick={() => {
              const id = nextId('tranche', t.optional.map((x) => x.id));
              update((d) => d.contract.tranches.optional.push({ id, title: '', content: '', deadline: '', condition: '' }));
              focusSoon(fieldId(`contract.tranches.optional.${t.optional.length}.title`));
            }}
          >
            Ajouter une tranche optionnelle
          </button>
        </>
      ) : null}
    </div>
  );
}
