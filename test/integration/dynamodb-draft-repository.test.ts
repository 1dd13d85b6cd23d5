import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, type CreateTableCommandInput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbDraftRepository } from '#src/adapters/dynamodb/dynamodb-draft-repository.ts';
import { CorruptItemError, ensureTable, GSI2_SUMMARIES, GSI3, keys } from '#src/adapters/dynamodb/table.ts';
import { tenderSummary } from '#src/app/tender-record.ts';
import { DynamoDbTenderRepository } from '#src/adapters/dynamodb/dynamodb-tender-repository.ts';
import { backfillIndexAttributes, missingIndexes, recreateWithIndexes } from '#src/adapters/dynamodb/index-backfill.ts';
import { draftSummary } from '#src/core/model/draft.ts';
import { tenderRecord } from '../support/tender-records.ts';
import { draftRepositoryContract, storedDraft } from '../contracts/draft-repository.contract.ts';
import { startLocalAws, writeAfterFirstScan, type LocalAws } from '../support/local-aws.ts';

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

it('finds, once backfillIndexAttributes has run, the tenders and drafts stored before GSI3 without its attributes; a second run writes nothing', async () => {
  const tableName = await aws.newTable();
  const context = { db: aws.document, tableName };
  const drafts = new DynamoDbDraftRepository(context);
  const tenders = new DynamoDbTenderRepository(context);
  const pin = { id: 'carmo-education', version: 2 };
  const tender = tenderRecord({ id: 't-old-pinned-1', framework: pin });
  const draft = storedDraft({ request: { schemaVersion: 2, framework: pin }, status: 'ready' });
  const unpinned = storedDraft({ id: 'draft-00000002', owner: 'buyer-2' });
  // Items as the adapters wrote them before GSI3: the same envelope, no gsi3pk / gsi3sk.
  const sortKey = `${tender.createdAt}#${tender.id}`;
  await aws.document.send(new PutCommand({ TableName: tableName, Item: { ...keys.tender(tender.id), entity: 'tender', gsi2pk: keys.ownerPartition(tender.owner), gsi2sk: sortKey, data: tender } }));
  for (const d of [draft, unpinned]) {
    await aws.document.send(new PutCommand({ TableName: tableName, Item: { ...keys.draft(d.owner, d.id), entity: 'draft', version: d.version, summary: draftSummary(d), data: d } }));
  }
  expect(await tenders.get(tender.id)).toEqual(tender);
  expect(await tenders.listPinning(pin, 10)).toEqual({ items: [], truncated: false });
  expect(await drafts.countPinning(pin)).toEqual({ incomplete: 0, ready: 0 });

  expect(await backfillIndexAttributes(context)).toEqual({ tenders: 1, drafts: 1 });

  expect(await tenders.listPinning(pin, 10)).toEqual({ items: [tender], truncated: false });
  expect(await drafts.countPinning(pin)).toEqual({ incomplete: 0, ready: 1 });
  expect(await drafts.get(draft.owner, draft.id)).toEqual(draft);
  expect(await drafts.list(unpinned.owner)).toEqual([draftSummary(unpinned)]);
  expect(await backfillIndexAttributes(context)).toEqual({ tenders: 0, drafts: 0 });
});

it('leaves a draft saved since the backfill read it to its saver (the write is conditional on the version read)', async () => {
  const tableName = await aws.newTable();
  const context = { db: aws.document, tableName };
  const drafts = new DynamoDbDraftRepository(context);
  const pin = { id: 'carmo-education', version: 2 };
  const old = storedDraft({ request: { schemaVersion: 2, framework: pin } });
  await aws.document.send(new PutCommand({ TableName: tableName, Item: { ...keys.draft(old.owner, old.id), entity: 'draft', version: 1, summary: draftSummary(old), data: old } }));
  // The buyer saves between the backfill's Scan and its write.
  writeAfterFirstScan(aws.document, () => drafts.replace(storedDraft({ request: { schemaVersion: 2, framework: { ...pin, version: 3 } }, version: 2 }), 1));
  expect(await backfillIndexAttributes(context)).toEqual({ tenders: 0, drafts: 0 });
  expect(await drafts.countPinning(pin)).toEqual({ incomplete: 0, ready: 0 });
  expect(await drafts.countPinning({ ...pin, version: 3 })).toEqual({ incomplete: 1, ready: 0 });
});

