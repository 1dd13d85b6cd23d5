/**
 * Gives the tenders and drafts a stage stored before an index existed the attributes that index
 * them (src/adapters/dynamodb/index-backfill.ts): a tender's and a draft's pinned framework version
 * (GSI3; without it the impact of a framework change, POST /frameworks/{id}/impact, does not list
 * them) and a tender's summary (GSI2_SUMMARIES; without it, listing the caller's tenders reads that
 * tender's summary from the table). Run once per stage, after the deployment that adds an index and
 * once the index is ACTIVE; running it again writes nothing. One Scan of the table, and a
 * conditional PutItem per item it indexes, so the caller's role needs dynamodb:Scan and
 * dynamodb:PutItem on the table (an operator's, not a function's). The local stack (npm start)
 * runs it itself at start-up.
 *
 *   TABLE_NAME=<the stage's table> AWS_REGION=eu-west-3 npx tsx scripts/backfill-indexes.ts
 */
import { createDynamoDbClients } from '#src/adapters/aws-clients.ts';
import { backfillIndexAttributes, missingIndexes } from '#src/adapters/dynamodb/index-backfill.ts';

const tableName = process.env.TABLE_NAME;
const region = process.env.AWS_REGION;
if (!tableName || !region) {
  console.error('usage: TABLE_NAME=<table> AWS_REGION=<region> [DYNAMODB_ENDPOINT=<url>] npx tsx scripts/backfill-indexes.ts');
  process.exit(2);
}
const { client, document } = createDynamoDbClients({ region, ...(process.env.DYNAMODB_ENDPOINT ? { dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT } : {}) });
try {
  const missing = await missingIndexes(client, tableName);
  if (missing.length > 0) {
    console.error(`${tableName} has no index ${missing.join(', ')} yet: deploy the stateful stack first and wait for the index to be ACTIVE`);
    process.exitCode = 1;
  } else {
    const done = await backfillIndexAttributes({ db: document, tableName });
    console.log(`${tableName}: ${done.tenders} tenders given their pinned framework version and summary, ${done.drafts} drafts their pinned framework version`);
  }
} finally {
  client.destroy();
}
