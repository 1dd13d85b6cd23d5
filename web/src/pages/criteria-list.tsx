import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Criterion } from '../api.ts';
import { useApp } from '../app-context.ts';
import { SelectField, TextField } from '../components/fields.tsx';
import { Alert, Loading, Page } from '../components/page.tsx';
import { CATEGORIES, loadAllCriteria } from '../criteria.ts';
import { foldText as fold, formatCount, formatThreshold } from '../format.ts';
import { AUTHORITY_LABELS, CATEGORY_LABELS, LEVEL_LABELS } from '../labels.ts';
import { problemMessage } from '../messages.ts';

/** The ministry editors' list: latest version of each criterion, by category, searchable. */
export function CriteriaListPage(props: { query: URLSearchParams }) {
  const { api } = useApp();
  const category = props.query.get('categorie') ?? '';
  const [search, setSearch] = useState(props.query.get('q') ?? '');
  const [criteria, setCriteria] = useState<Criterion[] | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    setCriteria(undefined);
    loadAllCriteria(api, category ? [category] : CATEGORIES).then(setCriteria, (e: unknown) => setError(problemMessage(e)));
  }, [api, category]);

  const shown = useMemo(() => {
    const words = fold(search).split(/\s+/).filter(Boolean);
    return (criteria ?? []).filter((c) => {
      const text = fold(`${c.id} ${c.label} ${c.requirement} ${c.authority.reference}`);
      return words.every((w) => text.includes(w));
    });
  }, [criteria, search]);

  const setQuery = (next: { categorie?: string; q?: string }) => {
    const params = new URLSearchParams({ ...(next.categorie ?? category ? { categorie: next.categorie ?? category } : {}), ...((next.q ?? search) ? { q: next.q ?? search } : {}) });
    history.replaceState(null, '', `#/editeur/criteres${params.size > 0 ? `?${params}` : ''}`);
  };

  return (
    <Page title="Critères de référence" lead="Dernière version de chaque critère. Ouvrez-en un pour le modifier ou consulter son historique." wide>
      <form class="row" role="search" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          id="filter-category"
          label="Catégorie"
          value={category}
          options={[{ value: '', label: 'Toutes les catégories' }, ...CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))]}
          onChange={(v) => {
            const params = new URLSearchParams({ ...(v ? { categorie: v } : {}), ...(search ? { q: search } : {}) });
            location.hash = `#/editeur/criteres${params.size > 0 ? `?${params}` : ''}`;
          }}
        />
        <TextField
          id="filter-search"
          type="search"
          label="Rechercher"
          hint="Dans l’identifiant, l’intitulé, le texte et la source."
          value={search}
          onInput={(v) => {
            setSearch(v);
            setQuery({ q: v });
          }}
        />
      </form>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {!criteria && !error ? <Loading label="Chargement des critères…" /> : null}
      {criteria ? (
        <>
          <p role="status">
            {formatCount(shown.length, 'critère', 'critères')} sur {criteria.length}
          </p>
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Critères de référence</caption>
              <thead>
                <tr>
                  <th scope="col">Critère</th>
                  <th scope="col">Catégorie</th>
                  <th scope="col">Niveau</th>
                  <th scope="col">Seuil</th>
                  <th scope="col">Source</th>
                  <th scope="col">Version</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <a href={`#/editeur/criteres/${encodeURIComponent(c.id)}`}>{c.label}</a>
                      <br />
                      <code>{c.id}</code>
                    </td>
                    <td>{CATEGORY_LABELS[c.category]}</td>
                    <td>{LEVEL_LABELS[c.level]}</td>
                    <td>{formatThreshold(c.metric)}</td>
                    <td>{AUTHORITY_LABELS[c.authority.type]}</td>
                    <td>{c.version}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </Page>
  );
}
