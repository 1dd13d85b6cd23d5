import { App, Tags } from 'aws-cdk-lib';
import type { StageConfig } from './config.ts';
import { addNagChecks } from './nag.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';
import { WebStack } from './web-stack.ts';

export interface StageStacks {
  config: StageConfig;
  stateful: StatefulStack;
  stateless: StatelessStack;
  web: WebStack;
}

/** The stacks of each stage, in `app`, with cdk-nag's AWS Solutions checks on the whole app. */
export function buildApp(app: App, configs: readonly StageConfig[]): StageStacks[] {
  addNagChecks(app);
  return configs.map((config) => {
    const env = config.account && config.region ? { account: config.account, region: config.region } : undefined;
    const prefix = `Cahier-${config.stage}`;
    const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
      config,
      ...(env ? { env } : {}),
      description: `Cahier ${config.stage}: table, documents bucket, user pool (retained)`,
    });
    const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
      config,
      ...(env ? { env } : {}),
      description: `Cahier ${config.stage}: functions and HTTP API`,
      table: stateful.table,
      userPool: stateful.userPool,
      userPoolClient: stateful.userPoolClient,
      webOrigins: stateful.webOrigins,
    });
    // The functions name the bucket without a reference to it: deploy the stateful stack first.
    stateless.addStackDependency(stateful);
    // The web app's files and config.json (the API URL, the pool's ids): last, into the stateful stack's hosting.
    const web = new WebStack(app, `${prefix}-Web`, {
      config,
      ...(env ? { env } : {}),
      description: `Cahier ${config.stage}: web app files and config.json, deployed to the CloudFront-hosted bucket`,
      hosting: stateful.web,
      origin: stateful.web.origin,
      api: stateless.api,
      userPool: stateful.userPool,
      userPoolClient: stateful.userPoolClient,
      loginDomain: stateful.loginDomain,
    });
    web.addStackDependency(stateful);
    web.addStackDependency(stateless);
    for (const stack of [stateful, stateless, web]) {
      Tags.of(stack).add('project', 'cahier');
      Tags.of(stack).add('stage', config.stage);
    }
    return { config, stateful, stateless, web };
  });
}
