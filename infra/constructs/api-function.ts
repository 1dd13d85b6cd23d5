import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Access, FunctionDefinition, FunctionName } from '#src/adapters/http/routes.ts';
import type { LambdaName } from '../bundling/bundling.ts';
import { GSI2_SUMMARIES, GSI3, keys, TABLE_INDEXES } from '#src/adapters/dynamodb/table.ts';
import { TENDER_DOCUMENTS_PREFIX } from '#src/app/tender-record.ts';
import { metricsNamespace, SERVICE_NAME } from '#src/adapters/observability/metric-names.ts';
import { bundlingOptions, entryOf, handlerOf, PROJECT_ROOT } from '../bundling/bundling.ts';
import { acknowledge } from '../nag.ts';
import { documentsBucketName, documentsObjectsArn } from './documents-bucket.ts';

/** Newest Node.js runtime in aws-cdk-lib 2.276 (cdk-nag L1 flags older ones). */
export const RUNTIME = Runtime.NODEJS_24_X;

/** DynamoDB reads the adapters make (no Scan, no streams); writes are PutItem only (no Update, BatchWrite), and DeleteItem where DELETABLE_PARTITIONS says. */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem'];
export const TABLE_DELETE_ACTIONS = ['dynamodb:DeleteItem'];

/**
 * The indexes only some functions may Query. GSI3 (every owner's tenders and drafts by the
 * framework version they pin): the tenders function alone, which answers POST
 * /frameworks/{id}/impact for editors. GSI2_SUMMARIES (a caller's tenders, summaries only): the
 * tenders function, which answers GET /tenders. The other functions with table access query GSI1
 * and GSI2 only.
 */
export const RESTRICTED_INDEX_READERS: Readonly<Record<string, readonly FunctionName[]>> = { [GSI3]: ['tenders'], [GSI2_SUMMARIES]: ['tenders'] };

/** The IAM LeadingKeys pattern of a key's partition kind: `TENDER#*` for `TENDER#abc`. */
export const partitionsOf = (pk: string) => `${pk.slice(0, pk.indexOf('#') + 1)}*`;

/**
 * The partitions each writing function may put items in (IAM `dynamodb:LeadingKeys`), from the
 * key builders of src/adapters/dynamodb/table.ts: in the one table, the tender generator can
 * record tenders and idempotency claims but never a criterion or a framework, and the criteria
 * editor the reverse. Item and offer versions live in one partition per kind (ITEMS, OFFERS),
 * named exactly: only the editors' function writes them (and the seed).
 */
export const WRITABLE_PARTITIONS: Partial<Record<FunctionName, string[]>> = {
  'criteria-write': [
    partitionsOf(keys.criterionPk('x')),
    partitionsOf(keys.frameworkPk('x')),
    keys.entryVersionsPk('item'),
    keys.entryVersionsPk('offer'),
    `${keys.auditPk('criterion', '')}*`,
    `${keys.auditPk('framework', '')}*`,
    `${keys.auditPk('item', '')}*`,
    `${keys.auditPk('offer', '')}*`,
  ],
  tenders: [partitionsOf(keys.tender('x').pk), partitionsOf(keys.idempotency('owner', 'key').pk)],
  // A deferred rendering's outcome replaces the tender item (completeRendering); never a claim.
  // Bid withdrawals append their audit entry, in bid partitions only (never a criterion's).
  documents: [partitionsOf(keys.tender('x').pk), `${keys.auditPk('bid', '')}*`],
  drafts: [partitionsOf(keys.draftPk('owner'))],
  catalogues: [partitionsOf(keys.storedCatalogue('x').pk)],
};

/** The partitions a function may delete items from: buyers delete their own drafts, catalogue managers and editors stored catalogues; nothing else is ever deleted by an API function. */
export const DELETABLE_PARTITIONS: Partial<Record<FunctionName, string[]>> = {
  drafts: [partitionsOf(keys.draftPk('owner'))],
  catalogues: [partitionsOf(keys.storedCatalogue('x').pk)],
};

/** The functions that delete objects under their prefix: documents (what a failed rendering wrote), catalogues (the reports of a deleted catalogue). */
const OBJECT_DELETES: Readonly<Partial<Record<FunctionName, string>>> = {
  documents: 'the delete removes the files of a rendering that failed, so that a tender never keeps part of one',
  catalogues: 'the delete removes the reports of a stored catalogue its owner or an editor deletes, after its record',
};

/** S3 actions per access level, on the documents prefix only (presigning a download needs GetObject). */
export const BUCKET_ACTIONS: Record<Exclude<Access, 'none'>, string[]> = {
  read: ['s3:GetObject'],
  'read-write': ['s3:GetObject', 's3:PutObject'],
};

/** Powertools' configuration: the `service` of every log line and metric, the stage's metrics namespace. */
export function powertoolsEnvironment(stage: string): Record<string, string> {
  return { POWERTOOLS_SERVICE_NAME: SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(stage) };
}

