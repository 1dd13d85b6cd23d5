import type { CatalogueItem } from '#src/core/model/catalogue.ts';
import type { CatalogueSnapshot } from '#src/core/model/resolve-tender.ts';
import { templateColumns } from '#src/core/products/template.ts';
import { columnLetter } from './spreadsheet.ts';
import { createWorkbook, packWorkbook, styleHeaderRow } from './workbook.ts';

/** Rows a supplier may fill with the lists offered (the importer reads as many as the file has). */
const FILLABLE_ROWS = 2_000;

/**
 * The product sheet of one item as an .xlsx workbook: the CSV template's header on the first row
 * of a « Produits » sheet (what the importer reads back), the article column offering the item's
 * id, and each yes/no or list criterion offering its allowed values, so that a supplier types what
 * the check reads. No formula anywhere: the importer refuses them in a product sheet. Dated by the
 * framework version's publication (the template depends on it only), so the bytes are the same
 * each time.
 */
export async function renderProductTemplateXlsx(item: CatalogueItem, snapshot: CatalogueSnapshot): Promise<Uint8Array> {
  const framework = snapshot.framework;
  const createdAt = `${framework.publishedAt ?? '1980-01-01'}T00:00:00.000Z`;
  const workbook = createWorkbook({
    title: `Fiche produit « ${item.label} » — référentiel ${framework.id} v${framework.version}`,
    subject: framework.reference,
    author: 'Cahier',
    keywords: ['fiche produit', framework.id, item.id],
    createdAt,
  });
  const sheet = workbook.addSheet('Produits');
  sheet.frozen = { rows: 1 };
  const columns = templateColumns(item, snapshot);
  sheet.widths.push(...columns.map((c) => Math.min(40, Math.max(14, c.header.length + 2))));
  sheet.setRow(1, columns.map((c) => c.header));
  styleHeaderRow(sheet, 1, columns.length);
  const last = FILLABLE_ROWS + 1;
  columns.forEach((column, index) => {
    const letter = columnLetter(index + 1);
    const metric = column.criterion?.metric;
    const options = column.header === 'article' ? [item.id] : metric?.type === 'boolean' ? ['oui', 'non'] : metric?.type === 'enum' ? metric.options : undefined;
    // A list validation holds 255 characters at most; a longer list is explained by the guide only.
    if (options === undefined || options.some((o) => o.includes(',') || o.includes('"')) || options.join(',').length > 250) return;
    sheet.validate({
      range: `${letter}2:${letter}${last}`,
      type: 'list',
      allowBlank: true,
      formulae: [`"${options.join(',')}"`],
      showErrorMessage: column.header === 'article',
      errorTitle: 'Article',
      error: `Cette fiche est celle de l’article ${item.id}.`,
    });
  });
  return packWorkbook(workbook);
}
