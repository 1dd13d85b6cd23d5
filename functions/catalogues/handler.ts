import { configurePdfEngine } from '#src/adapters/render/pdf-engine.ts';
import { compositionFromEnv } from '#src/entry/lambda-composition.ts';
import { createCatalogueComposition } from '#src/entry/catalogue-composition.ts';
import { createFunctionHandler, lazyOperations } from '#src/adapters/http/lambda.ts';
import { DynamoDbCatalogueRecords } from '#src/adapters/dynamodb/dynamodb-catalogue-records.ts';

/**
 * Stored catalogues (POST, GET, DELETE /catalogues…) and the product sheet templates. The
 * environment is validated and the SDK clients built at cold start; the operations, with the
 * workbook and PDF writers, load on the first request.
 */
// Every PDF is rendered by the pdf-renderer function (src/adapters/render/pdf-engine.ts): its name is checked now, at cold start.
configurePdfEngine(process.env);
const composition = compositionFromEnv(process.env, createCatalogueComposition);
// Imported and built here, with the clients: see cataloguesFunctionOperations for why.
const catalogueRecords = new DynamoDbCatalogueRecords({ db: composition.clients.document, tableName: composition.tableName });

export const handler = createFunctionHandler(
  'catalogues',
  lazyOperations('catalogues', async () => (await import('#src/entry/catalogues-function.ts')).cataloguesFunctionOperations(composition, catalogueRecords)),
);
