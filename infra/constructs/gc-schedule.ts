import { Aws, Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { GSI1, keys } from '#src/adapters/dynamodb/table.ts';
import { RENDERINGS_SWEEP_EVENT } from '#src/adapters/schedule/gc-handler.ts';
import type { FunctionDefinition } from '#src/adapters/http/routes.ts';
import { TENDER_DOCUMENTS_PREFIX } from '#src/app/tender-record.ts';
import { CATALOGUE_REPORTS_PREFIX } from '#src/app/catalogue-keys.ts';
import { acknowledge } from '../nag.ts';
import { ApiFunction, partitionsOf } from './api-function.ts';
import { documentsBucketName, documentsObjectsArn } from './documents-bucket.ts';

/** The gc function's sizing: a Scan of the claims and a listing of tenders/, at night. */
export const GC_DEFINITION: FunctionDefinition = {
  description: 'Daily cleanup: claims left without their tender, expired idempotency keys, orphan documents; hourly: stalled renderings',
  table: 'none',
  bucket: 'none',
  memoryMb: 512,
  timeoutSeconds: 600,
};

/** Every day at 03:17 UTC, when no buyer is writing a tender. */
export const GC_SCHEDULE = { hour: '3', minute: '17' } as const;

/** Every hour at :47, the stalled renderings only (a Query of the pending ones): a buyer learns within the hour past the bound. */
export const RENDERINGS_SWEEP_SCHEDULE = { minute: '47' } as const;

/**
 * What collectGarbage does to the deployed data, and exactly the grants it needs: Scan (the
 * claims), GetItem and BatchGetItem (claims, tender records), PutItem only in tender partitions
 * (a claim's tender recorded after a crash), DeleteItem only in idempotency partitions (expired
 * keys), ListBucket only under tenders/ and catalogues/reports/, DeleteObject only on tenders/*
 * (orphans, and the files of a stalled rendering) and catalogues/reports/* (reports whose stored
 * catalogue is not recorded; GetItem reads CATREPORT#<id>); never catalogues/files/ (uploaded
 * files are shared by hash and never collected), Query on GSI1 only (the sparse RENDERINGS#PENDING partition:
 * tenders whose rendering is pending). Nothing else of the table or the bucket. The Query is not
 * narrowed with dynamodb:LeadingKeys: that key names the table's partition key, and GSI1 holds
 * nothing the gc could not already read with GetItem (criteria, frameworks, tenders).
 */
export const GC_TABLE_READ_ACTIONS = ['dynamodb:Scan', 'dynamodb:GetItem', 'dynamodb:BatchGetItem'];

export interface GcScheduleProps {
  stage: string;
  table: ITable;
  logRetention: RetentionDays;
  environment: Record<string, string>;
}

/** The scheduled gc function (functions/gc), its daily EventBridge rule and its hourly one (stalled renderings). */
export class GcSchedule extends Construct {
  readonly fn: ApiFunction;
  readonly rule: Rule;
  readonly renderingsRule: Rule;

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
    role.addToPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:Query'], resources: [`${table}/index/${GSI1}`] }));
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
        conditions: { StringLike: { 's3:prefix': [`${TENDER_DOCUMENTS_PREFIX}*`, `${CATALOGUE_REPORTS_PREFIX}*`] } },
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:DeleteObject'],
        resources: [documentsObjectsArn(props.stage, TENDER_DOCUMENTS_PREFIX), documentsObjectsArn(props.stage, CATALOGUE_REPORTS_PREFIX)],
      }),
    );
    acknowledge(role, {
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cahier-documents-${props.stage}-<AWS::AccountId>-<AWS::Region>/${TENDER_DOCUMENTS_PREFIX}*]`,
      reason: `Orphan documents are any object under ${TENDER_DOCUMENTS_PREFIX} that no tender names: the gc may delete objects under that prefix only (s3:DeleteObject), and list only that prefix.`,
    });
    acknowledge(role, {
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cahier-documents-${props.stage}-<AWS::AccountId>-<AWS::Region>/${CATALOGUE_REPORTS_PREFIX}*]`,
      reason: `Orphan catalogue reports are any object under ${CATALOGUE_REPORTS_PREFIX}<id>/ whose stored catalogue is not recorded: the gc may delete objects under that prefix only, and list only that prefix.`,
    });

    this.rule = new Rule(this, 'Daily', {
      description: `Cahier ${props.stage}: daily gc (orphan documents, claims without tender, expired idempotency keys)`,
      schedule: Schedule.cron(GC_SCHEDULE),
      // EventBridge retries a failed run; a run is idempotent (it deletes what is still orphaned).
      targets: [new LambdaFunction(this.fn.function, { retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });
    this.renderingsRule = new Rule(this, 'Hourly', {
      description: `Cahier ${props.stage}: hourly gc of the deferred renderings still pending past their bound`,
      schedule: Schedule.cron(RENDERINGS_SWEEP_SCHEDULE),
      // A missed hour is caught by the next one: no retry beyond the hour.
      targets: [new LambdaFunction(this.fn.function, { event: RuleTargetInput.fromObject(RENDERINGS_SWEEP_EVENT), retryAttempts: 2, maxEventAge: Duration.hours(1) })],
    });
  }
}
