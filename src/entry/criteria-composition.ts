import { createDynamoDbClients, type InstrumentClient } from '#src/adapters/aws-clients.ts';
import { DynamoDbAuditLog } from '#src/adapters/dynamodb/dynamodb-audit-log.ts';
import { DynamoDbCriteriaRepository } from '#src/adapters/dynamodb/dynamodb-criteria-repository.ts';
import { systemClock } from '#src/adapters/system.ts';
import type { AuditLog } from '#src/app/ports/audit-log.ts';
import type { CriteriaRepository } from '#src/app/ports/criteria-repository.ts';
import type { Clock } from '#src/app/ports/system.ts';
import type { AppConfig } from './config.ts';

/**
 * What criteria-write and catalogue-read run with: the criteria, the audit trail and the clock,
 * over DynamoDB only. Neither function has a bucket (routes.ts, FUNCTIONS), so neither builds an
 * S3 client: that keeps the S3 SDK (≈ 130 KiB minified with its checksums, XML builder and
 * presigner) out of their bundles, which the criteria sheet's bounded reader would otherwise push
 * over the code budget in criteria-write.
 */
export interface CriteriaComposition {
  criteria: CriteriaRepository;
  audit: AuditLog;
  clock: Clock;
}

export function createCriteriaComposition(config: AppConfig, overrides: Partial<CriteriaComposition> = {}, instrument?: InstrumentClient): CriteriaComposition {
  const { document } = createDynamoDbClients(config.aws, instrument);
  return {
    criteria: new DynamoDbCriteriaRepository({ db: document, tableName: config.tableName }),
    audit: new DynamoDbAuditLog({ db: document, tableName: config.tableName }),
    clock: systemClock,
    ...overrides,
  };
}
