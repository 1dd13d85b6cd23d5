import { Duration } from 'aws-cdk-lib';
import type { IHttpApi, IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { METRICS, metricsNamespace, RULE_ERROR_DIMENSION, SERVICE_NAME, type MetricName } from '#src/adapters/observability/metric-names.ts';
import type { StageConfig } from '../config.ts';

export interface MonitoringProps {
  config: StageConfig;
  api: IHttpApi;
  stage: IHttpStage;
  /** Every function of the stack, by name (the gc function included). */
  functions: Record<string, IFunction>;
  gc: IFunction;
  /** The route whose p99 latency is alarmed (detailed metrics enabled on it). */
  createTender: { method: string; path: string };
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * The stage's alarms and its one dashboard. Alarms notify an SNS topic (encrypted with its own
 * key, TLS only; `alarmEmail` in the stage config subscribes an address):
 * - 5xx rate of the API (API Gateway's 5xx over Count, so integration timeouts count too);
 * - p99 latency of POST /tenders (API Gateway's route-level Latency, detailed metrics on that route only);
 * - throttles of any function (Lambda Throttles, summed);
 * - orphans found by the daily gc (its GcOrphanObjects metric), and a failed gc run;
 * - a deferred rendering the gc recorded failed (GcRenderingsFailed): its jobs did not run.
 */
export class Monitoring extends Construct {
  readonly alarms: Alarm[];
  readonly dashboard: Dashboard;
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { config } = props;
    const thresholds = config.alarms;
    const app = (name: MetricName, statistic: string, period = FIVE_MINUTES, label?: string) =>
      new Metric({ namespace: metricsNamespace(config.stage), metricName: name, dimensionsMap: { service: SERVICE_NAME }, statistic, period, ...(label ? { label } : {}) });
    const routeMetric = (metricName: string, statistic: string) =>
      new Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiId: props.api.apiId, Stage: props.stage.stageName, Method: props.createTender.method, Resource: props.createTender.path },
        statistic,
        period: FIVE_MINUTES,
        label: `${props.createTender.method} ${props.createTender.path} ${statistic}`,
      });

    const key = new Key(this, 'AlarmsKey', { enableKeyRotation: true, description: `Cahier ${config.stage}: alarm notifications` });
    // CloudWatch publishes to the encrypted topic: it must be able to use the key.
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Alarms', { displayName: `Cahier ${config.stage} alarms`, masterKey: key, enforceSSL: true });
    if (config.alarmEmail) this.topic.addSubscription(new EmailSubscription(config.alarmEmail));

    const serverErrorRate = new MathExpression({
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: { errors: props.stage.metricServerError({ statistic: 'Sum', period: FIVE_MINUTES }), requests: props.stage.metricCount({ statistic: 'Sum', period: FIVE_MINUTES }) },
      period: FIVE_MINUTES,
      label: '5xx, % of requests',
    });
    const createTenderP99 = routeMetric('Latency', 'p99');
    const functions = Object.entries(props.functions);
    const throttles = new MathExpression({
      expression: functions.map((_, i) => `t${i}`).join(' + '),
      usingMetrics: Object.fromEntries(functions.map(([, fn], i) => [`t${i}`, fn.metricThrottles({ statistic: 'Sum', period: FIVE_MINUTES })])),
      period: FIVE_MINUTES,
      label: 'Lambda throttles, every function',
    });
    const orphans = app(METRICS.gcOrphanObjects, 'Maximum', Duration.days(1), 'Orphan documents found by gc');
    const stalledRenderings = app(METRICS.gcRenderingsFailed, 'Sum', Duration.hours(1), 'renderings failed by gc');

    const alarm = (id: string, metric: IMetric, threshold: number, description: string, evaluationPeriods = 1, datapointsToAlarm = evaluationPeriods) =>
      new Alarm(this, id, {
        alarmName: `cahier-${config.stage}-${id.replace(/[A-Z]/g, (c, i: number) => `${i ? '-' : ''}${c.toLowerCase()}`)}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods,
        datapointsToAlarm,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    this.alarms = [
      alarm('ServerErrorRate', serverErrorRate, thresholds.serverErrorRatePercent, `5xx answers are ${thresholds.serverErrorRatePercent} % or more of the API's requests in 2 of 3 five-minute periods: read the functions' "fault" log lines (requestId).`, 3, 2),
      alarm('CreateTenderLatencyP99', createTenderP99, thresholds.createTenderP99Ms, `p99 latency of POST /tenders is ${thresholds.createTenderP99Ms} ms or more for 3 five-minute periods (the HTTP API gives up at 30 s): see GenerationTime and the tenders function's Duration.`, 3),
      alarm('Throttles', throttles, 1, 'A function was throttled (account or reserved concurrency exhausted): requests failed with 5xx or were retried.'),
      alarm('OrphanDocuments', orphans, thresholds.orphanObjects, `The daily gc found ${thresholds.orphanObjects} or more orphan documents older than a day (a generation died between storing its documents and recording its tender): gc deleted them; look for "fault" lines of the tenders function that day.`),
      alarm('StalledRenderings', stalledRenderings, 1, 'The gc recorded failed a deferred rendering still pending past its bound (its buyer is told to generate again): the documents function did not run its job. Look at its "fault" lines and at the FailedInvocations of the DocumentJobs rule.'),
      alarm('GcFailed', props.gc.metricErrors({ statistic: 'Sum', period: Duration.days(1) }), 1, 'The daily gc run failed: its log group has the "fault" line; run `cahier gc --dry-run` against the stage to see what is pending.'),
    ];
    for (const a of this.alarms) a.addAlarmAction(new SnsAction(this.topic));

    const fnMetric = (statistic: string, pick: (fn: IFunction) => Metric) =>
      functions.map(([name, fn]) => pick(fn).with({ statistic, period: FIVE_MINUTES, label: name }));
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `cahier-${config.stage}`,
      defaultInterval: Duration.days(1),
      widgets: [
        [
          new TextWidget({ markdown: `# Cahier ${config.stage}\nAPI, tender generation, functions and the daily gc. Logs: each function's log group (JSON, \`requestId\`, \`tenderId\`); traces: X-Ray.`, width: 12, height: 3 }),
          new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 12, height: 3 }),
        ],
        [
          new GraphWidget({
            title: 'API requests and errors',
            left: [props.stage.metricCount({ statistic: 'Sum', period: FIVE_MINUTES, label: 'requests' }), props.stage.metricClientError({ statistic: 'Sum', period: FIVE_MINUTES, label: '4xx' }), props.stage.metricServerError({ statistic: 'Sum', period: FIVE_MINUTES, label: '5xx' })],
            right: [serverErrorRate],
            width: 8,
          }),
          new GraphWidget({
            title: 'API latency (ms)',
            left: [props.stage.metricLatency({ statistic: 'p50', period: FIVE_MINUTES, label: 'all routes p50' }), props.stage.metricLatency({ statistic: 'p99', period: FIVE_MINUTES, label: 'all routes p99' }), routeMetric('Latency', 'p50'), createTenderP99],
            width: 8,
          }),
          new GraphWidget({ title: 'Lambda throttles and errors', left: fnMetric('Sum', (fn) => fn.metricErrors()), right: [throttles], width: 8 }),
        ],
        [
          new GraphWidget({ title: 'Tenders generated', left: [app(METRICS.tendersGenerated, 'Sum', FIVE_MINUTES, 'tenders')], right: [app(METRICS.documentBytes, 'Sum', FIVE_MINUTES, 'document bytes')], width: 8 }),
          new GraphWidget({ title: 'Generation time (ms)', left: [app(METRICS.generationTime, 'p50', FIVE_MINUTES, 'p50'), app(METRICS.generationTime, 'p99', FIVE_MINUTES, 'p99')], width: 8 }),
          new GraphWidget({
            title: 'Rule errors that blocked a generation, by code',
            left: [
              new MathExpression({
                expression: `SEARCH('{${metricsNamespace(config.stage)},${RULE_ERROR_DIMENSION},service} MetricName="${METRICS.ruleErrors}"', 'Sum', 3600)`,
                period: Duration.hours(1),
                label: '',
              }),
            ],
            width: 8,
          }),
        ],
        [
          new GraphWidget({ title: 'Function answers 4xx / 5xx', left: [app(METRICS.http4xx, 'Sum', FIVE_MINUTES, '4xx'), app(METRICS.http5xx, 'Sum', FIVE_MINUTES, '5xx')], width: 8 }),
          new GraphWidget({ title: 'Function duration p99 (ms)', left: fnMetric('p99', (fn) => fn.metricDuration()), width: 8 }),
          new GraphWidget({
            title: 'Daily gc',
            left: [
              orphans,
              app(METRICS.gcOrphansDeleted, 'Sum', Duration.days(1), 'orphans deleted'),
              app(METRICS.gcClaimsCompleted, 'Sum', Duration.days(1), 'claims completed'),
              app(METRICS.gcClaimsExpired, 'Sum', Duration.days(1), 'claims expired'),
              stalledRenderings.with({ period: Duration.days(1) }),
            ],
            width: 8,
          }),
        ],
      ],
    });
  }
}
