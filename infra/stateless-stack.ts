import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CfnStage, CorsHttpMethod, HttpApi, HttpMethod, HttpRoute, HttpRouteKey, HttpStage, LogGroupLogDestination, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS, CORS_EXPOSE_HEADERS, CORS_MAX_AGE_SECONDS } from '#src/adapters/http/headers.ts';
import { FUNCTIONS, ROUTES, routeKey, type FunctionName, type RouteDefinition } from '#src/adapters/http/routes.ts';
import type { StageConfig } from './config.ts';
import { ApiFunction } from './constructs/api-function.ts';
import { DocumentJobs } from './constructs/document-jobs.ts';
import { GcSchedule } from './constructs/gc-schedule.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { PdfRenderer } from './constructs/pdf-renderer.ts';
import { acknowledge } from './nag.ts';

export interface StatelessStackProps extends StackProps {
  config: StageConfig;
  table: ITable;
  userPool: IUserPool;
  userPoolClient: IUserPoolClient;
  /** Origins allowed by CORS: the configured ones and the CloudFront distribution's (the stateful stack's `webOrigins`). */
  webOrigins: string[];
}

/** The functions that write PDFs (src/adapters/render/pdf-engine.ts): the only ones allowed to invoke pdf-renderer. */
export const PDF_WRITERS: readonly FunctionName[] = ['tenders', 'documents', 'catalogues'];

/** The route whose p99 latency is alarmed (API Gateway's detailed metrics are on for it alone). */
export const CREATE_TENDER_ROUTE_KEY = 'POST /tenders';

/**
 * Throttling classes: `render` for the routes that render documents (the expensive ones), `write`
 * for the editors' writes, `read` for everything else (the stage's default limit). API Gateway
 * applies a route's limit to that route alone: each render route gets the render limit.
 */
export type ThrottleClass = 'read' | 'write' | 'render';
export function throttleClassOf(route: Pick<RouteDefinition, 'operationId' | 'function'>): ThrottleClass {
  // Storing a catalogue renders its workbook and PDF summary: as expensive as a generation.
  if (route.operationId === 'createTender' || route.operationId === 'regenerateTender' || route.operationId === 'createCatalogue') return 'render';
  if (route.function === 'criteria-write') return 'write';
  return 'read';
}


/**
 * Functions and the HTTP API, built from the one route table (src/adapters/http/routes.ts): one function
 * per `function` of the table, one route per entry, the Cognito JWT authorizer on every route
 * whose role is not `public`. Nothing here holds data: it can be destroyed and redeployed freely.
 */