/** Active tracing grants xray:PutTraceSegments and xray:PutTelemetryRecords, which take no resource but "*". */
export const XRAY_ACKNOWLEDGEMENT = {
  id: 'AwsSolutions-IAM5[Resource::*]',
  reason: 'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permission, so X-Ray requires Resource "*"; no other action is granted on "*".',
};

export interface ApiFunctionProps {
  name: LambdaName;
  definition: FunctionDefinition;
  /** False for a function that no API route invokes (the scheduled gc): no 30 s limit. Default true. */
  behindApi?: boolean;
  /** Sets TABLE_NAME and BUCKET_NAME even when `definition` grants nothing (a caller adding its own grants). */
  usesData?: boolean;
  stage: string;
  table: ITable;
  logRetention: RetentionDays;
  /** Extra environment (e.g. URL_TTL_SECONDS); TABLE_NAME and BUCKET_NAME are set when the function has data access. */
  environment?: Record<string, string>;
}

/**
 * One function of the route table: its own role with exactly the actions its routes need, its
 * own log group with retention, ARM64, Node.js 24, bundled by infra/bundling. The handler
 * validates its environment at module load (src/entry/config.ts), so a bad variable fails the
 * cold start instead of a request.
 */
export class ApiFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);
    const { name, definition } = props;
    // The route table's grants are keyed by its functions; gc and pdf-renderer have their own (or none).
    const routed: FunctionName | undefined = name === 'gc' || name === 'pdf-renderer' ? undefined : name;
    if (props.behindApi !== false && definition.timeoutSeconds >= 30) throw new Error(`${name}: the HTTP API gives up after 30 s; the timeout must be shorter`);

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    // Not AWSLambdaBasicExecutionRole: that managed policy may write to any log group.
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `Cahier ${name} function` });
    this.logGroup.grantWrite(this.role);

    const usesData = props.usesData === true || definition.table !== 'none' || definition.bucket !== 'none';
    if (definition.table !== 'none') {
      this.role.addToPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: TABLE_READ_ACTIONS, resources: [props.table.tableArn] }));
      this.role.addToPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['dynamodb:Query'],
          resources: TABLE_INDEXES.filter((index) => {
            const readers = RESTRICTED_INDEX_READERS[index];
            return readers === undefined || (routed !== undefined && readers.includes(routed));
          }).map(
            (index) => `${props.table.tableArn}/index/${index}`,
          ),
        }),
      );
    }
    if (definition.table === 'read-write') {
      const partitions = routed && WRITABLE_PARTITIONS[routed];
      if (!partitions) throw new Error(`${name} writes to the table: list the partitions it writes in WRITABLE_PARTITIONS`);
      this.role.addToPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: TABLE_WRITE_ACTIONS,
          resources: [props.table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': partitions } },
        }),
      );
      const deletable = routed && DELETABLE_PARTITIONS[routed];
      if (deletable) {
        this.role.addToPolicy(
          new PolicyStatement({
            effect: Effect.ALLOW,
            actions: TABLE_DELETE_ACTIONS,
            resources: [props.table.tableArn],
            conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': deletable } },
          }),
        );
      }
    }
    if (definition.bucket !== 'none') {
      const prefix = definition.bucketPrefix ?? TENDER_DOCUMENTS_PREFIX;
      const documents = documentsObjectsArn(props.stage, prefix);
      const deletes = routed && OBJECT_DELETES[routed];
      const actions = [...BUCKET_ACTIONS[definition.bucket], ...(deletes ? ['s3:DeleteObject'] : [])];
      this.role.addToPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions, resources: [documents] }));
      const keysAre = prefix === TENDER_DOCUMENTS_PREFIX ? 'tenders/<tenderId>/<file>, created per tender' : `${prefix}files/<sha256>.<format> and ${prefix}reports/<id>/<file>, created per upload`;
      acknowledge(this.role, {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cahier-documents-${props.stage}-<AWS::AccountId>-<AWS::Region>/${prefix}*]`,
        reason: `Object keys are ${keysAre}: the grant is limited to that prefix and to ${actions.join(', ')}, no listing${deletes ? ` (${deletes})` : ', no delete'}.`,
      });
    }

    this.function = new NodejsFunction(this, 'Function', {
      description: `Cahier: ${definition.description}`,
      entry: entryOf(name),
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      handler: handlerOf(name),
      runtime: RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: definition.memoryMb,
      timeout: Duration.seconds(definition.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      // X-Ray: Lambda's segments, and a subsegment per DynamoDB and S3 call sent to the function's daemon (src/adapters/observability/xray-aws-calls.ts, wired in src/entry/lambda-composition.ts).
      tracing: Tracing.ACTIVE,
      environment: {
        ...powertoolsEnvironment(props.stage),
        ...(usesData ? { TABLE_NAME: props.table.tableName, BUCKET_NAME: documentsBucketName(props.stage) } : {}),
        ...props.environment,
      },
      bundling: bundlingOptions(name),
    });
    acknowledge(this.role, XRAY_ACKNOWLEDGEMENT);
  }
}
