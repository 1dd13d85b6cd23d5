import { compositionFromEnv } from '#src/entry/lambda-composition.ts';
import { createEditorComposition } from '#src/entry/editor-composition.ts';
import { createFunctionHandler } from '#src/adapters/http/lambda.ts';
import { criteriaWriteOperations } from '#src/adapters/http/operations/criteria-write.ts';

/** Editors' writes: PUT /criteria/{id}, PUT /items/{id}, PUT /offers/{id}, POST /frameworks/{id}/versions, POST /frameworks/{id}/criteria-import. */
export const handler = createFunctionHandler('criteria-write', criteriaWriteOperations(compositionFromEnv(process.env, createEditorComposition)));
