import { createGcHandler } from '#src/adapters/schedule/gc-handler.ts';
import { defaultTelemetry } from '#src/adapters/observability/telemetry.ts';
import { DynamoDbCatalogueRecords } from '#src/adapters/dynamodb/dynamodb-catalogue-records.ts';
import { loadConfig } from '#src/entry/config.ts';
import { compositionFromEnv } from '#src/entry/lambda-composition.ts';
import { createComposition } from '#src/entry/composition.ts';

const composition = compositionFromEnv(process.env, createComposition);
/** The records of stored catalogues: the gc deletes the reports under catalogues/reports/<id>/ whose record is missing. */
const catalogueRecords = new DynamoDbCatalogueRecords({ db: composition.clients.document, tableName: composition.tableName });

/** Daily `cahier gc` in AWS, and hourly the stalled renderings only; counts as metrics (src/adapters/schedule/gc-handler.ts). */
export const handler = createGcHandler({ ...composition, catalogueRecords }, defaultTelemetry(), {
  pendingRenderingMaxAgeSeconds: loadConfig(process.env).pendingRenderingMaxAgeSeconds,
});
