import { afterAll, beforeAll, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbDraftRepository } from '#src/adapters/dynamodb/dynamodb-draft-repository.ts';
import { CorruptItemError, keys } from '#src/adapters/dynamodb/table.ts';
import { draftRepositoryContract, storedDraft } from '../contracts/draft-repository.contract.ts';
import { startLocalAws, type LocalAws } from '../support/local-aws.ts';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(async () => {
  await aws?.stop();
});

draftRepositoryContract('DynamoDbDraftRepository', async () => new DynamoDbDraftRepository({ db: aws.document, tableName: await aws.newTable() }));

it('refuses to serve a draft item stored under another owner’s key (a defect, never a value)', async () => {
  const tableName = await aws.newTable();
  const repo = new DynamoDbDraftRepository({ db: aws.document, tableName });
  const draft = storedDraft();
  await aws.document.send(new PutCommand({ TableName: tableName, Item: { ...keys.draft('buyer-2', draft.id), entity: 'draft', version: 1, data: draft } }));
  await expect(repo.get('buyer-2', draft.id)).rejects.toBeInstanceOf(CorruptItemError);
});
