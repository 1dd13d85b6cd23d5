import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { UserPool, UserPoolClient, UserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import type { ISource } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import type { StageConfig } from './config.ts';
import { WebContent, type DeployedWebConfig } from './constructs/web-content.ts';
import type { WebHosting } from './constructs/web-hosting.ts';
import { callbackUrl, logoutUrl } from './stateful-stack.ts';

export interface WebStackProps extends StackProps {
  config: StageConfig;
  /** The bucket and distribution, owned by the stateful stack. */
  hosting: WebHosting;
  /** The app's origin (`https://<distribution or custom domain>`). */
  origin: string;
  api: HttpApi;
  userPool: UserPool;
  userPoolClient: UserPoolClient;
  loginDomain: UserPoolDomain | undefined;
  /** The built app; built by Vite during the synth by default. */
  source?: ISource;
}

/**
 * The web app's files and the config.json that tells it where the API is and how to sign in,
 * written at deploy time from the other stacks' values (the local server serves the same shape at
 * `/config.json`). Deployed last; holds nothing but the copy job: destroy and redeploy freely.
 */
export class WebStack extends Stack {
  readonly webConfig: DeployedWebConfig;
  readonly content: WebContent;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    const redirectUri = callbackUrl(props.origin);
    this.webConfig = {
      apiUrl: props.api.apiEndpoint,
      auth: {
        kind: 'cognito',
        ...(props.loginDomain ? { loginUrl: props.loginDomain.signInUrl(props.userPoolClient, { redirectUri, signInPath: '/oauth2/authorize' }) } : {}),
        region: props.userPool.env.region,
        userPoolId: props.userPool.userPoolId,
        clientId: props.userPoolClient.userPoolClientId,
        redirectUri,
        logoutUri: logoutUrl(props.origin),
      },
    };
    this.content = new WebContent(this, 'Content', {
      stage: props.config.stage,
      distribution: props.hosting.distribution,
      config: this.webConfig,
      logRetention: props.config.functionLogRetentionDays,
      ...(props.source ? { source: props.source } : {}),
    });
    new CfnOutput(this, 'WebUrl', { value: props.origin, description: 'The web app' });
  }
}
