import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';
import { webBucketName } from './web-hosting.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_DIR = path.join(PROJECT_ROOT, 'web');

/**
 * The web app as an asset built by `cdk synth` itself, like the functions' esbuild bundles: Vite
 * on this machine (no Docker) writes the build straight into the asset directory, so a fresh
 * clone synthesises after `npm ci`, and a stale web/dist is never deployed. Tests that skip
 * bundling (`aws:cdk:bundling-stacks: []`) do not build it.
 */
export function webAppSource(): ISource {
  return Source.asset(WEB_DIR, {
    exclude: ['dist', 'node_modules'],
    // The hash of what Vite wrote: a dependency upgrade that changes the build redeploys it.
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the API; never used: local bundling either succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:20-slim'),
      local: {
        tryBundle(outputDir: string): boolean {
          buildWebApp(outputDir);
          return true;
        },
      },
    },
  });
}

/** `npm run build:web` into `outDir`; throws with the way out when it cannot. */
export function buildWebApp(outDir: string): void {
  const vite = path.join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) throw new Error(`cannot build the web app: ${vite} is missing; run \`npm ci\` first`);
  try {
    execFileSync(process.execPath, [vite, 'build', '--config', path.join(WEB_DIR, 'vite.config.ts'), '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  } catch (error) {
    throw new Error(`building the web app with Vite failed (try \`npm run build:web\`): ${(error as Error).message}`);
  }
  if (!existsSync(path.join(outDir, 'index.html'))) throw new Error(`the web app build wrote no index.html into ${outDir}`);
}

/** What the deployed app reads at `/config.json` (web/src/app-context.ts's WebConfig). */
export interface DeployedWebConfig {
  /** The HTTP API's endpoint, no trailing slash. */
  apiUrl: string;
  auth: {
    kind: 'cognito';
    /** Hosted sign-in (authorization code flow), when the stage has a Cognito domain. */
    loginUrl?: string;
    region: string;
    userPoolId: string;
    clientId: string;
    /** The callback and logout URLs registered on the user pool client. */
    redirectUri: string;
    logoutUri: string;
  };
}

export interface WebContentProps {
  stage: string;
  distribution: IDistribution;
  config: DeployedWebConfig;
  logRetention: RetentionDays;
  /** The built app; `webAppSource()` by default. */
  source?: ISource;
}

/**
 * The built app and its config.json, copied into the hosting bucket by CDK's BucketDeployment
 * (a custom resource Lambda). Two deployments so that each file gets the right Cache-Control:
 * `assets/` (file names carry a content hash) are immutable and never pruned, so a tab still
 * running the previous version can load its chunks; everything else (index.html, config.json) is
 * revalidated on each load, replaced and pruned, then the distribution is invalidated.
 */
export class WebContent extends Construct {
  readonly files: BucketDeployment;
  readonly assets: BucketDeployment;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: WebContentProps) {
    super(scope, id);
    const source = props.source ?? webAppSource();
    // By its fixed name, not as a cross-stack token: the grants read as that bucket (and in the acknowledgement below).
    const bucket = Bucket.fromBucketName(this, 'Hosting', webBucketName(props.stage));

    // Own role and log group rather than AWSLambdaBasicExecutionRole (which may write to any log group).
    const logGroup = new LogGroup(this, 'DeployLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    this.role = new Role(this, 'DeployRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the web app into its hosting bucket (CDK BucketDeployment)',
    });
    this.role.addToPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));

    this.assets = new BucketDeployment(this, 'Assets', {
      sources: [source],
      destinationBucket: bucket,
      exclude: ['*'],
      include: ['assets/*'],
      prune: false,
      cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
      role: this.role,
      logGroup,
    });
    this.files = new BucketDeployment(this, 'Files', {
      sources: [source, Source.jsonData('config.json', props.config)],
      destinationBucket: bucket,
      exclude: ['assets/*'],
      prune: true,
      cacheControl: [CacheControl.fromString('no-cache')],
      distribution: props.distribution,
      distributionPaths: ['/*'],
      role: this.role,
      logGroup,
    });
    // index.html must never name chunks that are not there yet.
    this.files.node.addDependency(this.assets);

    const bucketObjects = `Resource::arn:<AWS::Partition>:s3:::cahier-web-${props.stage}-<AWS::AccountId>-<AWS::Region>/*`;
    acknowledge(
      this.role,
      {
        id: 'AwsSolutions-IAM5[Action::s3:GetObject*]',
        reason: 'Granted by CDK BucketDeployment to read the web app asset it unpacks (s3:GetObject, s3:GetObjectVersion…), on the CDK assets bucket only.',
      },
      {
        id: 'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        reason: "Granted by CDK BucketDeployment (aws s3 sync reads the buckets' location and settings), on the CDK assets bucket and the web hosting bucket only.",
      },
      {
        id: 'AwsSolutions-IAM5[Action::s3:List*]',
        reason: 'Granted by CDK BucketDeployment: aws s3 sync lists the hosting bucket to copy and prune; limited to the CDK assets bucket and the web hosting bucket.',
      },
      {
        id: 'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        reason: 'Granted by CDK BucketDeployment to prune files of a previous build from the web hosting bucket; no other bucket.',
      },
      {
        id: 'AwsSolutions-IAM5[Action::s3:Abort*]',
        reason: 'Granted by CDK BucketDeployment to abort its own multipart uploads into the web hosting bucket; no other bucket.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        reason: "The CDK bootstrap assets bucket, where the web app's zip is staged: asset keys are content hashes known only at deploy time; read-only.",
      },
      {
        id: `AwsSolutions-IAM5[${bucketObjects}]`,
        reason: 'Every object of the web hosting bucket: the deployment writes and prunes the whole built app; the bucket holds nothing else.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'cloudfront:CreateInvalidation and cloudfront:GetInvalidation, added by CDK BucketDeployment to invalidate the distribution after a deploy; only these two actions.',
      },
    );
    for (const child of Stack.of(this).node.children) {
      if (child.node.id.startsWith('Custom::CDKBucketDeployment')) {
        acknowledge(child, {
          id: 'AwsSolutions-L1',
          reason: "CDK BucketDeployment's handler runs on the Python runtime that aws-cdk-lib pins for its bundled AWS CLI layer; it is updated with aws-cdk-lib, not by this app.",
        });
      }
    }
  }
}
