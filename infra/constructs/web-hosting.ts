import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';

/**
 * The hosting bucket's name, unique per stage, account and region: named (like the documents
 * bucket) so that the web stack's deployment grants spell its ARN without a cross-stack token.
 */
export function webBucketName(stage: string): string {
  return `cahier-web-${stage}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

export interface WebHostingProps {
  stage: string;
  /** The server access log bucket of the stage (the documents bucket's): the web buckets log there too. */
  accessLogs: IBucket;
  noncurrentVersionExpirationDays: number;
  /** CloudFront standard logs are deleted after this many days. */
  logExpirationDays: number;
  /** Custom domain and its us-east-1 ACM certificate; CloudFront's own name and certificate otherwise. */
  domain?: { domainName: string; certificateArn: string };
}

/**
 * Content-Security-Policy of the deployed app: the local server's (src/adapters/local/http-server.ts),
 * plus what a deployed app reaches across origins: the HTTP API (execute-api) and Cognito (hosted
 * sign-in, token endpoint, user pool API) of the same region. Regional wildcards, not the exact
 * API host: the API is created after this distribution (its CORS names the distribution).
 */
export function webContentSecurityPolicy(region: string): string {
  const cognito = `https://*.auth.${region}.amazoncognito.com https://cognito-idp.${region}.amazonaws.com`;
  return [
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    `connect-src 'self' https://*.execute-api.${region}.amazonaws.com ${cognito}`,
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    `form-action 'self' https://*.auth.${region}.amazoncognito.com`,
  ].join('; ');
}

/**
 * Where the OAuth authorization code comes back (`<origin>/auth/callback?code=…`, the callback URL
 * registered on the user pool client): the app routes on the URL hash and its asset paths are
 * relative, so a CloudFront Function redirects to `/#/auth/callback?…` instead of serving a path
 * the bucket does not have.
 */
const CALLBACK_REDIRECT = `function handler(event) {
  var request = event.request;
  if (request.uri !== '/auth/callback' && request.uri !== '/auth/callback/') return request;
  var query = Object.keys(request.querystring).map(function (name) {
    var entry = request.querystring[name];
    return encodeURIComponent(name) + '=' + encodeURIComponent(entry.multiValue ? entry.multiValue[0].value : entry.value);
  }).join('&');
  return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '/#/auth/callback' + (query ? '?' + query : '') }, 'cache-control': { value: 'no-store' } } };
}`;

/**
 * The web app's hosting: a private bucket (all public access blocked, TLS only, SSE-S3, versioned,
 * server access logs) read by CloudFront through origin access control only, a distribution that
 * redirects HTTP to HTTPS, serves index.html at `/`, adds the security headers the local server
 * sends, and writes standard logs to a bucket of its own (CloudFront standard logging needs ACLs,
 * which the stage's access-log bucket disables). The files and config.json are deployed by
 * WebContent, in the stack that knows the API's URL.
 */
export class WebHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<domain>`: the app's origin, for CORS and the OAuth callback and logout URLs. */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);

    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: webBucketName(props.stage),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // A bad deployment's previous index.html and config.json can be restored in seconds.
      versioned: true,
      lifecycleRules: [{ id: 'expire-old-versions', noncurrentVersionExpiration: Duration.days(props.noncurrentVersionExpirationDays), expiredObjectDeleteMarker: true, abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'web/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const logs = new Bucket(this, 'CdnLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // CloudFront standard logging writes with an ACL grant to the awslogsdelivery account.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'expire-cdn-logs', expiration: Duration.days(props.logExpirationDays), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'cdn-logs/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const region = Stack.of(this).region;
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Cahier web app: CSP of the local server plus the regional API and Cognito',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: webContentSecurityPolicy(region), override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });

    const callback = new CloudFrontFunction(this, 'CallbackRedirect', {
      comment: 'OAuth callback path to the hash route of the app',
      code: FunctionCode.fromInline(CALLBACK_REDIRECT),
    });

    const domain = props.domain;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Cahier web app',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      // Buyers are in France (and overseas territories served from Europe and North America).
      priceClass: PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
        functionAssociations: [{ function: callback, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      ...(domain
        ? {
            domainNames: [domain.domainName],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    this.origin = `https://${domain ? domain.domainName : this.distribution.distributionDomainName}`;

    acknowledge(
      this.distribution,
      {
        id: 'AwsSolutions-CFR1',
        reason: 'The app is for French public buyers, including overseas territories and buyers travelling; it serves only static files, and the API behind it requires a Cognito token, so a geographic restriction would add no protection.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason: 'The distribution serves only the static, public build of the web app (no data, no forms posted to it); a CLOUDFRONT-scope WebACL must live in us-east-1 and costs a fixed monthly fee; the API, which holds the data, is throttled and behind the Cognito JWT authorizer.',
      },
    );
    if (!domain) {
      acknowledge(this.distribution, {
        id: 'AwsSolutions-CFR4',
        reason: "Without a custom domain (config webDomain) the distribution uses CloudFront's default *.cloudfront.net certificate, whose minimum protocol CloudFront fixes; with webDomain the distribution requires TLSv1.2_2021.",
      });
    }
  }
}
