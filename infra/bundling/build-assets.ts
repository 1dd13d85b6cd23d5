/**
 * Bundles every function exactly as `cdk synth` does (the real app, cdk.json's context, the
 * stateless stack of one stage) and says where each asset landed. For the bundle smoke test and
 * `npm run bench:bundles`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../build-app.ts';
import { loadStageConfigs, type StageName } from '../config.ts';
import { bundlePathOf, handlerOf, LAMBDA_NAMES, PROJECT_ROOT, type LambdaName } from './bundling.ts';

export interface FunctionAsset {
  name: LambdaName;
  /** The asset directory: what Lambda unpacks into /var/task. */
  dir: string;
  /** The bundle inside it. */
  bundle: string;
}

/** Synthesises `stage` into `outdir` with bundling on for its stateless stack. */
export function buildFunctionAssets(outdir: string, stage: StageName = 'dev'): Record<LambdaName, FunctionAsset> {
  const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const app = new App({
    outdir,
    context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [`Cahier-${stage}-Stateless`], 'aws:cdk:enable-asset-metadata': true },
    builtinCloudFormationValidation: false,
  });
  const [stacks] = buildApp(app, loadStageConfigs({ stage }));
  const assembly = app.synth();
  const template = assembly.getStackArtifact(stacks!.stateless.artifactId).template as { Resources: Record<string, { Type: string; Properties: { Handler?: string }; Metadata?: Record<string, string> }> };
  const assets = {} as Record<LambdaName, FunctionAsset>;
  for (const name of LAMBDA_NAMES) {
    const resource = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Handler === handlerOf(name));
    const assetPath = resource?.Metadata?.['aws:asset:path'];
    if (!assetPath) throw new Error(`no bundled asset for ${name}`);
    const dir = path.resolve(outdir, assetPath);
    assets[name] = { name, dir, bundle: path.join(dir, bundlePathOf(name)) };
  }
  return assets;
}
