/**
 * Item and offer versions, end to end on a store (issue #18): a tender stored on a framework
 * version regenerates byte for byte after an editor rewrites an item's label and an offer's
 * composition and publishes the next version, and a tender on that next version reads the new
 * ones. Run on the fakes (test/contracts/in-process.test.ts) and on DynamoDB and S3
 * (test/integration/dynamodb-catalogue.test.ts), with the real renderers.
 */
import { describe, expect, it } from 'vitest';
import { cahierOutputRegistry } from '#src/adapters/render/registry.ts';
import { ManualClock, SequentialIds } from '#src/adapters/memory/system.ts';
import { RepositoryCatalogueReader } from '#src/adapters/stores/repository-catalogue-reader.ts';
import { updateItem, updateOffer } from '#src/app/catalogue-entries-admin.ts';
import { publishFrameworkVersion } from '#src/app/criteria-admin.ts';
import { evaluateTender, parseTenderRequest } from '#src/app/generate-documents.ts';
import { generateTender, regenerateTender, type TenderDeps, type TenderOutcome } from '#src/app/generate-tender.ts';
import type { AuditLog } from '#src/app/ports/audit-log.ts';
import type { CriteriaRepository } from '#src/app/ports/criteria-repository.ts';
import type { DocumentStore } from '#src/app/ports/document-store.ts';
import type { TenderRepository } from '#src/app/ports/tender-repository.ts';
import { seedCatalogue } from '#src/app/seed-catalogue.ts';
import { defaultTemplateEngine } from '#src/entry/pipeline.ts';
import { pdfText } from '../support/pdf-text.ts';
import { example } from '../support/pipeline.ts';
import { repositoryCatalogue } from '../use-cases/world.ts';

export interface VersionedStores {
  criteria: CriteriaRepository;
  tenders: TenderRepository;
  documents: DocumentStore;
  audit: AuditLog;
}

/** Formats of the stored tenders: the CCTP, the Word and Excel files, the open data and the buyer's note. */
const FORMATS = ['pdf', 'docx', 'xlsx', 'json', 'note'];
const buyer = { owner: 'buyer-1', readsAllTenders: false };
const editor = { actor: 'editor-ministere' };

export function catalogueVersionsContract(name: string, create: () => Promise<VersionedStores>): void {
  describe(`${name} (item and offer versions contract)`, () => {
    it('regenerates stored tenders byte for byte after items and offers change, and a tender on the next framework version reads the new ones', { timeout: 120_000 }, async () => {
      const stores = await create();
      const catalogue = await repositoryCatalogue();
      await seedCatalogue(stores, catalogue);
      const deps: TenderDeps & VersionedStores = {
        ...stores,
        catalogue: new RepositoryCatalogueReader(stores.criteria),
        templates: defaultTemplateEngine(),
        outputs: cahierOutputRegistry(),
        clock: new ManualClock('2026-10-05T09:00:00.000Z'),
        ids: new SequentialIds('tender'),
        urlTtlSeconds: 300,
      };
      const on = (version: number) => ({ ...example('commune'), framework: { id: 'carmo-education', version } });
      const identical = async (tender: TenderOutcome) => {
        const audit = await regenerateTender(tender.record.id, buyer, deps);
        return audit.comparison.map((c) => `${c.name}: ${c.status}`);
      };
      const allIdentical = (tender: TenderOutcome) => tender.record.documents.map((d) => `${d.name}: identical`);
      const cctpText = async (tender: TenderOutcome) => pdfText(await deps.documents.get(tender.record.documents.find((d) => d.name === 'cctp.pdf')!.key));
      const training = async (version: number) => {
        const { tender } = await evaluateTender(parseTenderRequest(on(version)), deps.catalogue);
        return tender.lots[0]!.lines.find((line) => line.item.id === 'teacher-training')?.quantity;
      };

      // A tender on version 3, published before items and offers were versioned.
      const old = await generateTender({ request: on(3), owner: 'buyer-1', formats: FORMATS }, deps);
      expect(old.record.documents.length).toBeGreaterThanOrEqual(FORMATS.length);
      expect(await cctpText(old)).toContain('Tablette élève');

      // The editor rewrites the tablet's label and the mobile classroom's training hours, then publishes.
      const tablet = await deps.criteria.items.getLatest('tablet');
      await updateItem('tablet', { ...tablet, version: undefined, label: 'Tablette tactile de l’élève', reason: 'Libellé aligné sur le CARMO' }, 1, deps, editor);
      const offer = await deps.criteria.offers.getLatest('classe-mobile-16');
      const items = offer.items.map((line) => (line.itemId === 'teacher-training' ? { ...line, quantity: 9 } : line));
      await updateOffer('classe-mobile-16', { ...offer, version: undefined, items, reason: 'Trois heures de formation de plus' }, 1, deps, editor);
      const v4 = await publishFrameworkVersion('carmo-education', { version: 4, reason: 'Articles et offres revus' }, deps, editor);

      expect(v4.items).toContainEqual({ id: 'tablet', version: 2 });
      expect(v4.items).toContainEqual({ id: 'teacher-laptop', version: 1 });
      expect(v4.offers).toContainEqual({ id: 'classe-mobile-16', version: 2 });
      expect(await identical(old)).toEqual(allIdentical(old));
      expect([await training(3), await training(4)]).toEqual([6, 9]);

      // Version 4 pins its versions: the next edit changes nothing for a tender on it either.
      const renewed = await generateTender({ request: on(4), owner: 'buyer-1', formats: FORMATS }, deps);
      const renewedText = await cctpText(renewed);
      expect(renewedText).toContain('Tablette tactile de l’élève');
      expect(renewedText).not.toContain('Tablette élève');
      await updateItem('tablet', { ...tablet, version: undefined, label: 'Tablette numérique de l’élève', reason: 'Deuxième relecture' }, 2, deps, editor);
      await publishFrameworkVersion('carmo-education', { version: 5, reason: 'Deuxième relecture des articles' }, deps, editor);

      expect(await identical(renewed)).toEqual(allIdentical(renewed));
      expect(await identical(old)).toEqual(allIdentical(old));
      // A framework without pins resolves version 1 of every item and offer, as the files hold them.
      const v3 = await deps.catalogue.snapshot('carmo-education', 3);
      expect(new Map([...v3.items].sort())).toEqual(new Map(catalogue.items.map((i) => [i.id, i] as const).sort()));
      expect(new Map([...v3.offers].sort())).toEqual(new Map(catalogue.offers.map((o) => [o.id, o] as const).sort()));
      expect((await deps.catalogue.snapshot('carmo-education', 5)).items.get('tablet')!.label).toBe('Tablette numérique de l’élève');
      expect((await deps.catalogue.snapshot('carmo-education', 4)).items.get('tablet')!.label).toBe('Tablette tactile de l’élève');

      const history = await deps.audit.history('item', 'tablet');
      expect(history.map((e) => [e.target.version, e.actor, e.reason, e.changes])).toEqual([
        [2, editor.actor, 'Libellé aligné sur le CARMO', [{ field: 'label', before: 'Tablette élève', after: 'Tablette tactile de l’élève' }]],
        [3, editor.actor, 'Deuxième relecture', [{ field: 'label', before: 'Tablette tactile de l’élève', after: 'Tablette numérique de l’élève' }]],
      ]);
      expect((await deps.audit.history('offer', 'classe-mobile-16'))[0]!.changes.map((c) => c.field)).toEqual(['items']);
    });
  });
}
