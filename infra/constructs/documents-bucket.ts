import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, CfnBucket, BucketEncryption, HttpMethods, type CorsRule, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DOCUMENT_JOBS_PREFIX } from '#src/app/ports/document-jobs.ts';
import { acknowledge } from '../nag.ts';

/**
 * The documents bucket's name, unique per stage, account and region. Named rather than generated
 * so that the functions' grants can spell its ARN in their own stack (no cross-stack reference,
 * and a readable resource in IAM and in the cdk-nag acknowledgement).
 */
export function documentsBucketName(stage: string): string {
  return `cahier-documents-${stage}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

/** ARN of objects under `prefix` in the documents bucket, valid in any stack of the same account and region. */
export function documentsObjectsArn(stage: string, prefix: string): string {
  return `arn:${Aws.PARTITION}:s3:::${documentsBucketName(stage)}/${prefix}*`;
}

export interface DocumentsBucketProps {
  stage: string;
  /** Origins allowed to fetch documents cross-origin (the web app following a download redirect). */
  webOrigins: string[];
  noncurrentVersionExpirationDays: number;
  accessLogExpirationDays: number;
}

/**
 * The generated documents (tenders/<id>/…): private, TLS only, S3-managed encryption, versioned
 * (an overwrite or delete never loses a document a tender record hashes), old versions expire,
 * server access logs to a second private bucket. Both are retained when the stack is deleted.
 *
 * SSE-S3 rather than KMS: server access log targets only accept SSE-S3, and for the documents
 * themselves a customer key would add a key policy and per-request KMS cost without narrowing
 * who can read them (the IAM grants already do).
 */
export class DocumentsBucket extends Construct {
  readonly bucket: IBucket;
  readonly #bucket: Bucket;
  readonly accessLogs: IBucket;

  constructor(scope: Construct, id: string, props: DocumentsBucketProps) {
    super(scope, id);
    const accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(props.accessLogExpirationDays), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });
    acknowledge(accessLogs, {
      id: 'AwsSolutions-S1',
      reason: 'This bucket is the server access log target of the documents bucket; logging it into itself would loop and another log bucket would only move the finding.',
    });

    this.bucket = this.#bucket = new Bucket(this, 'Bucket', {
      bucketName: documentsBucketName(props.stage),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'documents/',
      cors: [corsRule(props.webOrigins)],
      lifecycleRules: [
        // A job is read once, by the event it raises: forgotten after a day.
        { id: 'expire-document-jobs', prefix: DOCUMENT_JOBS_PREFIX, expiration: Duration.days(1) },
        {
          id: 'expire-old-versions',
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionExpirationDays),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    this.accessLogs = accessLogs;
    // Object-created events go to EventBridge, where the stateless stack's rule picks the deferred
    // renderings' jobs (document-jobs/) for the documents function. Set on the L1: the L2's
    // `eventBridgeEnabled` goes through CDK's notifications custom resource (a Lambda function with
    // an AWS managed policy), where CloudFormation's own NotificationConfiguration suffices.
    (this.#bucket.node.defaultChild as CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
  }

  /** Lets another web origin (e.g. the CloudFront distribution's, known only once it exists) fetch documents. */
  allowWebOrigin(origin: string): void {
    this.#bucket.addCorsRule(corsRule([origin]));
  }
}

function corsRule(origins: string[]): CorsRule {
  return { allowedMethods: [HttpMethods.GET, HttpMethods.HEAD], allowedOrigins: origins, maxAge: 3600 };
}
