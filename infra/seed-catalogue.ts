import { CATALOGUE_DIR } from '#src/entry/paths.ts';
/**
 * Seeds the reference catalogue (catalogue/) into a deployed table:
 *   AWS_REGION=eu-west-3 npx tsx infra/seed-catalogue.ts <TableName>
 * Credentials come from the SDK's usual chain (your AWS profile). Idempotent: a second run
 * writes nothing, and it never rewrites a version an editor added (seedCatalogue).
 * DYNAMODB_ENDPOINT points it at another DynamoDB-compatible server (e.g. dynalite).
 */
import { createDynamoDbClients } from '#src/adapters/aws-clients.ts';
import { DynamoDbCriteriaRepository } from '#src/adapters/dynamodb/dynamodb-criteria-repository.ts';
import { seedCatalogue } from '#src/app/seed-catalogue.ts';
import { loadCatalogue } from '#src/adapters/files/load-catalogue.ts';

const tableName = process.argv[2] ?? process.env.TABLE_NAME;
const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
if (!tableName || !region) {
  console.error('usage: AWS_REGION=<region> npx tsx infra/seed-catalogue.ts <TableName>');
  process.exit(2);
}
const { client, document } = createDynamoDbClients({ region, ...(process.env.DYNAMODB_ENDPOINT ? { dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT } : {}) });
try {
  const result = await seedCatalogue({ criteria: new DynamoDbCriteriaRepository({ db: document, tableName }) }, await loadCatalogue(CATALOGUE_DIR));
  console.log(JSON.stringify(result));
} finally {
  client.destroy();
}
