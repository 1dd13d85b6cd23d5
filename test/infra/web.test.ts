import { readFileSync } from 'node:fs';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { STAGES, StageConfigSchema } from '../../infra/config.ts';
import { webContentSecurityPolicy } from '../../infra/constructs/web-hosting.ts';
import { stageTemplates } from './support/synth.ts';

/** The directives the local server sends (src/adapters/local/http-server.ts): the deployed app must keep them. */
const LOCAL_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

describe('web app hosting (stateful stack)', () => {
  const { stateful, stateless, web } = stageTemplates('dev');
  const resources = stateful.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string }>;
  const webBucket = Object.keys(stateful.findResources('AWS::S3::Bucket', { Properties: { BucketName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['cahier-web-dev-'])] }) } }));
  const distributionId = Object.keys(stateful.findResources('AWS::CloudFront::Distribution'))[0]!;
  const distribution = (resources[distributionId]!.Properties as { DistributionConfig: Record<string, any> }).DistributionConfig;
  const origin = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] };

  it('keeps the files in one private bucket: all public access blocked, SSE-S3, versioned, access logs, retained', () => {
    expect(webBucket).toHaveLength(1);
    stateful.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        BucketName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['cahier-web-dev-'])] }),
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'web/' }),
      }),
      DeletionPolicy: 'Retain',
    });
  });

  it('lets only this distribution read the bucket, through origin access control (no OAI, no public policy)', () => {
    const oac = Object.keys(stateful.findResources('AWS::CloudFront::OriginAccessControl', { Properties: { OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' } } }));
    expect(oac).toHaveLength(1);
    expect(distribution.Origins).toEqual([
      expect.objectContaining({ DomainName: { 'Fn::GetAtt': [webBucket[0], 'RegionalDomainName'] }, OriginAccessControlId: { 'Fn::GetAtt': [oac[0], 'Id'] }, S3OriginConfig: { OriginAccessIdentity: '' } }),
    ]);
    stateful.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);

    const policy = Object.values(stateful.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: webBucket[0] } } }))[0]!;
    const allows = (policy.Properties.PolicyDocument.Statement as Record<string, any>[]).filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: { StringEquals: { 'AWS:SourceArn': expect.objectContaining({ 'Fn::Join': ['', expect.arrayContaining([{ Ref: distributionId }])] }) } },
      }),
    ]);
  });

  it('serves HTTPS only (HTTP redirected), GET and HEAD, index.html at the root, with standard logs to a bucket with ACLs', () => {
    expect(distribution.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'], Compress: true });
    expect(distribution.DefaultRootObject).toBe('index.html');
    const logBucket = distribution.Logging.Bucket['Fn::GetAtt'][0] as string;
    expect(resources[logBucket]!.Properties).toMatchObject({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: 90 })] },
    });
    // No custom domain in dev: CloudFront's certificate (cdk-nag CFR4 acknowledged).
    expect(distribution.ViewerCertificate).toBeUndefined();
  });

  it('sends the local server\'s security headers; its CSP only adds the regional API and Cognito hosts', () => {
    const policyId = distribution.DefaultCacheBehavior.ResponseHeadersPolicyId.Ref as string;
    const config = (resources[policyId]!.Properties as { ResponseHeadersPolicyConfig: { SecurityHeadersConfig: Record<string, any> } }).ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(config).toMatchObject({
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY' },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer' },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 31536000 },
    });
    const csp = webContentSecurityPolicy('eu-west-3');
    const directives = (policy: string) => new Map(policy.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));
    for (const [name, sources] of directives(LOCAL_CSP)) expect(directives(csp).get(name), name).toEqual(expect.arrayContaining(sources));
    expect(directives(csp).get('script-src')).toEqual(["'self'"]);
    expect(directives(csp).get('connect-src')).toEqual(["'self'", 'https://*.execute-api.eu-west-3.amazonaws.com', 'https://*.auth.eu-west-3.amazoncognito.com', 'https://cognito-idp.eu-west-3.amazonaws.com']);
  });

  it('registers the distribution\'s origin on the user pool client, the API\'s CORS and the documents bucket\'s CORS', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: ['http://localhost:5173/auth/callback', { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/auth/callback']] }],
      LogoutURLs: ['http://localhost:5173/', { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/']] }],
    });
    stateful.hasResourceProperties('AWS::S3::Bucket', { CorsConfiguration: { CorsRules: Match.arrayWith([Match.objectLike({ AllowedOrigins: [origin] })]) } });
    const api = Object.values(stateless.findResources('AWS::ApiGatewayV2::Api'))[0]!;
    const origins = api.Properties.CorsConfiguration.AllowOrigins as unknown[];
    expect(origins).toHaveLength(2);
    expect(JSON.stringify(origins[1])).toMatch(/Fn::GetStackOutput.*Cahier-dev-Stateful.*DomainName/);
    // The web stack reads the others; nothing reads the web stack (no cycle).
    expect(JSON.stringify(stateful.toJSON())).not.toContain('Cahier-dev-Web');
    expect(JSON.stringify(stateless.toJSON())).not.toContain('Cahier-dev-Web');
    expect(web.toJSON().Outputs.WebUrl).toBeDefined();
  });

  it('redirects the OAuth callback path to the app\'s hash route', () => {
    expect(distribution.DefaultCacheBehavior.FunctionAssociations).toEqual([expect.objectContaining({ EventType: 'viewer-request' })]);
    stateful.hasResourceProperties('AWS::CloudFront::Function', { FunctionCode: Match.stringLikeRegexp("/#/auth/callback") });
  });
});

