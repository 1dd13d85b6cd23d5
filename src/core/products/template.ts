import type { CatalogueItem } from '#src/core/model/catalogue.ts';
import type { Criterion } from '#src/core/model/criterion.ts';
import { formatThreshold } from '#src/core/model/metric.ts';
import type { CatalogueSnapshot } from '#src/core/model/resolve-tender.ts';
import { convertibleUnits } from '#src/core/model/units.ts';
import { criteriaOfItem, needsEvidence } from './check-product.ts';

/**
 * The product sheet template of one item, generated from the framework version's criteria: a CSV
 * header that the importer reads back (one column per criterion that a value can show, its unit in
 * parentheses), and a French guide to each column (what is required, the units accepted, the
 * options allowed), so that suppliers fill what the check reads.
 */

const FIXED = ['reference', 'fournisseur', 'marque', 'modele', 'article'];

function columnOf(criterion: Criterion): string {
  return 'unit' in criterion.metric ? `${criterion.id} (${criterion.metric.unit})` : criterion.id;
}

function accepted(criterion: Criterion): string {
  const m = criterion.metric;
  switch (m.type) {
    case 'numeric':
    case 'range':
      return `un nombre (virgule décimale acceptée), en ${m.unit} ou avec son unité dans la cellule : ${convertibleUnits(m.unit)}`;
    case 'boolean':
      return 'oui ou non';
    case 'enum':
      return `l’une des valeurs : ${m.options.map((o) => `« ${o} »`).join(', ')}`;
    case 'text':
      return 'un texte libre (justificatif attendu)';
  }
}

/** The columns of an item's product sheet, in order: the product fields, then each criterion a value can show (its header carries its unit). */
export function templateColumns(item: CatalogueItem, snapshot: CatalogueSnapshot): Array<{ header: string; criterion?: Criterion }> {
  return [...FIXED.map((header) => ({ header })), ...criteriaOfItem(item, snapshot).filter((c) => c.metric.type !== 'text').map((criterion) => ({ header: columnOf(criterion), criterion }))];
}

export function productTemplate(item: CatalogueItem, snapshot: CatalogueSnapshot): { csv: string; guide: string } {
  const criteria = criteriaOfItem(item, snapshot).filter((c) => c.metric.type !== 'text');
  const csv = `${templateColumns(item, snapshot).map((c) => c.header).join(';')}\n`;
  const lines = [
    `# Fiche produit « ${item.label} » — référentiel ${snapshot.framework.id} v${snapshot.framework.version}`,
    '',
    `Une ligne par produit, séparateur « ; ». Colonne article : \`${item.id}\`. Une cellule vide vaut « non déclaré » : la valeur n’est jamais supposée, et le produit n’est pas conforme tant qu’une exigence minimale n’est pas renseignée.`,
    '',
    '| colonne | critère | niveau | exigé | valeurs acceptées |',
    '| --- | --- | --- | --- | --- |',
    ...criteria.map(
      (c) =>
        `| \`${columnOf(c)}\` | ${c.label} (v${c.version}) | ${c.level === 'minimum' ? 'exigence minimale' : 'appréciée'} | ${formatThreshold(c.metric)}${needsEvidence(c) ? ', justificatif attendu' : ''} | ${accepted(c)} |`,
    ),
    '',
  ];
  return { csv, guide: lines.join('\n') };
}
