import { Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { FUNCTIONS } from '#src/adapters/http/routes.ts';
import { DOCUMENT_JOBS_PREFIX } from '#src/app/ports/document-jobs.ts';
import { acknowledge } from '../nag.ts';
import type { ApiFunction } from './api-function.ts';
import { documentsBucketName, documentsObjectsArn } from './documents-bucket.ts';

export interface DocumentJobsProps {
  stage: string;
  /** Queues the jobs: may put objects under document-jobs/ and nothing else of that prefix. */
  tenders: ApiFunction;
  /** Runs them (functions/documents). */
  documents: ApiFunction;
}

/**
 * How often a job is retried, and for how long: by EventBridge when it cannot invoke the
 * function, then by the function's asynchronous queue when a run fails or is throttled (Lambda's
 * default there is six hours). Both bounded, so that a job is over at most two of these ages (plus
 * one run) after it was queued: what the gc's bound for pending renderings must exceed
 * (pendingRenderingMaxAgeMinutes, infra/config.ts).
 */
export const DOCUMENT_JOB_RETRIES = 2;
export const DOCUMENT_JOB_MAX_AGE = Duration.hours(1);

/** The longest a queued job can still be running, in seconds: both queues' ages and one run of the documents function. */
export const DOCUMENT_JOB_WINDOW_SECONDS = 2 * DOCUMENT_JOB_MAX_AGE.toSeconds() + FUNCTIONS.documents.timeoutSeconds;

/**
 * Deferred renderings (issue #19): the tenders function writes `document-jobs/<tenderId>.json`
 * (src/adapters/jobs/stored-document-jobs.ts); the documents bucket sends its object-created events
 * to EventBridge (stateful stack), and this rule invokes the documents function asynchronously for
 * that prefix. Chosen over a direct `lambda:InvokeFunction` so that the tenders function bundles
 * no Lambda client and holds no permission beyond s3:PutObject on that prefix; EventBridge retries
 * a failed invocation. The documents function's own grants (writes to tender items only, deletes
 * under tenders/ what a failed rendering wrote) are in api-function.ts.
 */
export class DocumentJobs extends Construct {
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: DocumentJobsProps) {
    super(scope, id);
    const bucket = documentsBucketName(props.stage);
    props.tenders.role.addToPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:PutObject'], resources: [documentsObjectsArn(props.stage, DOCUMENT_JOBS_PREFIX)] }));
    acknowledge(props.tenders.role, {
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cahier-documents-${props.stage}-<AWS::AccountId>-<AWS::Region>/${DOCUMENT_JOBS_PREFIX}*]`,
      reason: `Job objects are ${DOCUMENT_JOBS_PREFIX}<tenderId>.json, one per deferred tender: s3:PutObject on that prefix only, no read, no listing, no delete.`,
    });

    this.rule = new Rule(this, 'Created', {
      description: `Cahier ${props.stage}: a deferred rendering queued by the tenders function runs in the documents function`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [bucket] }, object: { key: [{ prefix: DOCUMENT_JOBS_PREFIX }] } },
      },
      targets: [new LambdaFunction(props.documents.function, { retryAttempts: DOCUMENT_JOB_RETRIES, maxEventAge: DOCUMENT_JOB_MAX_AGE })],
    });
    // The invocation is asynchronous: without this, a failed or throttled job could be retried for six hours.
    props.documents.function.configureAsyncInvoke({ retryAttempts: DOCUMENT_JOB_RETRIES, maxEventAge: DOCUMENT_JOB_MAX_AGE });
  }
}
