import type { CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ensureTable, TTL_ATTRIBUTE } from '#src/adapters/dynamodb/table.ts';
import { logicalIdOf, stageTemplates } from './support/synth.ts';

/** What ensureTable (the local and test layout) asks DynamoDB for, captured without a server. */
async function localTableLayout(): Promise<CreateTableCommandInput> {
  let input: CreateTableCommandInput | undefined;
  const client = {
    async send(command: { constructor: { name: string }; input: unknown }) {
      if (command.constructor.name === 'CreateTableCommand') {
        input = command.input as CreateTableCommandInput;
        return {};
      }
      return { Table: { TableStatus: 'ACTIVE', GlobalSecondaryIndexes: [] } };
    },
  } as unknown as DynamoDBClient;
  await ensureTable(client, 'recorded');
  if (!input) throw new Error('ensureTable sent no CreateTable');
  return input;
}

describe('stateful stack', () => {
  const { stateful } = stageTemplates('dev');

  describe('table', () => {
    it('has the key schema, attributes and indexes that ensureTable creates locally', async () => {
      const local = await localTableLayout();
      const table = Object.values(stateful.findResources('AWS::DynamoDB::Table'))[0]!.Properties;

      expect(table.KeySchema).toEqual(local.KeySchema);
      expect(new Set(table.AttributeDefinitions)).toEqual(new Set(local.AttributeDefinitions));
      const byName = (indexes: { IndexName?: string }[]) => [...indexes].sort((a, b) => String(a.IndexName).localeCompare(String(b.IndexName)));
      expect(byName(table.GlobalSecondaryIndexes)).toEqual(byName(local.GlobalSecondaryIndexes ?? []));
      expect(table.BillingMode).toBe(local.BillingMode);
    });

    it('expires idempotency claims with DynamoDB TTL on the attribute the repository writes', () => {
      stateful.hasResourceProperties('AWS::DynamoDB::Table', { TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } });
    });

    it('is on demand, with point-in-time recovery, deletion protection and KMS encryption, and retained', () => {
      stateful.hasResource('AWS::DynamoDB::Table', {
        Properties: {
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
          DeletionProtectionEnabled: true,
          SSESpecification: { SSEEnabled: true },
        },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });
  });

  describe('documents bucket', () => {
    const documents = { BucketName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['cahier-documents-dev-'])] }) };

    it('blocks every kind of public access, encrypts, versions and is retained', () => {
      stateful.hasResource('AWS::S3::Bucket', {
        Properties: Match.objectLike({
          ...documents,
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
          BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
          VersioningConfiguration: { Status: 'Enabled' },
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        }),
        DeletionPolicy: 'Retain',
      });
    });

    it('expires old versions and sends server access logs to the log bucket', () => {
      const logs = logicalIdOf(stateful, 'AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'expire-access-logs' })] } });

      stateful.hasResourceProperties('AWS::S3::Bucket', {
        ...documents,
        LifecycleConfiguration: {
          Rules: [
            Match.objectLike({ Id: 'expire-document-jobs', Status: 'Enabled', Prefix: 'document-jobs/', ExpirationInDays: 1 }),
            Match.objectLike({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
          ],
        },
        LoggingConfiguration: { DestinationBucketName: { Ref: logs }, LogFilePrefix: 'documents/' },
      });
    });

    it('sends its object events to EventBridge natively (no notifications custom resource), for the document-jobs rule', () => {
      stateful.hasResourceProperties('AWS::S3::Bucket', { ...documents, NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } } });
      expect(Object.keys(stateful.findResources('Custom::S3BucketNotifications'))).toEqual([]);
      expect(Object.keys(stateful.findResources('AWS::Lambda::Function'))).toEqual([]);
    });

    it('refuses any request without TLS, on every bucket of the stack (documents, access logs, web app, CDN logs)', () => {
      const policies = stateful.findResources('AWS::S3::BucketPolicy', {
        Properties: {
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        },
      });

      expect(Object.keys(policies)).toHaveLength(Object.keys(stateful.findResources('AWS::S3::Bucket')).length);
      expect(Object.keys(policies)).toHaveLength(4);
    });

    it('lets the web origin fetch documents, with GET and HEAD only', () => {
      stateful.hasResourceProperties('AWS::S3::Bucket', {
        ...documents,
        CorsConfiguration: { CorsRules: Match.arrayWith([Match.objectLike({ AllowedMethods: ['GET', 'HEAD'], AllowedOrigins: ['http://localhost:5173'] })]) },
      });
    });
  });

  describe('user pool', () => {
    it('has no self sign-up, requires MFA by authenticator app, and a strong password policy', () => {
      stateful.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        Policies: {
          PasswordPolicy: Match.objectLike({ MinimumLength: 14, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true }),
        },
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        DeletionProtection: 'ACTIVE',
      });
    });

    it('has the buyers, criteria-editors and catalogue-managers groups the handlers map to roles', () => {
      for (const group of ['buyers', 'criteria-editors', 'catalogue-managers']) {
        stateful.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: group });
      }
    });

    it('has a public web client (no secret) with SRP and the authorization code flow back to the web origin', () => {
      stateful.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_SRP_AUTH']),
        AllowedOAuthFlows: ['code'],
        CallbackURLs: Match.arrayWith(['http://localhost:5173/auth/callback']),
        PreventUserExistenceErrors: 'ENABLED',
      });
    });

    it('lets the web app renew its session: refresh tokens allowed and revocable, lifetimes set explicitly, logout URLs, code grant only', () => {
      const clients = stateful.findResources('AWS::Cognito::UserPoolClient');
      expect(Object.keys(clients)).toHaveLength(1);
      const client = Object.values(clients)[0]!.Properties as Record<string, unknown>;
      expect(client).toMatchObject({
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: expect.arrayContaining(['openid', 'email']),
        ExplicitAuthFlows: expect.arrayContaining(['ALLOW_REFRESH_TOKEN_AUTH']),
        EnableTokenRevocation: true,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
        AccessTokenValidity: 60,
        IdTokenValidity: 60,
        RefreshTokenValidity: 720,
        AuthSessionValidity: 3,
        LogoutURLs: expect.arrayContaining(['http://localhost:5173/']),
      });
      expect(client.GenerateSecret).toBe(false);
      expect(client.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
      expect(JSON.stringify(client.CallbackURLs)).toContain('/auth/callback');
      // The access token lives less than the refresh token: renewing it is what keeps the session.
      expect(client.AccessTokenValidity as number).toBeLessThan(client.RefreshTokenValidity as number);
    });
  });
});
