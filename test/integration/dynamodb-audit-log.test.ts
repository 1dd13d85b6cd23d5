import { afterAll, beforeAll } from 'vitest';
import { DynamoDbAuditLog } from '#src/adapters/dynamodb/dynamodb-audit-log.ts';
import { auditLogContract } from '../contracts/audit-log.contract.ts';
import { startLocalAws, type LocalAws } from '../support/local-aws.ts';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(async () => {
  await aws?.stop();
});

auditLogContract('DynamoDbAuditLog', async () => new DynamoDbAuditLog({ db: aws.document, tableName: await aws.newTable() }));
