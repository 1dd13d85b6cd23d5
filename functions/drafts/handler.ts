import { compositionFromEnv } from '#src/entry/lambda-composition.ts';
import { createFunctionHandler } from '#src/adapters/http/lambda.ts';
import { draftOperations } from '#src/adapters/http/operations/drafts.ts';

/** Buyers' named drafts: GET/POST /drafts, GET/PUT/DELETE /drafts/{id}. The environment is validated at cold start. */
export const handler = createFunctionHandler('drafts', draftOperations(compositionFromEnv(process.env)));
