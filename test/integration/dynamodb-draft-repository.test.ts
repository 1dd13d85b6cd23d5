import { afterAll, beforeAll, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbDraftRepository } from '#src/adapters/dynamodb/dynamodb-draft-repository.ts';
import { CorruptItemError, keys } from '#src/adapters/dynamodb/table.ts';
import { DynamoDbTenderRepository } from '#src/adapters/dynamodb/dynamodb-tender-repository.ts';
import { backfillPins } from '#src/adapters/dynamodb/pin-backfill.ts';
import { draftSummary } from '#src/core/model/draft.ts';
import { tenderRecord } from '../support/tender-records.ts';
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

it('finds, once backfillPins has run, the tenders and drafts stored before GSI3 without its attributes; a second run writes nothing', async () => {
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

  expect(await backfillPins(context)).toEqual({ tenders: 1, drafts: 1 });

  expect(await tenders.listPinning(pin, 10)).toEqual({ items: [tender], truncated: false });
  expect(await drafts.countPinning(pin)).toEqual({ incomplete: 0, ready: 1 });
  expect(await drafts.get(draft.owner, draft.id)).toEqual(draft);
  expect(await drafts.list(unpinned.owner)).toEqual([draftSummary(unpinned)]);
  expect(await backfillPins(context)).toEqual({ tenders: 0, drafts: 0 });
});

it('leaves a draft saved since the backfill read it to its saver (the write is conditional on the version read)', async () => {
  const tableName = await aws.newTable();
  const context = { db: aws.document, tableName };
  const drafts = new DynamoDbDraftRepository(context);
  const pin = { id: 'carmo-education', version: 2 };
  const old = storedDraft({ request: { schemaVersion: 2, framework: pin } });
  await aws.document.send(new PutCommand({ TableName: tableName, Item: { ...keys.draft(old.owner, old.id), entity: 'draft', version: 1, summary: draftSummary(old), data: old } }));
  // The buyer saves between the backfill's Scan and its write: simulated by saving on the first Scan's answer.
  const name = 'save-during-backfill';
  aws.document.middlewareStack.add(
    (next) => async (args) => {
      const output = await next(args);
      if ((args.input as { FilterExpression?: string }).FilterExpression?.includes('gsi3pk')) {
        aws.document.middlewareStack.remove(name);
        await drafts.replace(storedDraft({ request: { schemaVersion: 2, framework: { ...pin, version: 3 } }, version: 2 }), 1);
      }
      return output;
    },
    { step: 'initialize', name },
  );
  expect(await backfillPins(context)).toEqual({ tenders: 0, drafts: 0 });
  expect(await drafts.countPinning(pin)).toEqual({ incomplete: 0, ready: 0 });
  expect(await drafts.countPinning({ ...pin, version: 3 })).toEqual({ incomplete: 1, ready: 0 });
});
