import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { handlerOf, type LambdaName } from '../../infra/bundling/bundling.ts';
import { GC_SCHEDULE, RENDERINGS_SWEEP_SCHEDULE } from '../../infra/constructs/gc-schedule.ts';
import { DOCUMENT_JOB_WINDOW_SECONDS } from '../../infra/constructs/document-jobs.ts';
import { RENDERINGS_SWEEP_EVENT } from '#src/adapters/schedule/gc-handler.ts';
import { PENDING_RENDERING_MAX_AGE_SECONDS } from '#src/app/fail-stalled-renderings.ts';
import { METRICS } from '#src/adapters/observability/metric-names.ts';
import { ACCESS_LOG_FIELDS, throttleClassOf } from '../../infra/stateless-stack.ts';
import { EnvSchema } from '#src/entry/config.ts';
import { FUNCTIONS, ROUTES, routeKey, type FunctionName } from '#src/adapters/http/routes.ts';
import { CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS, CORS_EXPOSE_HEADERS, CORS_MAX_AGE_SECONDS } from '#src/adapters/http/headers.ts';
import { logicalIdOf, stageTemplates } from './support/synth.ts';

const NAMES = [...new Set(ROUTES.map((r) => r.function))] as FunctionName[];
/** The route table's functions and the scheduled gc. */
const ALL: LambdaName[] = [...NAMES, 'gc', 'pdf-renderer'];

