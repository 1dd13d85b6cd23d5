import { createGcHandler } from '#src/adapters/schedule/gc-handler.ts';
import { defaultTelemetry } from '#src/adapters/observability/telemetry.ts';
import { loadConfig } from '#src/entry/config.ts';
import { compositionFromEnv } from '#src/entry/lambda-composition.ts';
import { createComposition } from '#src/entry/composition.ts';

/** Daily `cahier gc` in AWS, and hourly the stalled renderings only; counts as metrics (src/adapters/schedule/gc-handler.ts). */
export const handler = createGcHandler(compositionFromEnv(process.env, createComposition), defaultTelemetry(), {
  pendingRenderingMaxAgeSeconds: loadConfig(process.env).pendingRenderingMaxAgeSeconds,
});
