import { compositionFromEnv } from '../../src/http/composition.ts';
import { createFunctionHandler } from '../../src/http/lambda.ts';
import { criteriaWriteOperations } from '../../src/http/operations/criteria-write.ts';

/** Editors' writes: PUT /criteria/{id}, POST /frameworks/{id}/versions. */
export const handler = createFunctionHandler('criteria-write', criteriaWriteOperations(compositionFromEnv(process.env)));
