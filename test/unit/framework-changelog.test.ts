import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '#src/adapters/files/load-catalogue.ts';
import type { AuditEntry } from '#src/core/audit/audit-entry.ts';
import { changelogMarkdown, publicationChanges } from '#src/core/audit/changelog.ts';
import type { Framework } from '#src/core/model/catalogue.ts';
import type { Criterion } from '#src/core/model/criterion.ts';
import { CATALOGUE_DIR } from '#src/entry/paths.ts';

let base: Framework;
let storage: Criterion;
beforeAll(async () => {
  const catalogue = await loadCatalogue(CATALOGUE_DIR);
  base = catalogue.frameworks.find((f) => f.id === 'carmo-education' && f.version === 3)!;
  const ref = base.criteria.find((c) => c.id === 'tablet.storage.user')!;
  storage = catalogue.criteria.find((c) => c.id === ref.id && c.version === ref.version)!;
});

/** The next version of the storage criterion with `edit` applied, and the framework pinning it. */
function next(edit: Partial<Criterion>): { candidate: Framework; versions: Criterion[] } {
  const after: Criterion = { ...storage, ...edit, version: storage.version + 1 };
  const candidate: Framework = { ...base, version: 4, publishedAt: '2027-01-04', criteria: base.criteria.map((c) => (c.id === storage.id ? { id: c.id, version: after.version } : c)) };
  return { candidate, versions: [storage, after] };
}

const entry = (reason: string): AuditEntry => ({ target: { kind: 'framework', id: 'carmo-education', version: 4 }, actor: 'editor-1', at: '2027-01-04T08:00:00.000Z', reason, changes: [] });

describe('publication changes and changelog', () => {
  it('classifies a raised threshold as tightened, with the CCTP text before → after', () => {
    const metric = { ...storage.metric, value: 64 } as Criterion['metric'];
    const { candidate, versions } = next({ metric });

    const [change, ...others] = publicationChanges(base, candidate, versions);

    expect(others).toEqual([]);
    expect(change!.changes).toEqual(['tightened']);
    expect(change!.before!.text).toMatch(/au moins 32\sGo/);
    expect(change!.after!.text).toMatch(/au moins 64\sGo/);
    expect(change!.after!.level).toBe('Exigence minimale');
  });

  it('prints version, date, author, reason and each field before → after, the same bytes twice, user text kept as data', () => {
    const { candidate, versions } = next({ level: 'assessed', label: 'Stockage *utilisateur* <b>' });
    const changes = publicationChanges(base, candidate, versions);

    const markdown = changelogMarkdown(candidate, base, entry('Rentrée 2027\n# pas un titre [lien](x)'), changes);

    expect(markdown).toBe(changelogMarkdown(candidate, base, entry('Rentrée 2027\n# pas un titre [lien](x)'), changes));
    expect(markdown).toContain('- Version : 4 (remplace la version 3)\n- Date de publication : 2027-01-04\n- Auteur : editor-1\n');
    expect(markdown).toContain('- Motif : Rentrée 2027 \\# pas un titre \\[lien\\](x)\n');
    expect(markdown).toContain(`(\`tablet.storage.user\`, v${storage.version} → v${storage.version + 1})\n\nChangement : devient seulement apprécié.`);
    expect(markdown).toContain('- Intitulé : Stockage utilisateur de la tablette → Stockage \\*utilisateur\\* \\<b\\>\n- Niveau : Exigence minimale → Appréciée\n');
    expect(markdown).not.toContain('- Seuil');
    expect(markdown.match(/^#{1,3} /gm)).toHaveLength(3);
  });

  it('says so when no criterion changed, and when the audit trail has no entry', () => {
    const markdown = changelogMarkdown({ ...base, version: 4 }, base, undefined, []);

    expect(markdown).toContain('- Auteur : non enregistré dans le journal\n- Motif : non enregistré dans le journal\n');
    expect(markdown).toContain('Aucun critère ne change de version.');
  });
});