describe('web app content (web stack)', () => {
  const { stacks, web } = stageTemplates('dev');
  const deployments = web.findResources('Custom::CDKBucketDeployment');
  const byPrune = (prune: boolean) => Object.values(deployments).find((d) => d.Properties.Prune === prune)!.Properties;

  it('deploys the build into the hosting bucket: hashed assets immutable, the rest revalidated, then invalidates the distribution', () => {
    expect(Object.keys(deployments)).toHaveLength(2);
    const bucket = { 'Fn::Join': ['', ['cahier-web-dev-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]] };
    expect(byPrune(false)).toMatchObject({ DestinationBucketName: bucket, Include: ['assets/*'], SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' } });
    expect(byPrune(true)).toMatchObject({ DestinationBucketName: bucket, Exclude: ['assets/*'], SystemMetadata: { 'cache-control': 'no-cache' }, DistributionPaths: ['/*'] });
    expect(JSON.stringify(byPrune(true).DistributionId)).toMatch(/Cahier-dev-Stateful.*WebDistribution/);
  });

  it('writes config.json from the deployed values: the API URL, the user pool, its web client and the callback on the distribution', () => {
    const config = stacks.web.resolve(stacks.web.webConfig) as Record<string, any>;
    const text = JSON.stringify(config);

    expect(Object.keys(config)).toEqual(['apiUrl', 'auth']);
    expect(JSON.stringify(config.apiUrl)).toMatch(/Cahier-dev-Stateless.*ApiEndpoint/);
    expect(config.auth).toMatchObject({ kind: 'cognito', region: { Ref: 'AWS::Region' } });
    expect(JSON.stringify(config.auth.userPoolId)).toMatch(/Cahier-dev-Stateful.*RefUsers/);
    expect(JSON.stringify(config.auth.clientId)).toMatch(/Cahier-dev-Stateful.*RefUsersWebClient/);
    expect(JSON.stringify(config.auth.redirectUri)).toMatch(/DomainName.*\/auth\/callback/);
    expect(config.auth.loginUrl).toBeUndefined(); // dev has no authDomainPrefix
    expect(text).not.toContain('localhost');
    // The Files deployment carries config.json (a second source, with these values as markers).
    const markers = JSON.stringify(byPrune(true).SourceMarkers);
    for (const output of ['ApiEndpoint', 'RefUsers', 'RefUsersWebClient', 'DomainName']) expect(markers).toContain(output);
  });

  it('gives the copy job its own role and log group, not AWSLambdaBasicExecutionRole', () => {
    const roles = Object.values(web.findResources('AWS::IAM::Role'));
    expect(roles).toHaveLength(1);
    expect(roles[0]!.Properties.ManagedPolicyArns).toBeUndefined();
    web.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
  });
});

describe('web app with a custom domain', () => {
  it('serves it with the us-east-1 certificate and TLS 1.2 at least, registers it, and needs no CFR4 acknowledgement', () => {
    const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };
    const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
    const config = StageConfigSchema.parse({
      ...STAGES.dev,
      authDomainPrefix: 'cahier-dev-test',
      webDomain: { domainName: 'cahier.example.gouv.fr', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/01234567-89ab-cdef-0123-456789abcdef' },
    });
    const [stage] = buildApp(app, [config]);
    const stateful = Template.fromStack(stage!.stateful);

    stateful.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['cahier.example.gouv.fr'],
        ViewerCertificate: { AcmCertificateArn: config.webDomain!.certificateArn, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
      }),
    });
    stateful.hasResourceProperties('AWS::Cognito::UserPoolClient', { CallbackURLs: ['http://localhost:5173/auth/callback', 'https://cahier.example.gouv.fr/auth/callback'] });
    const acknowledged = stage!.stateful.web.distribution.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).flatMap((m) => Object.keys(m.data as object));
    expect(acknowledged.join(' ')).not.toContain('CFR4');
    expect(stage!.web.webConfig.auth.redirectUri).toBe('https://cahier.example.gouv.fr/auth/callback');
    expect(stage!.web.resolve(stage!.web.webConfig.auth.loginUrl)).toMatchObject({ 'Fn::Join': ['', expect.arrayContaining([expect.stringContaining('/oauth2/authorize?client_id=')])] });
  });

  it('refuses a certificate outside us-east-1', () => {
    expect(() =>
      StageConfigSchema.parse({ ...STAGES.dev, webDomain: { domainName: 'cahier.example.gouv.fr', certificateArn: 'arn:aws:acm:eu-west-3:123456789012:certificate/01234567-89ab-cdef-0123-456789abcdef' } }),
    ).toThrow(/us-east-1/);
  });
});