describe('stateless stack', () => {
  const { stateless } = stageTemplates('dev');
  const functionId = (name: LambdaName) => logicalIdOf(stateless, 'AWS::Lambda::Function', { Handler: handlerOf(name) });
  const fn = (name: LambdaName) => stateless.toJSON().Resources[functionId(name)].Properties;

  describe('functions', () => {
    it('has one function per function of the route table, the scheduled gc, the pdf-renderer, and no other', () => {
      expect(Object.keys(stateless.findResources('AWS::Lambda::Function'))).toHaveLength(NAMES.length + 2);
      expect(fn('gc').Timeout).toBe(600);
      // Under the callers' 27 s invocation timeout (src/adapters/render/lambda-pdf-engine.ts), itself under the API's 30 s.
      expect(fn('pdf-renderer')).toMatchObject({ Timeout: 25, MemorySize: 1024, Runtime: 'nodejs24.x', Architectures: ['arm64'] });
    });

    it.each(NAMES)('%s runs on Node.js 24, ARM64, with the memory of the route table and a timeout under the 30 s of the HTTP API', (name) => {
      const props = fn(name);

      expect(props.Runtime).toBe('nodejs24.x');
      expect(props.Architectures).toEqual(['arm64']);
      expect(props.MemorySize).toBe(FUNCTIONS[name].memoryMb);
      expect(props.Timeout).toBe(FUNCTIONS[name].timeoutSeconds);
      expect(props.Timeout).toBeLessThan(30);
    });

    it.each(ALL)('%s logs JSON to its own log group, kept 14 days in dev', (name) => {
      const props = fn(name);
      const logGroup = props.LoggingConfig.LogGroup.Ref as string;

      expect(props.LoggingConfig).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN' });
      expect(stateless.toJSON().Resources[logGroup]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 14 } });
      const others = ALL.filter((n) => n !== name).map((n) => fn(n).LoggingConfig.LogGroup.Ref);
      expect(others).not.toContain(logGroup);
    });

    it.each(ALL)('%s gets only variables its cold-start validation knows, and the table and bucket names when it uses data', (name) => {
      const variables = Object.keys(fn(name).Environment?.Variables ?? {});
      const known = Object.keys(EnvSchema.shape);

      expect(variables.filter((v) => !known.includes(v))).toEqual([]);
      const usesData = name === 'gc' || (name !== 'pdf-renderer' && (FUNCTIONS[name].table !== 'none' || FUNCTIONS[name].bucket !== 'none'));
      expect(variables.includes('TABLE_NAME') && variables.includes('BUCKET_NAME')).toBe(usesData);
    });

    it.each(ALL)('%s has Powertools configured (service name, the stage’s metrics namespace) and active X-Ray tracing', (name) => {
      const props = fn(name);

      expect(props.Environment.Variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'cahier', POWERTOOLS_METRICS_NAMESPACE: 'Cahier/dev' });
      expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    });

    it('gives the tenders function the download URL lifetime of the stage', () => {
      expect(fn('tenders').Environment.Variables.URL_TTL_SECONDS).toBe('300');
    });
  });

  describe('HTTP API', () => {
    const routes = stateless.findResources('AWS::ApiGatewayV2::Route');
    const byKey = new Map(Object.values(routes).map((r) => [r.Properties.RouteKey as string, r.Properties]));

    it('has exactly the routes of the route table, and a HEAD route beside each GET route with the same function and authorizer', () => {
      const heads = ROUTES.filter((r) => r.method === 'GET').map((r) => `HEAD ${r.path}`);
      expect([...byKey.keys()].sort()).toEqual([...ROUTES.map(routeKey), ...heads].sort());
      for (const route of ROUTES.filter((r) => r.method === 'GET')) {
        const get = byKey.get(routeKey(route))!;
        const head = byKey.get(`HEAD ${route.path}`)!;
        expect(head.Target, route.path).toEqual(get.Target);
        expect(head.AuthorizationType, route.path).toBe(get.AuthorizationType);
      }
    });

    it('puts the Cognito JWT authorizer on every route except the public ones, /health and /openapi.json', () => {
      const authorizer = Object.keys(stateless.findResources('AWS::ApiGatewayV2::Authorizer'))[0];

      for (const route of ROUTES) {
        const props = byKey.get(routeKey(route))!;
        if (route.role === 'public') {
          expect(props.AuthorizationType, routeKey(route)).toBe('NONE');
        } else {
          expect(props.AuthorizationType, routeKey(route)).toBe('JWT');
          expect(props.AuthorizerId, routeKey(route)).toEqual({ Ref: authorizer });
        }
      }
      expect(ROUTES.filter((r) => r.role === 'public').map((r) => r.path).sort()).toEqual(['/health', '/openapi.json']);
    });

    it('verifies tokens issued by the user pool for the web client', () => {
      stateless.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [Match.objectLike({ 'Fn::GetStackOutput': Match.objectLike({ StackName: 'Cahier-dev-Stateful' }) })],
          Issuer: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('^https://cognito-idp\\.')])] }),
        },
      });
    });

    it('sends each route to the function the route table names', () => {
      const integrations = stateless.findResources('AWS::ApiGatewayV2::Integration');
      for (const route of ROUTES) {
        const target = byKey.get(routeKey(route))!.Target['Fn::Join'][1][1].Ref as string;
        const integration = integrations[target]!.Properties;

        expect(integration.IntegrationUri['Fn::GetAtt'][0], routeKey(route)).toBe(functionId(route.function));
        expect(integration.PayloadFormatVersion).toBe('2.0');
      }
    });

    it('throttles the stage (read routes), each rendering route and each editor write more tightly, and measures POST /tenders per route', () => {
      stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
        RouteSettings: {
          'POST /tenders': { ThrottlingRateLimit: 2, ThrottlingBurstLimit: 5, DetailedMetricsEnabled: true },
          'POST /tenders/{id}/regenerate': { ThrottlingRateLimit: 2, ThrottlingBurstLimit: 5 },
          'POST /catalogues': { ThrottlingRateLimit: 2, ThrottlingBurstLimit: 5 },
          'PUT /criteria/{id}': { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
          'POST /frameworks/{id}/versions': { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
        },
      });
      const stage = Object.values(stateless.findResources('AWS::ApiGatewayV2::Stage'))[0]!.Properties;
      expect(Object.keys(stage.RouteSettings).sort()).toEqual(ROUTES.filter((r) => throttleClassOf(r) !== 'read').map(routeKey).sort());
      expect(ROUTES.filter((r) => throttleClassOf(r) === 'render').map((r) => r.operationId)).toEqual(['createCatalogue', 'createTender', 'regenerateTender']);
    });

    it('writes one JSON access log line per request to a log group with retention', () => {
      const stage = Object.values(stateless.findResources('AWS::ApiGatewayV2::Stage'))[0]!.Properties;
      const logGroup = stage.AccessLogSettings.DestinationArn['Fn::GetAtt'][0] as string;

      expect(JSON.parse(stage.AccessLogSettings.Format)).toEqual(ACCESS_LOG_FIELDS);
      expect(stateless.toJSON().Resources[logGroup].Properties.RetentionInDays).toBe(14);
    });

    it('allows the web origin, the headers the API reads and the ones the web app needs to see', () => {
      stateless.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        ProtocolType: 'HTTP',
        CorsConfiguration: {
          AllowOrigins: Match.arrayWith(['http://localhost:5173']),
          // The lists the local server answers preflights with (src/adapters/http/headers.ts).
          AllowMethods: [...CORS_ALLOW_METHODS],
          AllowHeaders: [...CORS_ALLOW_HEADERS],
          ExposeHeaders: [...CORS_EXPOSE_HEADERS],
          MaxAge: CORS_MAX_AGE_SECONDS,
        },
      });
    });
  });
});