it('rebuilds an embedded table created before GSI3 and GSI2_SUMMARIES with them, every item kept (and first written to a backup file), then indexes its tenders and drafts', async () => {
  const tableName = `before-gsi3-${Date.now()}`;
  // The layout before GSI3: ensureTable's request without its third and fourth indexes.
  const layout = { ...(await recordedCreateTable()), TableName: tableName };
  layout.GlobalSecondaryIndexes = layout.GlobalSecondaryIndexes!.filter((i) => i.IndexName !== GSI3 && i.IndexName !== GSI2_SUMMARIES);
  layout.AttributeDefinitions = layout.AttributeDefinitions!.filter((a) => !a.AttributeName!.startsWith('gsi3'));
  await aws.dynamodb.send(new CreateTableCommand(layout));
  const context = { db: aws.document, tableName };
  const pin = { id: 'carmo-education', version: 2 };
  const tender = tenderRecord({ id: 't-old-layout-1', framework: pin });
  const draft = storedDraft({ request: { schemaVersion: 2, framework: pin } });
  const items = [
    { ...keys.tender(tender.id), entity: 'tender', gsi2pk: keys.ownerPartition(tender.owner), gsi2sk: `${tender.createdAt}#${tender.id}`, data: tender },
    { ...keys.draft(draft.owner, draft.id), entity: 'draft', version: 1, summary: draftSummary(draft), data: draft },
    { pk: 'CRITERION#x', sk: 'LATEST', entity: 'criterion-latest', gsi1pk: 'CATEGORY#tablet', gsi1sk: 'x', data: { any: 'thing' } },
  ];
  for (const item of items) await aws.document.send(new PutCommand({ TableName: tableName, Item: item }));
  expect(await missingIndexes(aws.dynamodb, tableName)).toEqual([GSI3, GSI2_SUMMARIES]);
  const backup = join(await mkdtemp(join(tmpdir(), 'cahier-gsi3-')), 'backup.json');

  expect(await recreateWithIndexes(aws.dynamodb, context, backup)).toBe(3);

  expect(await missingIndexes(aws.dynamodb, tableName)).toEqual([]);
  const byKey = (list: Array<Record<string, unknown>>) => [...list].sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`));
  expect(byKey(JSON.parse(await readFile(backup, 'utf8')))).toEqual(byKey(items));
  expect(byKey((await aws.document.send(new ScanCommand({ TableName: tableName }))).Items!)).toEqual(byKey(items));
  expect(await backfillIndexAttributes(context)).toEqual({ tenders: 1, drafts: 1 });
  expect(await new DynamoDbTenderRepository(context).listPinning(pin, 10)).toEqual({ items: [tender], truncated: false });
  expect(await new DynamoDbTenderRepository(context).listSummariesByOwner(tender.owner)).toEqual({ items: [tenderSummary(tender)] });
  expect(await new DynamoDbDraftRepository(context).countPinning(pin)).toEqual({ incomplete: 1, ready: 0 });
});

/** The CreateTable request ensureTable sends, captured without a server. */
async function recordedCreateTable(): Promise<CreateTableCommandInput> {
  let input: CreateTableCommandInput | undefined;
  const client = {
    send: async (command: { input: unknown }) => {
      if (command instanceof CreateTableCommand) input = structuredClone(command.input);
      return { Table: { TableStatus: 'ACTIVE', GlobalSecondaryIndexes: [] } };
    },
  } as unknown as DynamoDBClient;
  await ensureTable(client, 'recorded');
  return input!;
}
