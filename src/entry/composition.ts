import type { InstrumentClient } from '#src/adapters/aws-clients.ts';
import { DynamoDbDraftRepository } from '#src/adapters/dynamodb/dynamodb-draft-repository.ts';
import { DynamoDbTenderRepository } from '#src/adapters/dynamodb/dynamodb-tender-repository.ts';
import type { DraftRepository } from '#src/app/ports/draft-repository.ts';
import type { TenderRepository } from '#src/app/ports/tender-repository.ts';
import { createCatalogueComposition, type CatalogueComposition } from './catalogue-composition.ts';
import type { AppConfig } from './config.ts';

export type { CatalogueComposition } from './catalogue-composition.ts';

/** The adapters behind the ports, wired once per process (Lambda cold start, local server, test). */
export interface Composition extends CatalogueComposition {
  tenders: TenderRepository;
  /** Buyers' named drafts. */
  drafts: DraftRepository;
}

/**
 * Real DynamoDB and S3 adapters from a validated configuration; `overrides` replace any member
 * (tests: clock, ids); `instrument` wraps the SDK clients (tracing, in Lambda only: see
 * lambda-composition.ts).
 */
export function createComposition(
  config: AppConfig,
  overrides: Partial<Omit<Composition, 'close' | 'clients' | 'tableName'>> = {},
  instrument?: InstrumentClient,
): Composition {
  const { tenders, drafts, ...rest } = overrides;
  const base = createCatalogueComposition(config, rest, instrument);
  return {
    ...base,
    tenders: tenders ?? new DynamoDbTenderRepository({ db: base.clients.document, tableName: config.tableName }),
    drafts: drafts ?? new DynamoDbDraftRepository({ db: base.clients.document, tableName: config.tableName }),
  };
}