describe('monitoring and the scheduled gc', () => {
  const { stateless } = stageTemplates('dev');
  const resources = stateless.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
  const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm').map((r) => r.Properties);
  const alarm = (suffix: string) => alarms.find((a) => a.AlarmName === `cahier-dev-${suffix}`);
  const gcId = logicalIdOf(stateless, 'AWS::Lambda::Function', { Handler: handlerOf('gc') });

  it('alarms on the 5xx rate, the p99 latency of POST /tenders, throttles, orphan documents, stalled renderings and a failed gc, each notifying the alarm topic', () => {
    expect(alarms.map((a) => a.AlarmName).sort()).toEqual(
      ['cahier-dev-create-tender-latency-p99', 'cahier-dev-gc-failed', 'cahier-dev-orphan-documents', 'cahier-dev-server-error-rate', 'cahier-dev-stalled-renderings', 'cahier-dev-throttles'],
    );
    const topic = logicalIdOf(stateless, 'AWS::SNS::Topic', {});
    for (const a of alarms) expect(a.AlarmActions, a.AlarmName).toEqual([{ Ref: topic }]);

    const rate = alarm('server-error-rate')!;
    expect(rate.Threshold).toBe(5);
    expect(rate.Metrics.find((m: any) => m.Expression).Expression).toBe('IF(requests > 0, 100 * errors / requests, 0)');
    expect(rate.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.MetricName).sort()).toEqual(['5xx', 'Count']);

    const latency = alarm('create-tender-latency-p99')!;
    expect(latency.Threshold).toBe(15_000);
    expect(latency.Metrics[0].MetricStat).toMatchObject({ Metric: { MetricName: 'Latency', Namespace: 'AWS/ApiGateway' }, Stat: 'p99', Period: 300 });
    expect(latency.Metrics[0].MetricStat.Metric.Dimensions).toEqual(expect.arrayContaining([{ Name: 'Method', Value: 'POST' }, { Name: 'Resource', Value: '/tenders' }, { Name: 'Stage', Value: '$default' }]));

    const throttles = alarm('throttles')!;
    expect(throttles.Metrics.filter((m: any) => m.MetricStat?.Metric.MetricName === 'Throttles')).toHaveLength(ALL.length);

    const orphans = alarm('orphan-documents')!;
    expect(orphans.Threshold).toBe(1);
    expect(orphans.Metrics[0].MetricStat).toMatchObject({
      Metric: { MetricName: METRICS.gcOrphanObjects, Namespace: 'Cahier/dev', Dimensions: [{ Name: 'service', Value: 'cahier' }] },
      Period: 86_400,
    });
    const stalled = alarm('stalled-renderings')!;
    expect(stalled.Threshold).toBe(1);
    expect(stalled.Metrics[0].MetricStat).toMatchObject({ Metric: { MetricName: METRICS.gcRenderingsFailed, Namespace: 'Cahier/dev' }, Stat: 'Sum', Period: 3_600 });
    expect(alarm('gc-failed')).toMatchObject({ MetricName: 'Errors', Namespace: 'AWS/Lambda', Dimensions: [{ Name: 'FunctionName', Value: { Ref: gcId } }] });
  });

  it('sends alarms to a topic encrypted with a rotated key that CloudWatch may use, TLS only', () => {
    const topic = Object.values(resources).find((r) => r.Type === 'AWS::SNS::Topic')!.Properties;
    const keyId = topic.KmsMasterKeyId['Fn::GetAtt'][0] as string;

    expect(resources[keyId]!.Properties.EnableKeyRotation).toBe(true);
    expect(JSON.stringify(resources[keyId]!.Properties.KeyPolicy)).toContain('cloudwatch.amazonaws.com');
    stateless.hasResourceProperties('AWS::SNS::TopicPolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } });
  });

  it('has one dashboard: API, latency, tenders, rule errors by code, functions, gc', () => {
    const dashboards = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]!.Properties.DashboardName).toBe('cahier-dev');
    const body = JSON.stringify(dashboards[0]!.Properties.DashboardBody);
    for (const name of [METRICS.tendersGenerated, METRICS.generationTime, METRICS.documentBytes, METRICS.ruleErrors, METRICS.http5xx, METRICS.gcOrphanObjects, 'Throttles', 'Latency']) {
      expect(body, name).toContain(name);
    }
  });

  it('runs the gc daily, and hourly for the stalled renderings only, from EventBridge rules, which alone may invoke it', () => {
    const rules = Object.values(resources).filter((r) => r.Type === 'AWS::Events::Rule' && r.Properties.ScheduleExpression !== undefined).map((r) => r.Properties);
    const daily = rules.find((r) => r.ScheduleExpression === `cron(${GC_SCHEDULE.minute} ${GC_SCHEDULE.hour} * * ? *)`)!;
    const hourly = rules.find((r) => r.ScheduleExpression === `cron(${RENDERINGS_SWEEP_SCHEDULE.minute} * * * ? *)`)!;

    expect(rules).toHaveLength(2);
    expect(daily.State).toBe('ENABLED');
    expect(daily.Targets).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': [gcId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21_600 } })]);
    expect(daily.Targets[0].Input).toBeUndefined();
    expect(hourly.State).toBe('ENABLED');
    expect(hourly.Targets).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': [gcId, 'Arn'] }, Input: JSON.stringify(RENDERINGS_SWEEP_EVENT) })]);
    const permissions = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Permission' && JSON.stringify(r.Properties.FunctionName).includes(gcId));
    expect(permissions.map((p) => p.Properties.Principal)).toEqual(['events.amazonaws.com', 'events.amazonaws.com']);
  });

  it('gives the gc the stage bound for pending renderings, longer than a document job can live, and bounds the documents function’s asynchronous retries', () => {
    const gc = Object.values(resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Handler === handlerOf('gc'))!.Properties;
    const bound = Number(gc.Environment.Variables.PENDING_RENDERING_MAX_AGE_SECONDS);
    const documentsId = logicalIdOf(stateless, 'AWS::Lambda::Function', { Handler: handlerOf('documents') });
    const invokeConfigs = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::EventInvokeConfig').map((r) => r.Properties);

    expect(bound).toBe(PENDING_RENDERING_MAX_AGE_SECONDS);
    expect(bound).toBeGreaterThan(DOCUMENT_JOB_WINDOW_SECONDS);
    expect(invokeConfigs).toEqual([expect.objectContaining({ FunctionName: { Ref: documentsId }, MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3_600 })]);
  });
});

describe('prod stage', () => {
  it('uses its own throttling, retention and origin', () => {
    const { stateful, stateless } = stageTemplates('prod');

    stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
      RouteSettings: Match.objectLike({ 'POST /tenders': { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40, DetailedMetricsEnabled: true }, 'PUT /criteria/{id}': { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 } }),
    });
    stateless.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    stateful.hasResourceProperties('AWS::Cognito::UserPoolClient', { CallbackURLs: Match.arrayWith(['https://cahier.education.gouv.fr/auth/callback']) });
  });
});
