import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { StageConfig } from './config.ts';
import { CahierTable } from './constructs/cahier-table.ts';
import { DocumentsBucket } from './constructs/documents-bucket.ts';
import { WebHosting } from './constructs/web-hosting.ts';

/** The OAuth callback URL of a web origin, as registered on the user pool client. */
export function callbackUrl(origin: string): string {
  return `${origin}/auth/callback`;
}

/** The logout URL of a web origin, as registered on the user pool client. */
export function logoutUrl(origin: string): string {
  return `${origin}/`;
}

/**
 * Lifetimes of the web client's tokens. The app renews the access token with the refresh token
 * (web/src/credentials.ts), so a buyer works a whole day on a file with 1-hour access tokens;
 * the refresh token's 12 hours do not slide (Cognito), so a session lasts a working day at most,
 * and its draft survives the end (kept in the browser). The local stack uses the same defaults
 * (ACCESS_TOKEN_TTL_SECONDS, REFRESH_TOKEN_TTL_SECONDS in src/entry/local-config.ts).
 */
export const WEB_TOKEN_VALIDITY = {
  accessToken: Duration.hours(1),
  idToken: Duration.hours(1),
  refreshToken: Duration.hours(12),
  /** How long the hosted UI's sign-in may take, between its pages (Cognito's minimum). */
  authSession: Duration.minutes(3),
} as const;

/** Cognito groups; src/adapters/http/auth.ts maps them to the route table's roles. */
export const GROUPS = { buyers: 'buyers', editors: 'criteria-editors', catalogueManagers: 'catalogue-managers' } as const;

export interface StatefulStackProps extends StackProps {
  config: StageConfig;
}

/**
 * What holds data and identities: the table, the documents bucket (and its access logs), the
 * user pool. Everything here is retained when the stack is deleted, and the table and the pool
 * are deletion-protected: redeploying or tearing down the stateless stack never touches them.
 */
export class StatefulStack extends Stack {
  readonly table: ITable;
  readonly bucket: IBucket;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  /** The web app's bucket and CloudFront distribution (its files are deployed by the web stack). */
  readonly web: WebHosting;
  /** The configured web origins and the distribution's own: CORS, OAuth callback and logout URLs. */
  readonly webOrigins: string[];
  /** The Cognito hosted sign-in domain, when the stage has `authDomainPrefix`. */
  readonly loginDomain: UserPoolDomain | undefined;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, { ...props, terminationProtection: props.config.terminationProtection });
    const { config } = props;

    this.table = new CahierTable(this, 'Data').table;
    const documents = new DocumentsBucket(this, 'Documents', {
      stage: config.stage,
      webOrigins: config.webOrigins,
      noncurrentVersionExpirationDays: config.noncurrentVersionExpirationDays,
      accessLogExpirationDays: config.bucketAccessLogExpirationDays,
    });
    this.bucket = documents.bucket;

    // The web app's hosting lives here, not in a stack of its own: its origin (the distribution's
    // domain) is registered on the user pool client below and in the API's CORS, and, like the
    // pool, it must outlive any redeployment (users bookmark it).
    this.web = new WebHosting(this, 'Web', {
      stage: config.stage,
      accessLogs: documents.accessLogs,
      noncurrentVersionExpirationDays: config.noncurrentVersionExpirationDays,
      logExpirationDays: config.webLogExpirationDays,
      ...(config.webDomain ? { domain: config.webDomain } : {}),
    });
    this.webOrigins = [...new Set([...config.webOrigins, this.web.origin])];
    if (!config.webOrigins.includes(this.web.origin)) documents.allowWebOrigin(this.web.origin);

    // MFA is REQUIRED for every user (TOTP apps; no SMS, so no SNS role nor SMS cost). The issue
    // asks for MFA for editors at least; Cognito cannot require it per group (a pre-token trigger
    // can drop a group from the token but cannot see whether the sign-in used MFA), and buyers
    // commit public money, so everyone gets it.
    this.userPool = new UserPool(this, 'Users', {
      userPoolName: `cahier-${config.stage}`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 12,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus: compromised-credential checks and adaptive authentication (cdk-nag COG8).
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      userInvitation: {
        emailSubject: 'Votre accès à Cahier',
        emailBody:
          'Bonjour,<br><br>un compte Cahier vient d’être créé pour vous. Identifiant : {username}<br>Mot de passe temporaire : {####}<br><br>' +
          'À la première connexion, vous choisirez un mot de passe et enregistrerez une application d’authentification (TOTP).',
      },
    });
    new UserPoolGroup(this, 'Buyers', { userPool: this.userPool, groupName: GROUPS.buyers, description: 'Acheteurs : génèrent et consultent leurs CCTP', precedence: 20 });
    new UserPoolGroup(this, 'Editors', { userPool: this.userPool, groupName: GROUPS.editors, description: 'Éditeurs du référentiel de critères', precedence: 10 });
    new UserPoolGroup(this, 'CatalogueManagers', { userPool: this.userPool, groupName: GROUPS.catalogueManagers, description: 'Gestionnaires de catalogue : vérifient la conformité de leurs produits, sans modifier les critères', precedence: 30 });

    // The web app is a public client (static files: no secret can be kept), signing in with the
    // authorization code grant and PKCE S256 (web/src/auth.ts always sends the challenge; the
    // user pool client has no CloudFormation property that would require it, the local stack's
    // authorization server refuses an authorize request without it), then renewing the access
    // token with the refresh token (ALLOW_REFRESH_TOKEN_AUTH, which CDK adds to authFlows).
    this.userPoolClient = this.userPool.addClient('WebClient', {
      userPoolClientName: `cahier-web-${config.stage}`,
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
        callbackUrls: this.webOrigins.map(callbackUrl),
        logoutUrls: this.webOrigins.map(logoutUrl),
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      // « Se déconnecter » revokes the refresh token (/oauth2/revoke).
      enableTokenRevocation: true,
      accessTokenValidity: WEB_TOKEN_VALIDITY.accessToken,
      idTokenValidity: WEB_TOKEN_VALIDITY.idToken,
      refreshTokenValidity: WEB_TOKEN_VALIDITY.refreshToken,
      authSessionValidity: WEB_TOKEN_VALIDITY.authSession,
    });

    this.loginDomain = config.authDomainPrefix ? this.userPool.addDomain('Login', { cognitoDomain: { domainPrefix: config.authDomainPrefix } }) : undefined;
    if (this.loginDomain) {
      new CfnOutput(this, 'LoginUrl', { value: this.loginDomain.baseUrl(), description: 'Cognito hosted sign-in' });
    }
    new CfnOutput(this, 'WebUrl', { value: this.web.origin, description: 'The web app (CloudFront)' });
    new CfnOutput(this, 'WebBucketName', { value: this.web.bucket.bucketName });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'DocumentsBucketName', { value: this.bucket.bucketName });
  }
}
