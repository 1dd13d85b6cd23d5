/**
 * What every CatalogueReader does (src/app/ports/catalogue-reader.ts): run on the file reader, on
 * the repository reader over DynamoDB (test/integration/dynamodb-catalogue.test.ts) and over the
 * fake repository (test/contracts/fakes.test.ts). `create` gives a reader holding `catalogue`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalogue } from '#src/core/model/catalogue.ts';
import { NotFoundError } from '#src/core/model/errors.ts';
import type { CatalogueReader } from '#src/app/ports/catalogue-reader.ts';
import { CRITERIA, ITEMS, makeFramework, OFFERS } from '../support/fixtures.ts';

/**
 * The fixture catalogue with history: every criterion at versions 1 to its fixture version, the
 * fixture's storage criterion with a different version 1, and three framework versions: 1 pins the
 * storage criterion at version 1, 2 at version 2, both without item or offer pins (version 1 of
 * every item and offer); 3 pins one item and no offer.
 */
export function catalogueWithHistory(): Catalogue {
  const criteria = CRITERIA.flatMap((c) =>
    Array.from({ length: c.version }, (_, i) => ({ ...c, version: i + 1, ...(i + 1 < c.version ? { label: `${c.label} (v${i + 1})` } : {}) })),
  );
  const v2 = makeFramework({ version: 2, title: 'Socle numérique des écoles, révision' });
  const v1 = makeFramework({ criteria: v2.criteria.map((ref) => (ref.id === 'tablet.storage.user' ? { ...ref, version: 1 } : ref)) });
  const v3 = { ...v2, version: 3, items: [{ id: ITEMS[0]!.id, version: 1 }], offers: [] };
  return { criteria, frameworks: [v1, v2, v3], items: [...ITEMS], offers: [...OFFERS] };
}

export function catalogueReaderContract(name: string, create: (catalogue: Catalogue) => Promise<CatalogueReader>): void {
  describe(`${name} (CatalogueReader contract)`, () => {
    const catalogue = catalogueWithHistory();
    let reader: CatalogueReader;
    beforeAll(async () => {
      reader = await create(catalogue);
    });

    it('pins every criterion at the version the framework names, with every item and offer when it names none', async () => {
      for (const framework of catalogue.frameworks.filter((f) => f.items === undefined)) {
        const snapshot = await reader.snapshot(framework.id, framework.version);

        expect(snapshot.framework).toEqual(framework);
        expect([...snapshot.criteria.keys()]).toEqual(framework.criteria.map((ref) => ref.id));
        for (const ref of framework.criteria) {
          expect(snapshot.criteria.get(ref.id)).toEqual(catalogue.criteria.find((c) => c.id === ref.id && c.version === ref.version));
        }
        expect(new Map([...snapshot.items].sort())).toEqual(new Map(ITEMS.map((i) => [i.id, i] as const).sort()));
        expect(new Map([...snapshot.offers].sort())).toEqual(new Map(OFFERS.map((o) => [o.id, o] as const).sort()));
      }
      expect((await reader.snapshot('socle-numerique', 1)).criteria.get('tablet.storage.user')!.label).toBe('Stockage utilisateur (v1)');
      expect((await reader.snapshot('socle-numerique', 2)).criteria.get('tablet.storage.user')!.label).toBe('Stockage utilisateur');
    });

    it('pins only the items and offers a framework names when it names some', async () => {
      const snapshot = await reader.snapshot('socle-numerique', 3);

      expect([...snapshot.items]).toEqual([[ITEMS[0]!.id, ITEMS[0]]]);
      expect(snapshot.offers.size).toBe(0);
      expect(snapshot.framework).toEqual(catalogue.frameworks[2]);
    });

    it('answers NotFoundError naming the framework version it does not hold', async () => {
      await expect(reader.snapshot('socle-numerique', 4)).rejects.toMatchObject({ name: 'NotFoundError', resource: 'framework' });
      await expect(reader.snapshot('inconnu', 1)).rejects.toBeInstanceOf(NotFoundError);
      await expect(reader.snapshot('Pas Un Id', 1)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('hands out snapshots that a caller cannot change for the next one', async () => {
      const first = await reader.snapshot('socle-numerique', 2);
      first.framework.title = 'Changé';
      first.criteria.get('tablet.storage.user')!.label = 'Changé';

      const second = await reader.snapshot('socle-numerique', 2);

      expect(second.framework.title).toBe('Socle numérique des écoles, révision');
      expect(second.criteria.get('tablet.storage.user')!.label).toBe('Stockage utilisateur');
    });
  });
}