export class StatelessStack extends Stack {
  readonly api: HttpApi;
  readonly functions: Record<FunctionName, ApiFunction>;
  readonly gc: GcSchedule;
  readonly documentJobs: DocumentJobs;
  readonly pdfRenderer: PdfRenderer;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config } = props;

    const names = [...new Set(ROUTES.map((r) => r.function))];
    this.functions = Object.fromEntries(
      names.map((name) => [
        name,
        new ApiFunction(this, pascal(name), {
          name,
          definition: FUNCTIONS[name],
          stage: config.stage,
          table: props.table,
          logRetention: config.functionLogRetentionDays,
          environment: FUNCTIONS[name].bucket !== 'none' ? { URL_TTL_SECONDS: String(config.downloadUrlTtlSeconds) } : {},
        }),
      ]),
    ) as Record<FunctionName, ApiFunction>;

    this.api = new HttpApi(this, 'Api', {
      apiName: `cahier-${config.stage}`,
      description: 'Cahier: CCTP generation for public buyers',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.webOrigins,
        // The same configuration the local server answers preflights with (src/adapters/http/headers.ts).
        allowMethods: CORS_ALLOW_METHODS.map((m) => CorsHttpMethod[m]),
        allowHeaders: [...CORS_ALLOW_HEADERS],
        exposeHeaders: [...CORS_EXPOSE_HEADERS],
        maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
      },
    });

    const authorizer: IHttpRouteAuthorizer = new HttpUserPoolAuthorizer('Cognito', props.userPool, {
      userPoolClients: [props.userPoolClient],
      identitySource: ['$request.header.Authorization'],
    });
    const integrations = Object.fromEntries(
      names.map((name) => [name, new HttpLambdaIntegration(`${pascal(name)}Integration`, this.functions[name].function)]),
    ) as Record<FunctionName, HttpLambdaIntegration>;

    const routes = new Map<string, HttpRoute>();
    for (const route of ROUTES) {
      const key = routeKey(route);
      const httpRoute = new HttpRoute(this, `Route${pascal(route.operationId)}`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: integrations[route.function],
        ...(route.role === 'public' ? {} : { authorizer }),
      });
      routes.set(key, httpRoute);
      // HEAD wherever GET: the same function answers it (the handler drops the body).
      const headRoute =
        route.method === 'GET'
          ? new HttpRoute(this, `RouteHead${pascal(route.operationId)}`, {
              httpApi: this.api,
              routeKey: HttpRouteKey.with(route.path, HttpMethod.HEAD),
              integration: integrations[route.function],
              ...(route.role === 'public' ? {} : { authorizer }),
            })
          : undefined;
      if (route.role === 'public') {
        for (const [r, method] of [[httpRoute, route.method], ...(headRoute ? [[headRoute, 'HEAD'] as const] : [])] as const) {
          acknowledge(r, {
            id: 'AwsSolutions-APIG4',
            reason: `${method} ${route.path} is public in the route table (role "public"): ${route.summary.toLowerCase()}; it reads no data and its function has no AWS permission.`,
          });
        }
      }
    }

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: config.apiAccessLogRetentionDays, removalPolicy: RemovalPolicy.RETAIN });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: config.throttle,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)) },
    });
    if (!routes.has(CREATE_TENDER_ROUTE_KEY)) throw new Error(`the route table has no ${CREATE_TENDER_ROUTE_KEY}`);
    const limits = { write: config.writeThrottle, render: config.renderThrottle } as const;
    const settings: Record<string, Record<string, number | boolean>> = {};
    for (const route of ROUTES) {
      const kind = throttleClassOf(route);
      if (kind === 'read') continue;
      settings[routeKey(route)] = { ThrottlingRateLimit: limits[kind].rateLimit, ThrottlingBurstLimit: limits[kind].burstLimit };
      // Route settings name a route key that must exist when the stage is updated.
      stage.node.addDependency(routes.get(routeKey(route))!);
    }
    settings[CREATE_TENDER_ROUTE_KEY] = { ...settings[CREATE_TENDER_ROUTE_KEY], DetailedMetricsEnabled: true };
    // RouteSettings is a JSON property in the L1: CloudFormation's own (PascalCase) keys.
    (stage.node.defaultChild as CfnStage).routeSettings = settings;

    // The functions that write PDFs invoke the PDF engine, synchronously, in its own function (issue #19).
    this.pdfRenderer = new PdfRenderer(this, 'PdfRenderer', {
      stage: config.stage,
      table: props.table,
      logRetention: config.functionLogRetentionDays,
      callers: PDF_WRITERS.map((name) => this.functions[name]),
    });
    this.documentJobs = new DocumentJobs(this, 'DocumentJobs', { stage: config.stage, tenders: this.functions.tenders, documents: this.functions.documents });
    this.gc = new GcSchedule(this, 'Gc', { stage: config.stage, table: props.table, logRetention: config.functionLogRetentionDays, environment: { PENDING_RENDERING_MAX_AGE_SECONDS: String(config.pendingRenderingMaxAgeMinutes * 60) } });
    const [method, path] = CREATE_TENDER_ROUTE_KEY.split(' ') as [string, string];
    this.monitoring = new Monitoring(this, 'Monitoring', {
      config,
      api: this.api,
      stage,
      functions: { ...Object.fromEntries(names.map((name) => [name, this.functions[name].function])), gc: this.gc.fn.function, 'pdf-renderer': this.pdfRenderer.fn.function },
      gc: this.gc.fn.function,
      createTender: { method, path },
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint, description: 'Base URL of the API' });
  }
}

/** One JSON object per request (CloudWatch Logs Insights discovers the fields). */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  method: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  sub: '$context.authorizer.claims.sub',
};

function pascal(value: string): string {
  return value.replace(/(^|[-_ ])(\w)/g, (_, __, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase());
}
