import { NumberField, SelectField, TextArea, TextField } from '../../components/fields.tsx';
import { BUYER_TYPE_LABELS, CONTRACT_FORM_LABELS, options, PROCEDURE_SHORT_LABELS } from '../../labels.ts';
import { fieldId } from '../../validation.ts';
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
        <SelectField id={fieldId('procedure')} label="Procédure" value={draft.procedure} options={options(PROCEDURE_SHORT_LABELS)} onChange={(v) => update((d) => (d.procedure = v))} error={error('procedure')} />
        <div class="row">
          <SelectField
            id={fieldId('contract.form')}
            label="Forme du marché"
            value={draft.contract.form}
            options={options(CONTRACT_FORM_LABELS)}
            onChange={(v) => update((d) => (d.contract.form = v))}
          />
          <NumberField
            id={fieldId('contract.durationMonths')}
            label="Durée (mois)"
            integer
            min={1}
            max={120}
            required={draft.contract.form === 'framework-agreement'}
            value={draft.contract.durationMonths}
            error={error('contract.durationMonths')}
            onChange={(v) => update((d) => (d.contract.durationMonths = v))}
          />
        </div>
        {draft.contract.form === 'framework-agreement' ? (
          <NumberField
            id={fieldId('contract.maximumAmount')}
            label="Montant maximum (€ HT)"
            hint="Obligatoire pour un accord-cadre (article R2162-4)."
            suffix="€ HT"
            min={0}
            value={draft.contract.maximumAmount}
            error={error('contract.maximumAmount')}
            onChange={(v) => update((d) => (d.contract.maximumAmount = v))}
          />
        ) : null}
        <TextArea {...f('context')} label="Contexte du projet" hint="Établissements concernés, équipement existant, usages pédagogiques visés." rows={4} maxLength={4000} value={draft.context} onInput={(v) => update((d) => (d.context = v))} />
      </fieldset>
    </>
  );
}
