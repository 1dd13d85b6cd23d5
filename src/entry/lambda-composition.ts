import type { InstrumentClient } from '#src/adapters/aws-clients.ts';
import { lambdaTraceHeader } from '#src/adapters/observability/lambda-trace.ts';
import { traceAwsCalls } from '#src/adapters/observability/xray-aws-calls.ts';
import { createXRayDaemon, parseDaemonAddress, type DatagramSocket, type XRayDaemon } from '#src/adapters/observability/xray-daemon.ts';
import { loadConfig, type AppConfig } from './config.ts';

/**
 * For Lambda handler modules only: the environment parsed once, at module load, and every
 * DynamoDB and S3 call traced (an X-Ray subsegment per call, sent to the function's X-Ray daemon;
 * the functions run with active tracing). Apart from composition.ts so that the local stack, the
 * CLI and the tests never instrument their clients.
 *
 * `create` is the composition the function needs (createComposition; createCatalogueComposition
 * for the catalogues function, or createCriteriaComposition for catalogue-read and criteria-write,
 * which must not bundle the tender records): this module imports none of them, so each handler
 * bundles only its own.
 */
export function compositionFromEnv<T>(
  env: Record<string, string | undefined>,
  create: (config: AppConfig, overrides: Record<string, never>, instrument?: InstrumentClient) => T,
): T {
  return create(loadConfig(env), {}, awsCallTracingFromEnv(env)?.instrument);
}

/**
 * X-Ray subsegments for the SDK clients when the process is a Lambda function with a daemon
 * address (AWS_LAMBDA_FUNCTION_NAME and AWS_XRAY_DAEMON_ADDRESS, both set by Lambda under active
 * tracing); undefined elsewhere, or when the address is malformed (tracing off, the function
 * still starts). Whether a call is traced is decided per call, by the trace header's Sampled=1.
 * `env` is read again at each call for the trace header: pass `process.env` itself.
 */
export function awsCallTracingFromEnv(
  env: Record<string, string | undefined>,
  openSocket?: () => DatagramSocket,
): { instrument: InstrumentClient; daemon: XRayDaemon } | undefined {
  if (!env.AWS_LAMBDA_FUNCTION_NAME) return undefined;
  const address = parseDaemonAddress(env.AWS_XRAY_DAEMON_ADDRESS);
  if (!address) return undefined;
  const daemon = createXRayDaemon(address, openSocket);
  const traceHeader = () => lambdaTraceHeader(env);
  return { daemon, instrument: (client) => traceAwsCalls(client, { daemon, traceHeader }) };
}
