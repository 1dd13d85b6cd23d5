import { useState } from 'preact/hooks';
import { NumberField, TextArea, TextField } from '../../components/fields.tsx';
import { focusSoon } from '../../components/line-editor.tsx';
import { emptySite, nextId } from '../../draft.ts';
import { formatCount } from '../../format.ts';
import { parseSiteTable, SITE_COLUMN_LABELS, SITE_COLUMNS, UAI_PATTERN } from '../../site-table.ts';
import { fieldId } from '../../validation.ts';
import type { StepProps } from './types.ts';

/**
 * Step 2: the establishments to deliver and install (name, address, UAI, pupils, teachers,
 * delivery periods), typed or pasted from a spreadsheet. Lines can then give quantities per
 * establishment, and training hours follow their teachers.
 */
export function StepSites({ draft, update, error, touch }: StepProps) {
  const [pasted, setPasted] = useState('');
  const [report, setReport] = useState<{ added: number; problems: Array<{ row: number; message: string }> } | undefined>();
  const add = () => {
    const id = nextId('site', draft.sites.map((s) => s.id));
    update((d) => d.sites.push(emptySite(id)));
    focusSoon(fieldId(`sites.${draft.sites.length}.name`));
  };
  const paste = () => {
    const { sites, problems } = parseSiteTable(pasted);
    update((d) => {
      for (const site of sites) d.sites.push({ id: nextId('site', d.sites.map((s) => s.id)), ...site });
    });
    setReport({ added: sites.length, problems });
    if (problems.length === 0) setPasted('');
    focusSoon('paste-report');
  };
  return (
    <>
      <p class="lead">
        Les établissements à livrer figurent au CCTP et au détail quantitatif ; les quantités peuvent ensuite être données établissement par établissement. Cette étape est facultative pour une
        livraison en un seul lieu.
      </p>
      <section class="card" aria-labelledby="paste-title">
        <h2 id="paste-title">Coller un tableau</h2>
        <TextArea
          id="sites-paste"
          label="Lignes copiées d’un tableur"
          hint={`Une ligne par établissement, colonnes séparées par des tabulations : ${SITE_COLUMNS.map((c) => SITE_COLUMN_LABELS[c]).join(', ')}. Une première ligne de titres de colonnes est reconnue.`}
          rows={5}
          value={pasted}
          onInput={setPasted}
        />
        <button type="button" class="button-secondary" onClick={paste} disabled={pasted.trim() === ''}>
          Ajouter les établissements collés
        </button>
        <div id="paste-report" tabIndex={-1} role="status">
          {report ? (
            <>
              <p>{report.added === 0 ? 'Aucun établissement ajouté.' : `${formatCount(report.added, 'établissement ajouté', 'établissements ajoutés')}.`}</p>
              {report.problems.length > 0 ? (
                <ul class="field-error">
                  {report.problems.map((p) => (
                    <li key={p.row}>
                      Ligne {p.row} non reprise : {p.message}.
                    </li>
                  ))}
                </ul>
              ) : null}
            </>
          ) : null}
        </div>
      </section>
      <h2>{draft.sites.length === 0 ? 'Aucun établissement' : formatCount(draft.sites.length, 'établissement', 'établissements')}</h2>
      {draft.sites.map((site, i) => {
        const p = (rest: string) => `sites.${i}.${rest}`;
        const name = `Établissement ${i + 1}`;
        const uaiProblem = site.uai.trim() !== '' && !UAI_PATTERN.test(site.uai.trim()) ? 'Code UAI attendu : 7 chiffres puis une lettre majuscule, par exemple 0050012A.' : undefined;
        return (
          <fieldset key={site.id} class="card site" id={fieldId(`sites.${i}`)} tabIndex={-1}>
            <legend>
              {name}
              {site.name ? ` : ${site.name}` : ''}
            </legend>
            <div class="row">
              <TextField id={fieldId(p('name'))} label={`Nom — ${name}`} required maxLength={200} value={site.name} error={error(p('name'))} onBlur={() => touch(p('name'))} onInput={(v) => update((d) => (d.sites[i]!.name = v))} />
              <TextField
                id={fieldId(p('uai'))}
                label={`Code UAI — ${name}`}
                hint="Immatriculation de l’établissement scolaire : 7 chiffres et une lettre."
                maxLength={8}
                value={site.uai}
                error={uaiProblem ?? error(p('uai'))}
                onInput={(v) => update((d) => (d.sites[i]!.uai = v.toUpperCase()))}
              />
            </div>
            <TextField id={fieldId(p('address'))} label={`Adresse — ${name}`} maxLength={300} value={site.address} error={error(p('address'))} onInput={(v) => update((d) => (d.sites[i]!.address = v))} />
            <div class="row">
              <NumberField id={fieldId(p('pupils'))} label={`Élèves — ${name}`} integer min={0} max={20000} value={site.pupils} error={error(p('pupils'))} onChange={(v) => update((d) => (d.sites[i]!.pupils = v))} />
              <NumberField id={fieldId(p('teachers'))} label={`Enseignants — ${name}`} integer min={0} max={2000} value={site.teachers} error={error(p('teachers'))} onChange={(v) => update((d) => (d.sites[i]!.teachers = v))} />
            </div>
            <TextField
              id={fieldId(p('deliveryPeriods'))}
              label={`Périodes de livraison — ${name}`}
              hint="Jours et heures où livrer et installer est possible."
              maxLength={500}
              value={site.deliveryPeriods}
              error={error(p('deliveryPeriods'))}
              onInput={(v) => update((d) => (d.sites[i]!.deliveryPeriods = v))}
            />
            <button
              type="button"
              class="button-secondary button-small"
              onClick={() => {
                update((d) => {
                  d.sites.splice(i, 1);
                  for (const lot of d.lots) {
                    for (const line of [...lot.lines, ...lot.options.flatMap((o) => o.lines)]) delete line.sites[site.id];
                    lot.visit.sites = lot.visit.sites.filter((id) => id !== site.id);
                  }
                });
                focusSoon(draft.sites.length > 1 ? fieldId(`sites.${Math.max(0, i - 1)}.name`) : 'site-add');
              }}
            >
              Retirer l’établissement<span class="visually-hidden"> {i + 1}</span>
            </button>
          </fieldset>
        );
      })}
      <p>
        <button type="button" class="button-secondary" id="site-add" onClick={add}>
          Ajouter un établissement
        </button>
      </p>
    </>
  );
}
