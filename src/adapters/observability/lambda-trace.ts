/** The Node.js runtime's per-invocation store (Lambda's multi-concurrency mode), where present. */
interface LambdaGlobal {
  awslambda?: { InvokeStore?: { getXRayTraceId?: () => string | undefined } };
}

/**
 * The current invocation's trace header: the runtime's invoke store when it has one (concurrent
 * invocations in one process), else `_X_AMZN_TRACE_ID`, which the runtime sets before each
 * invocation. Read at every call, never cached.
 */
export function lambdaTraceHeader(env: Record<string, string | undefined>): string | undefined {
  return (globalThis as LambdaGlobal).awslambda?.InvokeStore?.getXRayTraceId?.() ?? env._X_AMZN_TRACE_ID;
}
