import { Tracer } from '@aws-lambda-powertools/tracer';
import { createComposition, type Composition } from './composition.ts';
import { loadConfig } from './config.ts';

/**
 * For Lambda handler modules only: the environment parsed once, at module load, and every
 * DynamoDB and S3 call traced (Powertools Tracer, an X-Ray subsegment per call; the functions run
 * with active tracing). Apart from composition.ts because the X-Ray SDK installs an async hook
 * in the process that imports it: the local stack, the CLI and the tests never load it.
 */
export function compositionFromEnv(env: Record<string, string | undefined>): Composition {
  const tracer = new Tracer();
  return createComposition(loadConfig(env), {}, (client) => tracer.captureAWSv3Client(client));
}
