import { createGcHandler } from '#src/adapters/schedule/gc-handler.ts';
import { compositionFromEnv } from '#src/entry/lambda-composition.ts';
import { createComposition } from '#src/entry/composition.ts';

/** Daily (EventBridge rule): `cahier gc` in AWS, its counts as metrics (src/adapters/schedule/gc-handler.ts). */
export const handler = createGcHandler(compositionFromEnv(process.env, createComposition));
