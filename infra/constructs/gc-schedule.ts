import { Aws, Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { keys } from '#src/adapters/dynamodb/table.ts';
import type { FunctionDefinition } from '#src/adapters/http/routes.ts';
import { TENDER_DOCUMENTS_PREFIX } from '#src/app/tender-record.ts';
import { acknowledge } from '../nag.ts';
import { ApiFunction, partitionsOf } from './api-function.ts';
import { documentsBucketName, documentsObjectsArn } from './documents-bucket.ts';

/** The gc function's sizing: a Scan of the claims and a listing of tenders/, at night. */
export const GC_DEFINITION: FunctionDefinition = {
  description: 'Daily cleanup: claims left without their tender, expired idempotency keys, orphan documents',
  table: 'none',
  bucket: 'none',
  memoryMb: 512,
  timeoutSeconds: 600,
};

/** Every day at 03:17 UTC, when no buyer is writing a tender. */
export const GC_SCHEDULE = { hour: '3', minute: '17' } as const;

/**
 * What collectGarbage does to the deployed data, and exactly the grants it needs: Scan (the
 * claims), GetItem and BatchGetItem (claims, tender records), PutItem only in tender partitions
 * (a claim's tender recorded after a crash), DeleteItem only in idempotency partitions (expired
 * keys), ListBucket only under tenders/ and DeleteObject only on tenders/* (orphans). Nothing else
 * of the table or the bucket.
 */
export const GC_TABLE_READ_ACTIONS = ['dynamodb:Scan', 'dynamodb:GetItem', 'dynamodb:BatchGetItem'];

export interface GcScheduleProps {
  stage: string;
  table: ITable;
  logRetention: RetentionDays;
  environment: Record<string, string>;
}

/** The scheduled gc function (functions/gc) and its daily EventBridge rule. */
export class GcSchedule extends Construct {
  readonly fn: ApiFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: GcScheduleProps) {
    super(scope, id);
    this.fn = new ApiFunction(this, 'Function', {
      name: 'gc',
      definition: GC_DEFINITION,
      behindApi: false,
      usesData: true,
      stage: props.stage,
      table: props.table,
      logRetention: props.logRetention,
      environment: props.environment,
    });
    const role = this.fn.role;
    const table = props.table.tableArn;
    role.addToPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: GC_TABLE_READ_ACTIONS, resources: [table] }));
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:PutItem'],
        resources: [table],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [partitionsOf(keys.tender('x').pk)] } },
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:DeleteItem'],
        resources: [table],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [partitionsOf(keys.idempotency('owner', 'key').pk)] } },
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:ListBucket'],
        resources: [`arn:${Aws.PARTITION}:s3:::${documentsBucketName(props.stage)}`],
        conditions: { StringLike: { 's3:prefix': [`${TENDER_DOCUMENTS_PREFIX}*`] } },
      }),
    );
    role.addToPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:DeleteObject'], resources: [documentsObjectsArn(props.stage, TENDER_DOCUMENTS_PREFIX)] }));
    acknowledge(role, {
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cahier-documents-${props.stage}-<AWS::AccountId>-<AWS::Region>/${TENDER_DOCUMENTS_PREFIX}*]`,
      reason: `Orphan documents are any object under ${TENDER_DOCUMENTS_PREFIX} that no tender names: the gc may delete objects under that prefix only (s3:DeleteObject), and list only that prefix.`,
    });

    this.rule = new Rule(this, 'Daily', {
      description: `Cahier ${props.stage}: daily gc (orphan documents, claims without tender, expired idempotency keys)`,
      schedule: Schedule.cron(GC_SCHEDULE),
      // EventBridge retries a failed run; a run is idempotent (it deletes what is still orphaned).
      targets: [new LambdaFunction(this.fn.function, { retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });
  }
}
