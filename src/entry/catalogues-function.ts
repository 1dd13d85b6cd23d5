import type { CatalogueComposition } from './catalogue-composition.ts';
import { DynamoDbCatalogueRecords } from '#src/adapters/dynamodb/dynamodb-catalogue-records.ts';
import { storedCatalogueOperations } from '#src/adapters/http/operations/stored-catalogues.ts';
import { renderCatalogueReports } from '#src/adapters/render/catalogue-reports.ts';
import { renderProductTemplateXlsx } from '#src/adapters/render/xlsx/product-template.ts';

/**
 * The operations of the catalogues function (stored catalogues and product sheet templates), over
 * the catalogue composition and the records of stored catalogues in the same table. The Lambda
 * (functions/catalogues/handler.ts) loads this module on its first request; the local server
 * (api-handlers.ts) imports it with every other function's.
 */
export function cataloguesFunctionOperations(c: CatalogueComposition) {
  return storedCatalogueOperations({
    ...c,
    catalogueRecords: new DynamoDbCatalogueRecords({ db: c.clients.document, tableName: c.tableName }),
    renderReports: renderCatalogueReports,
    renderTemplate: async (itemId, snapshot) => renderProductTemplateXlsx(snapshot.items.get(itemId)!, snapshot),
  });
}
