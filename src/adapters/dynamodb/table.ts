/**
 * The Cahier table: one DynamoDB table for criteria, frameworks, catalogue items, offers and
 * tenders. docs/data-model.md has the same layout as an access-pattern table.
 *
 *   entity                 pk                              sk            gsi1pk / gsi1sk            gsi2pk / gsi2sk
 *                                                                         (gsi3pk / gsi3sk: see GSI3 below)
 *   criterion version      CRITERION#<id>                  V#<10 digits>  -                          -
 *   criterion latest       CRITERION#<id>                  LATEST         CATEGORY#<category> / <id> -
 *   framework version      FRAMEWORK#<id>                  V#<10 digits>  -                          -
 *   framework latest       FRAMEWORK#<id>                  LATEST         FRAMEWORKS / <id>          -
 *   item version           ITEMS                           <id>#V#<10 digits> -                      -
 *   offer version          OFFERS                          <id>#V#<10 digits> -                      -
 *   tender                 TENDER#<id>                     META           -                          OWNER#<owner> / <createdAt>#<id>
 *   tender, rendering      TENDER#<id>                     META           RENDERINGS#PENDING /       OWNER#<owner> / <createdAt>#<id>
 *     pending                                                              <createdAt>#<id>
 *   idempotency claim      IDEMPOTENCY#<owner>#<key>       CLAIM          -                          -   (expiresAt: TTL)
 *   audit entry            AUDIT#<kind>#<id>               V#<10 digits>  AUDIT / <at>#<target>      -   (append-only)
 *   buyer's draft          DRAFT#<owner>                   <draft id>     -                          -   (version: conditional writes)
 *   stored catalogue       CATREPORT#<id>                  META           CATREPORTS /               CATREPORTS#<owner> /
 *                                                                         <createdAt>#<id>           <createdAt>#<id>
 *
 * Every item is an envelope: the keys above, `entity`, `version` where a condition needs it,
 * and the domain object in `data`, validated with its zod schema on every read (a tender also
 * carries its `summary`, see GSI2_SUMMARIES below). Owner and key
 * in the idempotency pk, and the owner in the draft pk, are URI-encoded so a "#" in either cannot make two pairs collide.
 *
 * Why this shape, and not transactions (dynalite has none, and none are needed):
 * - A criterion version item is the commit point. It is written once with attribute_not_exists,
 *   and only when the version before it exists, so versions are contiguous and two editors who
 *   read the same version cannot both write the next one.
 * - The LATEST item is a copy of the newest version. It only moves forward (its write is
 *   conditioned on a smaller `version`) and feeds the category index. A crash between the two
 *   writes leaves it one version behind: readers see the previous version (a stale read, never a
 *   torn or lost one) until the next edit attempt, which gets a conflict and moves it forward.
 * - Item and offer versions (immutable, contiguous, same conditional put) share one partition per
 *   kind and have no LATEST copy: a snapshot reads every version of every item in one query, and
 *   the newest version of one entry is the last of its sort-key range. Tables seeded before items
 *   were versioned also hold CATALOGUE#ITEM / CATALOGUE#OFFER items (one unversioned copy each):
 *   read as version 1 while the versions partition is empty, and turned into version 1 before an
 *   editor's first write (dynamodb-entry-versions.ts); the seed writes version 1 of each item and
 *   offer from the catalogue files, which those copies equal.
 * - Frameworks follow the same two steps; a framework version holds its pinned criterion refs, so
 *   listing the criteria of a framework pages over those refs with batch reads instead of
 *   maintaining one membership item per criterion and framework version.
 * - A tender is recorded after its documents exist; with an idempotency key the claim item (which
 *   carries the whole record) is written first and the tender item second, so a crash in between
 *   is completed by the retry (see DynamoDbTenderRepository).
 *
 * GSI1 (projection ALL) lists the latest criteria of a category, the frameworks, and the tenders
 * whose deferred rendering is pending (only while it is: completeRendering rewrites the item
 * without the GSI1 attributes, so it leaves the index; the gc reads that partition, no Scan); GSI2
 * (projection ALL) lists a caller's tenders by date. Both are sparse: only items with the
 * attributes are indexed.
 *
 * GSI3 (projection ALL, sparse) lists what pins a framework version, across owners, for the
 * ministry's editors (the impact of a change before it is published):
 *   tender                 gsi3pk PIN#<framework>@<version>   gsi3sk TENDER#<createdAt>#<id>
 *   buyer's draft          gsi3pk PIN#<framework>@<version>   gsi3sk DRAFT#<status>#<owner>#<id>   (only when its request names a version)
 * Items stored before GSI3 existed lack the attributes: backfillIndexAttributes (index-backfill.ts)
 * adds them, idempotently; the local server runs it at start-up, a deployed stage once with
 * scripts/backfill-indexes.ts.
 *
 * GSI2_SUMMARIES has GSI2's keys and projects only `entity` and `summary`: a copy of the tender's
 * summary (TenderSummarySchema: title, framework, documents, rendering status) that every tender
 * write puts beside `data`, in the same item, so the two never disagree. Listing a caller's
 * tenders reads those few hundred bytes per tender instead of whole records, whose requests make
 * most of their size (a Query reads at most 1 MB before its Limit, and is billed on what it reads).
 * Tenders stored before the index have no `summary`: the index still holds their keys (DynamoDB
 * indexes existing items when the index is added), the listing reads their summaries from the
 * table, and backfillIndexAttributes gives them the attribute.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { issuesFromZod } from '#src/core/model/errors.ts';

/** DynamoDB TTL attribute (epoch seconds) of the deployed table; only idempotency claims carry it. */
export const TTL_ATTRIBUTE = 'expiresAt';

