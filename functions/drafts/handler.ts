import { createDynamoDbClients } from '#src/adapters/aws-clients.ts';
import { DynamoDbDraftRepository } from '#src/adapters/dynamodb/dynamodb-draft-repository.ts';
import { createFunctionHandler } from '#src/adapters/http/lambda.ts';
import { draftOperations } from '#src/adapters/http/operations/drafts.ts';
import { randomIds, systemClock } from '#src/adapters/system.ts';
import { loadConfig } from '#src/entry/config.ts';
import { awsCallTracingFromEnv } from '#src/entry/lambda-composition.ts';

/**
 * Buyers' named drafts: GET/POST /drafts, GET/PUT/DELETE /drafts/{id}. Only the draft store is
 * built (no S3 client, no tender or criteria repository), so the bundle carries the request schema
 * and little else. The environment is validated at cold start; every DynamoDB call is traced.
 */
const config = loadConfig(process.env);
const { document } = createDynamoDbClients(config.aws, awsCallTracingFromEnv(process.env)?.instrument);

export const handler = createFunctionHandler(
  'drafts',
  draftOperations({ drafts: new DynamoDbDraftRepository({ db: document, tableName: config.tableName }), clock: systemClock, ids: randomIds }),
);
