import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { GSI1, GSI2, GSI2_SUMMARIES, GSI3, SUMMARY_ATTRIBUTES, TTL_ATTRIBUTE } from '#src/adapters/dynamodb/table.ts';

/**
 * The one Cahier table, with the key schema and the four sparse indexes that
 * `ensureTable` (src/adapters/dynamodb/table.ts) creates locally; test/infra/stateful.test.ts
 * runs `ensureTable` against a recording client and compares, so the two cannot drift.
 * On demand, point-in-time recovery (35 days), deletion protection, encrypted with the
 * AWS-managed KMS key (auditable in CloudTrail, no key to administer), retained on delete.
 * Idempotency claims carry a TTL attribute: DynamoDB deletes them once their key has expired
 * (dynalite has no TTL: `cahier gc` sweeps them locally).
 */
export class CahierTable extends Construct {
  readonly table: ITable;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
      deletionProtection: true,
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: TTL_ATTRIBUTE,
    });
    for (const [index, prefix] of [[GSI1, 'gsi1'], [GSI2, 'gsi2'], [GSI3, 'gsi3']] as const) {
      table.addGlobalSecondaryIndex({
        indexName: index,
        partitionKey: { name: `${prefix}pk`, type: AttributeType.STRING },
        sortKey: { name: `${prefix}sk`, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    // Added to tables that hold tenders already: DynamoDB builds it from their items (one index
    // creation per deployment, as CloudFormation requires).
    table.addGlobalSecondaryIndex({
      indexName: GSI2_SUMMARIES,
      partitionKey: { name: 'gsi2pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi2sk', type: AttributeType.STRING },
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: [...SUMMARY_ATTRIBUTES],
    });
    this.table = table;
  }
}
