/**
 * The official JSON Schemas vendored in test/standards (test data, never fetched): OCDS 1.1.5 with the
 * six extensions Cahier declares, applied as JSON Merge Patches (RFC 7386) over the release schema,
 * and DECP 2.0.3. Compiled with ajv: draft-04 for OCDS, draft-07 for DECP.
 *
 * `strict` adds `additionalProperties: false` to every object schema that lists its properties, so
 * a field no declared extension defines fails. The lots extension refers to
 * `#/definitions/SubmissionTerms`, which none of the six defines: an empty object stub, the only
 * addition (see test/standards/ocds/README.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';

// CommonJS packages whose default export TypeScript's NodeNext interop does not see as constructable.
const require = createRequire(import.meta.url);
const Ajv04: typeof import('ajv-draft-04').default = require('ajv-draft-04');
const Ajv07: typeof import('ajv').default = require('ajv');
const addFormats: typeof import('ajv-formats').default = require('ajv-formats');

export const STANDARDS_DIR = path.resolve(import.meta.dirname, '../standards');

const readJson = (file: string): any => JSON.parse(readFileSync(file, 'utf8'));

/** RFC 7386: `patch` applied to `target`; a null removes a key. */
export function mergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

function closeObjects(schema: any): any {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: any = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'enum' || k === 'required' ? v : closeObjects(v)]));
  if (out.properties && typeof out.properties === 'object' && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** The merged release schema: 1.1.5, the six extensions, the SubmissionTerms stub. */
export function mergedReleaseSchema(): any {
  const dir = path.join(STANDARDS_DIR, 'ocds');
  let schema = readJson(path.join(dir, 'release-schema.json'));
  for (const extension of readdirSync(path.join(dir, 'extensions')).sort()) {
    schema = mergePatch(schema, readJson(path.join(dir, 'extensions', extension, 'release-schema.json')));
  }
  schema.definitions.SubmissionTerms ??= { type: 'object' };
  return schema;
}

/** A validator of release packages, as published or strict. */
export function ocdsPackageValidator(strict: boolean): ValidateFunction {
  const dir = path.join(STANDARDS_DIR, 'ocds');
  const close = strict ? closeObjects : (s: any) => s;
  const ajv = new Ajv04({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(close(mergedReleaseSchema()));
  return ajv.compile(close(readJson(path.join(dir, 'release-package-schema.json'))));
}

/** A validator of DECP 2.0.3 files. */
export function decpValidator(): ValidateFunction {
  const ajv = new Ajv07({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(readJson(path.join(STANDARDS_DIR, 'decp', 'schema_decp_v2.0.3.json')));
}

/** Errors as `path: message` lines, for readable failures. */
export const errorLines = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
