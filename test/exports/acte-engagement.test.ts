/**
 * The acte d'engagement (issue #15, piece 3), in the structure of the ATTRI1 form: per lot, the
 * buyer and the contract, the bidder's commitment with its fields left blank, prices by reference to
 * the financial annex, options and variants as the request allows them, duration from the same
 * source as the CCAP, advance, account, subcontracting, signatures.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HeadingBlock } from '#src/core/documents/blocks.ts';
import { buildAeDocument } from '#src/core/documents/ae-document.ts';
import { renderPdf } from '#src/adapters/render/pdf/render-pdf.ts';
import { renderDocx } from '#src/adapters/render/docx/render-docx.ts';
import { pdfText } from '../support/pdf-text.ts';
import { evaluateFrom } from '../support/pipeline.ts';
import { wordParagraphs, zipParts } from './support/office.ts';
import { sharedDeps } from './support/models.ts';

const fold = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ');
const load = (file: string): Record<string, any> => JSON.parse(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8'));

async function ae(file: string, lot?: number) {
  const deps = await sharedDeps();
  const { tender, rules } = await evaluateFrom(load(file), deps.catalogue);
  const model = buildAeDocument(tender, rules, deps.templates, lot);
  return { model, text: fold(await pdfText(await renderPdf(model))) };
}

describe('acte d’engagement', () => {
  it('has one chapter per lot in the ATTRI1 order, each on its own pages, and one lot alone when asked', async () => {
    const all = await ae('departement-colleges-trois-lots-v2.json');
    const chapters = all.model.blocks.filter((b): b is HeadingBlock => b.type === 'heading' && b.level === 1).map((h) => h.text);
    expect(chapters).toHaveLength(3);
    expect(chapters[0]).toMatch(/^Lot 1 — /);
    expect(all.model.blocks.filter((b) => b.type === 'page-break')).toHaveLength(2);
    const sections = all.model.blocks.filter((b): b is HeadingBlock => b.type === 'heading' && b.level === 2).map((h) => h.text);
    expect(sections.slice(0, 3)).toEqual(['Objet de l’acte d’engagement', 'Engagement du titulaire', 'Acceptation de l’offre par l’acheteur']);
    const lot2 = await ae('departement-colleges-trois-lots-v2.json', 2);
    expect(lot2.text).toContain('Le présent acte d’engagement correspond au lot 2');
    expect(lot2.text).not.toMatch(/Lot 1 — /);
    expect(lot2.text).toContain('Montant maximum du lot 700 000 € HT');
    expect(lot2.text).toContain('Montant du détail quantitatif estimatif');
    expect(lot2.text).toContain('de chaque bon de commande');
  });

  it('leaves the bidder’s identity, prices, delivery time, account and signature blank', async () => {
    const { text } = await ae('commune-tranches-garantie-v2.json');
    for (const field of ['Numéro SIRET ……', 'IBAN ……', 'BIC ……', 'Fait à ……', 'délai de ………… jours calendaires']) expect(text).toContain(field);
    expect(text).toContain('☐ Je renonce au bénéfice de l’avance.');
    expect(text).toContain('Tranche ferme « École des Combes » ………………… €');
    expect(text).toContain('Tranche optionnelle « École du Bourg » ………………… €');
    expect(text).toContain('décomposition du prix global et forfaitaire (DPGF)');
  });

  it('offers the variant and the options the request allows', async () => {
    const { text } = await ae('ville-ecrans-interactifs.json');
    expect(text).toContain('☐ à la variante suivante');
    expect(text).toMatch(/☐ Option 1 — /);
    const commune = await ae('commune-tranches-garantie-v2.json');
    expect(commune.text).toContain('☐ à l’offre de base (les variantes ne sont pas autorisées)');
  });

  it('lays out in Word with the same headings', async () => {
    const { model } = await ae('departement-colleges-trois-lots-v2.json', 1);
    const paragraphs = wordParagraphs(zipParts(await renderDocx(model)).get('word/document.xml')!);
    const heading1 = paragraphs.filter((p) => p.style === 'Heading1').map((p) => p.text);
    expect(heading1).toEqual(model.blocks.filter((b): b is HeadingBlock => b.type === 'heading' && b.level === 1).map((h) => h.text));
    expect(paragraphs.some((p) => p.text.includes('Numéro SIRET'))).toBe(true);
  });
});