export const GSI1 = 'gsi1';
export const GSI2 = 'gsi2';
export const GSI3 = 'gsi3';
/** GSI2's keys with only a tender's `summary` projected: the listing of a caller's tenders (see the layout above). */
export const GSI2_SUMMARIES = 'gsi2summaries';
/** Every index ensureTable creates (infra/constructs/cahier-table.ts declares the same). */
export const TABLE_INDEXES = [GSI1, GSI2, GSI3, GSI2_SUMMARIES] as const;
/** What GSI2_SUMMARIES projects besides the keys. */
export const SUMMARY_ATTRIBUTES = ['entity', 'summary'] as const;

export type Entity = 'criterion' | 'criterion-latest' | 'framework' | 'framework-latest' | 'item' | 'offer' | 'tender' | 'idempotency' | 'audit' | 'draft' | 'stored-catalogue';

export interface Key {
  pk: string;
  sk: string;
}

const MAX_VERSION = 9_999_999_999;
export const LATEST = 'LATEST';
export const VERSION_PREFIX = 'V#';

/** Zero-padded so that versions sort numerically as strings. */
export function versionSk(version: number): string {
  if (!Number.isSafeInteger(version) || version < 1 || version > MAX_VERSION) {
    throw new RangeError(`version out of range: ${version}`);
  }
  return `${VERSION_PREFIX}${String(version).padStart(10, '0')}`;
}

function entryVersionsPk(kind: 'item' | 'offer'): string {
  return kind === 'item' ? 'ITEMS' : 'OFFERS';
}

export const keys = {
  criterionPk: (id: string) => `CRITERION#${id}`,
  criterionVersion: (id: string, version: number): Key => ({ pk: `CRITERION#${id}`, sk: versionSk(version) }),
  criterionLatest: (id: string): Key => ({ pk: `CRITERION#${id}`, sk: LATEST }),
  categoryPartition: (category: string) => `CATEGORY#${category}`,
  frameworkPk: (id: string) => `FRAMEWORK#${id}`,
  frameworkVersion: (id: string, version: number): Key => ({ pk: `FRAMEWORK#${id}`, sk: versionSk(version) }),
  frameworkLatest: (id: string): Key => ({ pk: `FRAMEWORK#${id}`, sk: LATEST }),
  frameworksPartition: 'FRAMEWORKS',
  /** The partition of every version of every item (`item`) or offer (`offer`). */
  entryVersionsPk,
  entryVersion: (kind: 'item' | 'offer', id: string, version: number): Key => ({ pk: entryVersionsPk(kind), sk: `${id}#${versionSk(version)}` }),
  tender: (id: string): Key => ({ pk: `TENDER#${id}`, sk: 'META' }),
  auditPk: (kind: string, id: string) => `AUDIT#${kind}#${id}`,
  auditPartition: 'AUDIT',
  ownerPartition: (owner: string) => `OWNER#${owner}`,
  /** GSI1 partition of the tenders whose rendering is pending (sparse: the item leaves it when the rendering ends). */
  pendingRenderingsPartition: 'RENDERINGS#PENDING',
  /** A stored catalogue (POST /catalogues): not under CATALOGUE#, whose partitions hold the reference items and offers. */
  storedCatalogue: (id: string): Key => ({ pk: `CATREPORT#${id}`, sk: 'META' }),
  /** GSI1 partition of every stored catalogue (an editor's listing); GSI2 partition of one owner's. */
  storedCataloguesPartition: 'CATREPORTS',
  storedCataloguesOwnerPartition: (owner: string) => `CATREPORTS#${encodeURIComponent(owner)}`,
  draftPk: (owner: string) => `DRAFT#${encodeURIComponent(owner)}`,
  draft: (owner: string, id: string): Key => ({ pk: `DRAFT#${encodeURIComponent(owner)}`, sk: id }),
  /** GSI3 partition of the tenders and drafts that pin a framework version. */
  pinPartition: (framework: { id: string; version: number }) => `PIN#${framework.id}@${framework.version}`,
  idempotency: (owner: string, key: string): Key => ({
    pk: `IDEMPOTENCY#${encodeURIComponent(owner)}#${encodeURIComponent(key)}`,
    sk: 'CLAIM',
  }),
};

