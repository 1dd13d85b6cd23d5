import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { handlerOf } from '../../infra/bundling/bundling.ts';
import { ACCESS_LOG_FIELDS } from '../../infra/stateless-stack.ts';
import { EnvSchema } from '#src/entry/config.ts';
import { FUNCTIONS, ROUTES, routeKey, type FunctionName } from '#src/adapters/http/routes.ts';
import { CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS, CORS_EXPOSE_HEADERS, CORS_MAX_AGE_SECONDS } from '#src/adapters/http/headers.ts';
import { logicalIdOf, stageTemplates } from './support/synth.ts';

const NAMES = [...new Set(ROUTES.map((r) => r.function))] as FunctionName[];

describe('stateless stack', () => {
  const { stateless } = stageTemplates('dev');
  const functionId = (name: FunctionName) => logicalIdOf(stateless, 'AWS::Lambda::Function', { Handler: handlerOf(name) });
  const fn = (name: FunctionName) => stateless.toJSON().Resources[functionId(name)].Properties;

  describe('functions', () => {
    it('has one function per function of the route table, and no other', () => {
      expect(Object.keys(stateless.findResources('AWS::Lambda::Function'))).toHaveLength(NAMES.length);
    });

    it.each(NAMES)('%s runs on Node.js 24, ARM64, with the memory of the route table and a timeout under the 30 s of the HTTP API', (name) => {
      const props = fn(name);

      expect(props.Runtime).toBe('nodejs24.x');
      expect(props.Architectures).toEqual(['arm64']);
      expect(props.MemorySize).toBe(FUNCTIONS[name].memoryMb);
      expect(props.Timeout).toBe(FUNCTIONS[name].timeoutSeconds);
      expect(props.Timeout).toBeLessThan(30);
    });

    it.each(NAMES)('%s logs JSON to its own log group, kept 14 days in dev', (name) => {
      const props = fn(name);
      const logGroup = props.LoggingConfig.LogGroup.Ref as string;

      expect(props.LoggingConfig).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN' });
      expect(stateless.toJSON().Resources[logGroup]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 14 } });
      const others = NAMES.filter((n) => n !== name).map((n) => fn(n).LoggingConfig.LogGroup.Ref);
      expect(others).not.toContain(logGroup);
    });

    it.each(NAMES)('%s gets only variables its cold-start validation knows, and the table and bucket names when it uses data', (name) => {
      const variables = Object.keys(fn(name).Environment?.Variables ?? {});
      const known = Object.keys(EnvSchema.shape);

      expect(variables.filter((v) => !known.includes(v))).toEqual([]);
      const usesData = FUNCTIONS[name].table !== 'none' || FUNCTIONS[name].bucket !== 'none';
      expect(variables.includes('TABLE_NAME') && variables.includes('BUCKET_NAME')).toBe(usesData);
    });

    it.each(NAMES)('%s has Powertools configured (service name, the stage’s metrics namespace) and active X-Ray tracing', (name) => {
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

    it('throttles the stage, and POST /tenders more tightly', () => {
      stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
        RouteSettings: { 'POST /tenders': { ThrottlingRateLimit: 2, ThrottlingBurstLimit: 5 } },
      });
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

describe('prod stage', () => {
  it('uses its own throttling, retention and origin', () => {
    const { stateful, stateless } = stageTemplates('prod');

    stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
      RouteSettings: { 'POST /tenders': { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 } },
    });
    stateless.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    stateful.hasResourceProperties('AWS::Cognito::UserPoolClient', { CallbackURLs: Match.arrayWith(['https://cahier.education.gouv.fr/auth/callback']) });
  });
});
