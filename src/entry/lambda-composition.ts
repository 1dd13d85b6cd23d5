import { Tracer } from '@aws-lambda-powertools/tracer';
import type { InstrumentClient } from '#src/adapters/aws-clients.ts';
import { loadConfig, type AppConfig } from './config.ts';

/**
 * For Lambda handler modules only: the environment parsed once, at module load, and every
 * DynamoDB and S3 call traced (Powertools Tracer, an X-Ray subsegment per call; the functions run
 * with active tracing). Apart from composition.ts because the X-Ray SDK installs an async hook
 * in the process that imports it: the local stack, the CLI and the tests never load it.
 *
 * `create` is the composition the function needs (createComposition, or createCatalogueComposition
 * for the catalogue functions, which must not bundle the tender records): this module imports
 * neither, so each handler bundles only its own.
 */
export function compositionFromEnv<T>(
  env: Record<string, string | undefined>,
  create: (config: AppConfig, overrides: Record<string, never>, instrument: InstrumentClient) => T,
): T {
  const tracer = new Tracer();
  return create(loadConfig(env), {}, (client) => tracer.captureAWSv3Client(client));
}