/** A stored item that does not fit its schema or its own key: a defect to fix, never a value to use (HTTP 500). */
export class CorruptItemError extends Error {
  constructor(readonly key: Key, readonly problems: readonly string[]) {
    super(`corrupt item ${key.pk} / ${key.sk}: ${problems.join('; ')}`);
    this.name = 'CorruptItemError';
  }
}

/**
 * The domain object inside a stored envelope, validated with `schema`, and with `check` for
 * consistency between the object and its keys.
 */
export function readData<T>(
  item: Record<string, unknown>,
  entity: Entity,
  schema: z.ZodType<T>,
  check: (value: T) => string | undefined = () => undefined,
): T {
  const key = { pk: String(item.pk), sk: String(item.sk) };
  if (item.entity !== entity) throw new CorruptItemError(key, [`expected entity ${entity}, found ${String(item.entity)}`]);
  const parsed = schema.safeParse(item.data);
  if (!parsed.success) {
    throw new CorruptItemError(
      key,
      issuesFromZod(parsed.error, 'data').map((i) => `${i.path}: ${i.message}`),
    );
  }
  const problem = check(parsed.data);
  if (problem !== undefined) throw new CorruptItemError(key, [problem]);
  return parsed.data;
}

const KeyPart = z.string().min(1).max(1024);

/** A LastEvaluatedKey of a GSI1 query, bound to the partition it was issued for. */
export function gsi1CursorSchema(partition: string) {
  return z.strictObject({ pk: KeyPart, sk: KeyPart, gsi1pk: z.literal(partition), gsi1sk: KeyPart });
}

/** A LastEvaluatedKey of a GSI2 query, bound to the partition it was issued for. */
export function gsi2CursorSchema(partition: string) {
  return z.strictObject({ pk: KeyPart, sk: KeyPart, gsi2pk: z.literal(partition), gsi2sk: KeyPart });
}

const STRING = 'S' as const;

/**
 * Creates the table with its four indexes (on-demand billing) and waits until it and its
 * indexes are active. Does nothing when the table already exists. For local servers and tests;
 * deployed tables come from the infrastructure code.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string, options: { timeoutMs?: number } = {}): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: STRING },
          { AttributeName: 'sk', AttributeType: STRING },
          { AttributeName: 'gsi1pk', AttributeType: STRING },
          { AttributeName: 'gsi1sk', AttributeType: STRING },
          { AttributeName: 'gsi2pk', AttributeType: STRING },
          { AttributeName: 'gsi2sk', AttributeType: STRING },
          { AttributeName: 'gsi3pk', AttributeType: STRING },
          { AttributeName: 'gsi3sk', AttributeType: STRING },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: GSI1,
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
          {
            IndexName: GSI2,
            KeySchema: [
              { AttributeName: 'gsi2pk', KeyType: 'HASH' },
              { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
          {
            IndexName: GSI3,
            KeySchema: [
              { AttributeName: 'gsi3pk', KeyType: 'HASH' },
              { AttributeName: 'gsi3sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
          {
            IndexName: GSI2_SUMMARIES,
            KeySchema: [
              { AttributeName: 'gsi2pk', KeyType: 'HASH' },
              { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...SUMMARY_ATTRIBUTES] },
          },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (let delay = 20; ; delay = Math.min(delay * 2, 2_000)) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (Date.now() > deadline) throw new Error(`table ${tableName} is not active after waiting`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
