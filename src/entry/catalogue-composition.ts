import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { createDynamoDbClients, createS3Client, type InstrumentClient } from '#src/adapters/aws-clients.ts';
import { RepositoryCatalogueReader } from '#src/adapters/stores/repository-catalogue-reader.ts';
import { DynamoDbAuditLog } from '#src/adapters/dynamodb/dynamodb-audit-log.ts';
import { DynamoDbCriteriaRepository } from '#src/adapters/dynamodb/dynamodb-criteria-repository.ts';
import { S3DocumentStore } from '#src/adapters/s3/s3-document-store.ts';
import type { AppConfig } from './config.ts';
import type { AuditLog } from '#src/app/ports/audit-log.ts';
import type { CatalogueReader } from '#src/app/ports/catalogue-reader.ts';
import type { CriteriaRepository } from '#src/app/ports/criteria-repository.ts';
import type { DocumentStore } from '#src/app/ports/document-store.ts';
import { randomIds, systemClock } from '#src/adapters/system.ts';
import type { Clock, IdGenerator } from '#src/app/ports/system.ts';

/**
 * The adapters behind every port but the tender records: what the catalogues function runs with,
 * and the base composition.ts adds the tenders to. This module never imports the tender
 * repository, whose record schema carries the request schemas (≈ 20 KiB minified with their
 * dependencies). catalogue-read and criteria-write need less still: criteria-composition.ts.
 */
export interface CatalogueComposition {
  criteria: CriteriaRepository;
  /** The append-only trail of the editors' changes. */
  audit: AuditLog;
  documents: DocumentStore;
  catalogue: CatalogueReader;
  clock: Clock;
  ids: IdGenerator;
  urlTtlSeconds: number;
  /** The table the repositories use (a function that builds its own repository, e.g. the catalogues function's records). */
  tableName: string;
  /** The SDK clients behind the adapters, for middleware (call counts, metrics). */
  clients: { dynamodb: DynamoDBClient; document: DynamoDBDocumentClient; s3: S3Client };
  /** Closes the SDK clients' sockets (local server shutdown, tests). */
  close(): void;
}

/** Real DynamoDB and S3 adapters from a validated configuration; `overrides` replace any member; `instrument` wraps the SDK clients. */
export function createCatalogueComposition(
  config: AppConfig,
  overrides: Partial<Omit<CatalogueComposition, 'close' | 'clients' | 'tableName'>> = {},
  instrument?: InstrumentClient,
): CatalogueComposition {
  const { client, document } = createDynamoDbClients(config.aws, instrument);
  const s3 = createS3Client(config.aws, instrument);
  const criteria = new DynamoDbCriteriaRepository({ db: document, tableName: config.tableName });
  return {
    criteria,
    audit: new DynamoDbAuditLog({ db: document, tableName: config.tableName }),
    documents: new S3DocumentStore(s3, config.bucketName),
    catalogue: new RepositoryCatalogueReader(criteria),
    clock: systemClock,
    ids: randomIds,
    urlTtlSeconds: config.urlTtlSeconds,
    ...overrides,
    tableName: config.tableName,
    clients: { dynamodb: client, document, s3 },
    close() {
      client.destroy();
      s3.destroy();
    },
  };
}
