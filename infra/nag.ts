/**
 * cdk-nag 3 wiring and the one way this app acknowledges a finding.
 *
 * cdk-nag 3 is a CDK policy-validation plugin (not an Aspect): findings fail `cdk synth`, and
 * `app.synth()` throws in tests. Each acknowledgement is attached to the narrowest construct that
 * needs it and carries its reason; test/infra/nag.test.ts lists them and checks the README's
 * Security section names every one.
 */
import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}

export interface Acknowledgement {
  /** cdk-nag rule id, with its finding when the rule reports several, e.g. `AwsSolutions-IAM5[Resource::…]`. */
  id: string;
  reason: string;
}

export function acknowledge(scope: IConstruct, ...acknowledgements: Acknowledgement[]): void {
  for (const a of acknowledgements) {
    if (a.reason.trim().length < 40) throw new Error(`acknowledgement of ${a.id} needs a real reason`);
  }
  Validations.of(scope).acknowledge(...acknowledgements);
}
