import { readFileSync } from 'node:fs';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { addNagChecks } from '../../infra/nag.ts';
import { buildTestApp } from './support/synth.ts';

/** Every acknowledgement in the app: construct path, rule id, reason. */
function acknowledgements(app: App): { path: string; id: string; reason: string }[] {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: construct.node.path, id: id.replace(/^annotation::/i, ''), reason }))),
  );
}

describe('cdk-nag AwsSolutions checks', () => {
  it('find nothing unacknowledged in any stage (synthesis would throw)', () => {
    const { app } = buildTestApp();

    expect(() => app.synth()).not.toThrow();
  }, 60_000);

  it('are live: an unacknowledged finding fails synthesis', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    addNagChecks(app);
    new Bucket(new Stack(app, 'Careless'), 'Open');

    expect(() => app.synth()).toThrow(/AwsSolutions-S10|AwsSolutions-S1/);
  });

  it('acknowledge few findings, each with its reason, each listed in the README Security section', () => {
    const { app } = buildTestApp({ stage: 'dev' });
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const security = readme.slice(readme.indexOf('## Security'), readme.indexOf('\n## ', readme.indexOf('## Security') + 1));
    const found = acknowledgements(app);

    expect(found.map((a) => `${a.path} ${a.id}`).sort()).toEqual([
      'Cahier-dev-Stateful/Documents/AccessLogs AwsSolutions-S1',
      'Cahier-dev-Stateful/Web/Distribution AwsSolutions-CFR1',
      'Cahier-dev-Stateful/Web/Distribution AwsSolutions-CFR2',
      'Cahier-dev-Stateful/Web/Distribution AwsSolutions-CFR4',
      'Cahier-dev-Stateless/RouteGetHealth AwsSolutions-APIG4',
      'Cahier-dev-Stateless/RouteGetOpenApi AwsSolutions-APIG4',
      'Cahier-dev-Stateless/RouteHeadGetHealth AwsSolutions-APIG4',
      'Cahier-dev-Stateless/RouteHeadGetOpenApi AwsSolutions-APIG4',
      ...['CatalogueRead', 'Catalogues', 'CriteriaWrite', 'Documents', 'Drafts', 'Health', 'Openapi', 'Tenders', 'Gc/Function', 'PdfRenderer/Function'].map((f) => `Cahier-dev-Stateless/${f}/Role AwsSolutions-IAM5[Resource::*]`),
      'Cahier-dev-Stateless/Gc/Function/Role AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cahier-documents-dev-<AWS::AccountId>-<AWS::Region>/catalogues/reports/*]',
      'Cahier-dev-Stateless/Gc/Function/Role AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cahier-documents-dev-<AWS::AccountId>-<AWS::Region>/tenders/*]',
      'Cahier-dev-Stateless/Tenders/Role AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cahier-documents-dev-<AWS::AccountId>-<AWS::Region>/tenders/*]',
      'Cahier-dev-Stateless/Tenders/Role AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cahier-documents-dev-<AWS::AccountId>-<AWS::Region>/document-jobs/*]',
      'Cahier-dev-Stateless/Documents/Role AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cahier-documents-dev-<AWS::AccountId>-<AWS::Region>/tenders/*]',
      'Cahier-dev-Stateless/Catalogues/Role AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cahier-documents-dev-<AWS::AccountId>-<AWS::Region>/catalogues/*]',
      'Cahier-dev-Web/Content/DeployRole AwsSolutions-IAM5[Action::s3:Abort*]',
      'Cahier-dev-Web/Content/DeployRole AwsSolutions-IAM5[Action::s3:DeleteObject*]',
      'Cahier-dev-Web/Content/DeployRole AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'Cahier-dev-Web/Content/DeployRole AwsSolutions-IAM5[Action::s3:GetObject*]',
      'Cahier-dev-Web/Content/DeployRole AwsSolutions-IAM5[Action::s3:List*]',
      'Cahier-dev-Web/Content/DeployRole AwsSolutions-IAM5[Resource::*]',
      'Cahier-dev-Web/Content/DeployRole AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cahier-web-dev-<AWS::AccountId>-<AWS::Region>/*]',
      'Cahier-dev-Web/Content/DeployRole AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      'Cahier-dev-Web/Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C AwsSolutions-L1',
    ].sort());
    for (const a of found) {
      expect(a.reason.length, a.id).toBeGreaterThan(40);
      expect(security, a.id).toContain(a.id.replace(/-dev-/, '-<stage>-'));
    }
  });
});
