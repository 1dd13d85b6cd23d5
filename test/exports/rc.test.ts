import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentModel, HeadingBlock } from '#src/core/documents/blocks.ts';
import { buildRcExtractDocument } from '#src/core/documents/rc-extract.ts';
import { renderPdf } from '#src/adapters/render/pdf/render-pdf.ts';
import { pdfPages } from '../support/pdf-text.ts';
import { evaluatedExample, sharedDeps, type ExampleName } from './support/models.ts';

const fold = (s: string) => s.replace(/\s+/g, ' ');

async function rcExtract(name: ExampleName): Promise<{ model: DocumentModel; pages: string[]; text: string }> {
  const { tender, rules } = await evaluatedExample(name);
  const model = buildRcExtractDocument(tender, rules, (await sharedDeps()).templates);
  const pages = await pdfPages(await renderPdf(model));
  return { model, pages, text: fold(pages.join(' ')) };
}

describe('RC extract', () => {
  let ville: Awaited<ReturnType<typeof rcExtract>>;
  let departement: Awaited<ReturnType<typeof rcExtract>>;
  let commune: Awaited<ReturnType<typeof rcExtract>>;

  beforeAll(async () => {
    [ville, departement, commune] = await Promise.all([rcExtract('ville'), rcExtract('departement'), rcExtract('commune')]);
  });

  it('has its own cover, footer and chapters', () => {
    expect(ville.pages[0]).toContain('Règlement de la consultation — extrait');
    ville.pages.forEach((page, i) => expect(page).toContain(`RC 2026-DSI-ENI Page ${i + 1} / ${ville.pages.length}`));
    const chapters = ville.model.blocks.filter((b): b is HeadingBlock => b.type === 'heading' && b.level === 1).map((h) => h.text);
    expect(chapters).toEqual(['Objet et forme de la consultation', 'Jugement des offres', 'Variantes', 'Options', 'Pièces de l’offre relatives au jugement']);
    expect(ville.model.meta).toMatchObject({ language: 'fr-FR', createdAt: '2026-11-02T00:00:00.000Z' });
  });

  it('scores the price on the DPGF total for an ordinary contract and on the DQE for a framework agreement', () => {
    expect(ville.text).toContain('Le critère « Prix » est noté sur 45 points selon la formule : note = 45 × (montant de l’offre la moins-disante ÷ montant de l’offre examinée)');
    expect(ville.text).toContain('décomposition du prix global et forfaitaire (DPGF)');
    expect(ville.text).not.toContain('(DQE)');
    expect(departement.text).toContain('détail quantitatif estimatif (DQE)');
    expect(departement.text).toContain('bordereau des prix unitaires (BPU)');
    expect(departement.text).toContain('Montant maximum sur la durée de l’accord-cadre');
  });

  it('states whether variants are allowed, with their minimum requirements, and lists the options', () => {
    expect(ville.text).toContain('Les variantes sont autorisées.');
    expect(ville.text).toContain('ordinateurs portables reconditionnés');
    expect(ville.text).toContain('Exigences minimales que toute variante respecte');
    expect(ville.text).toContain('Option 1 — Extension de garantie à cinq ans');
    expect(commune.text).toContain('Les variantes ne sont pas autorisées');
    expect(commune.text).toContain('La consultation ne comporte pas d’option.');
  });

  it('explains how quality criteria are scored', () => {
    expect(commune.text).toContain('Notation des critères qualitatifs');
    expect(commune.text).toContain('très satisfaisant : 100 % des points');
  });
});
