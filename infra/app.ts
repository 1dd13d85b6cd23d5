/**
 * The CDK app (cdk.json runs it with tsx): every stage, or the one named by `-c stage=dev|prod`.
 * Synthesises offline: no account lookups, esbuild bundling on this machine.
 */
import { App } from 'aws-cdk-lib';
import { buildApp } from './build-app.ts';
import { loadStageConfigs } from './config.ts';

const app = new App();
buildApp(
  app,
  loadStageConfigs({
    stage: app.node.tryGetContext('stage'),
    webOrigins: app.node.tryGetContext('webOrigins'),
    authDomainPrefix: app.node.tryGetContext('authDomainPrefix'),
  }),
);
app.synth();
