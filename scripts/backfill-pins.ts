/**
 * Gives the tenders and drafts a stage stored before GSI3 existed the attributes that index them
 * by the framework version they pin (src/adapters/dynamodb/pin-backfill.ts): without them, the
 * impact of a framework change (POST /frameworks/{id}/impact) does not list them. Run once per
 * stage, after the deployment that adds GSI3 and once the index is ACTIVE; running it again
 * writes nothing. One Scan of the table, and a conditional PutItem per item it indexes, so the
 * caller's role needs dynamodb:Scan and dynamodb:PutItem on the table (an operator's, not a
 * function's). The local stack (npm start) runs it itself at start-up.
 *
 *   TABLE_NAME=<the stage's table> AWS_REGION=eu-west-3 npx tsx scripts/backfill-pins.ts
 */
import { createDynamoDbClients } from '#src/adapters/aws-clients.ts';
import { backfillPins, hasPinIndex } from '#src/adapters/dynamodb/pin-backfill.ts';

const tableName = process.env.TABLE_NAME;
const region = process.env.AWS_REGION;
if (!tableName || !region) {
  console.error('usage: TABLE_NAME=<table> AWS_REGION=<region> [DYNAMODB_ENDPOINT=<url>] npx tsx scripts/backfill-pins.ts');
  process.exit(2);
}
const { client, document } = createDynamoDbClients({ region, ...(process.env.DYNAMODB_ENDPOINT ? { dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT } : {}) });
try {
  if (!(await hasPinIndex(client, tableName))) {
    console.error(`${tableName} has no index gsi3 yet: deploy the stateful stack first and wait for the index to be ACTIVE`);
    process.exitCode = 1;
  } else {
    const done = await backfillPins({ db: document, tableName });
    console.log(`${tableName}: ${done.tenders} tenders and ${done.drafts} drafts indexed by their pinned framework version`);
  }
} finally {
  client.destroy();
}
