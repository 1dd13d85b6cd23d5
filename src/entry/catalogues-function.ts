import type { CatalogueComposition } from './catalogue-composition.ts';
import type { CatalogueRecords } from '#src/app/ports/catalogue-records.ts';
import { storedCatalogueOperations } from '#src/adapters/http/operations/stored-catalogues.ts';
import { renderCatalogueReports } from '#src/adapters/render/catalogue-reports.ts';
import { renderProductTemplateXlsx } from '#src/adapters/render/xlsx/product-template.ts';

/**
 * The operations of the catalogues function (stored catalogues and product sheet templates), over
 * the catalogue composition and the records of stored catalogues in the same table. The Lambda
 * (functions/catalogues/handler.ts) loads this module on its first request; the local server
 * (api-handlers.ts) imports it with every other function's.
 *
 * The records come built by the caller, not imported here: a module loaded by `import()` that
 * imports @aws-sdk/lib-dynamodb made esbuild keep every export of that package and of
 * client-dynamodb (the aggregated clients, every command, paginator and waiter, ≈ 55 KiB) in the
 * catalogues bundle, whose other imports of it are static.
 */
export function cataloguesFunctionOperations(c: CatalogueComposition, catalogueRecords: CatalogueRecords) {
  return storedCatalogueOperations({
    ...c,
    catalogueRecords,
    renderReports: renderCatalogueReports,
    renderTemplate: async (itemId, snapshot) => renderProductTemplateXlsx(snapshot.items.get(itemId)!, snapshot),
  });
}
