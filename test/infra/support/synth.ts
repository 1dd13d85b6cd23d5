/**
 * The CDK app as `cdk synth` builds it (cdk.json's context, feature flags included), for tests.
 * Template tests skip bundling (`aws:cdk:bundling-stacks: []`, ≈ 0.2 s per template instead of
 * seconds); the bundle smoke test asks for it.
 */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, type StageStacks } from '../../../infra/build-app.ts';
import { loadStageConfigs, type StageName } from '../../../infra/config.ts';

const CDK_JSON = JSON.parse(readFileSync(new URL('../../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };

export interface SynthOptions {
  stage?: StageName;
  /** Stack name globs to bundle (default none). */
  bundle?: string[];
  outdir?: string;
}

export function buildTestApp(options: SynthOptions = {}): { app: App; stages: StageStacks[] } {
  const app = new App({
    context: {
      ...CDK_JSON.context,
      'aws:cdk:bundling-stacks': options.bundle ?? [],
      'aws:cdk:enable-asset-metadata': true,
    },
    ...(options.outdir ? { outdir: options.outdir } : {}),
    builtinCloudFormationValidation: false,
  });
  const stages = buildApp(app, loadStageConfigs(options.stage ? { stage: options.stage } : {}));
  return { app, stages };
}

export interface StageTemplates {
  stacks: StageStacks;
  stateful: Template;
  stateless: Template;
  web: Template;
}

const cache = new Map<StageName, StageTemplates>();

/** Templates of one stage, synthesised once per test file. */
export function stageTemplates(stage: StageName = 'dev'): StageTemplates {
  let templates = cache.get(stage);
  if (!templates) {
    const { stages } = buildTestApp({ stage });
    const stacks = stages[0]!;
    templates = { stacks, stateful: Template.fromStack(stacks.stateful), stateless: Template.fromStack(stacks.stateless), web: Template.fromStack(stacks.web) };
    cache.set(stage, templates);
  }
  return templates;
}

/** Logical id of the single resource of `type` whose properties contain `where`. */
export function logicalIdOf(template: Template, type: string, where: Record<string, unknown>): string {
  const found = Object.keys(template.findResources(type, { Properties: where }));
  if (found.length !== 1) throw new Error(`expected one ${type} matching ${JSON.stringify(where)}, found ${found.length}`);
  return found[0]!;
}
