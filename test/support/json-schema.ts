/**
 * A JSON Schema validator for the official schemas in ../shared/standards (DECP 2.0.3 is draft-07,
 * OCDS 1.1.5 draft-04), covering every keyword they use: $ref (within a document and across the
 * documents given), type, enum, required, properties, patternProperties, additionalProperties,
 * items, minItems, uniqueItems, minLength, maxLength, pattern, minimum, maximum, minProperties,
 * anyOf and the date, date-time and uri formats. Annotations (title, codelist…) are ignored; a
 * keyword it does not know fails loudly, so a schema update cannot pass unchecked.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { browserRequired } from '../e2e/support/browser.ts';

type Schema = Record<string, unknown>;
export interface SchemaError {
  path: string;
  message: string;
}

const ANNOTATIONS = new Set([
  '$id', 'id', '$schema', 'title', 'description', 'default', 'definitions', 'codelist', 'openCodelist', 'deprecated',
  'deprecatedVersion', 'omitWhenMerged', 'versionId', 'wholeListMerge', 'mergeStrategy', 'mergeOptions', 'examples',
]);

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const STANDARDS_SKIP_NOTICE =
  'Export schema tests skipped: the official schemas (OCDS 1.1.5, DECP 2.0.3) were not found in ../shared/standards. Set CAHIER_STANDARDS=/path/to/standards to run them; CI or REQUIRE_BROWSER makes their absence fail.';

/**
 * The folder of the official schemas: CAHIER_STANDARDS, else ../shared/standards beside the
 * repository (or beside the folder of its worktrees). Undefined (after printing the skip line)
 * when absent; throws when CI or REQUIRE_BROWSER is set.
 */
export function standardsDir(env: Record<string, string | undefined> = process.env): string | undefined {
  const candidates = [env.CAHIER_STANDARDS, `${ROOT}../shared/standards/`, `${ROOT}../../shared/standards/`].filter((c): c is string => c !== undefined);
  const found = candidates.find((c) => existsSync(`${c}/decp/schema_decp_v2.0.3.json`) && existsSync(`${c}/ocds/release-schema.json`));
  if (found) return found.endsWith('/') ? found : `${found}/`;
  if (browserRequired(env)) throw new Error(`CI or REQUIRE_BROWSER set: ${STANDARDS_SKIP_NOTICE}`);
  console.warn(STANDARDS_SKIP_NOTICE);
  return undefined;
}

export function loadSchema(path: string): Schema {
  return JSON.parse(readFileSync(path, 'utf8')) as Schema;
}

/** RFC 7396 JSON merge patch: how an OCDS extension's release-schema.json patches the core schema. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Schema) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function validate(value: unknown, root: Schema, others: Record<string, Schema> = {}): SchemaError[] {
  const resolve = (ref: string, base: Schema): [Schema, Schema] => {
    const [uri, pointer = ''] = ref.split('#');
    const doc = uri ? others[uri] : base;
    if (!doc) throw new Error(`unresolved $ref ${ref}`);
    let node: unknown = doc;
    for (const part of pointer.split('/').filter(Boolean)) node = (node as Schema)[part.replaceAll('~1', '/').replaceAll('~0', '~')];
    if (node === undefined) throw new Error(`unresolved $ref ${ref}`);
    return [node as Schema, doc];
  };
  const check = (v: unknown, s: Schema, doc: Schema, path: string, errors: SchemaError[]): void => {
    const fail = (message: string) => errors.push({ path: path || '(root)', message });
    for (const key of Object.keys(s)) {
      if (!ANNOTATIONS.has(key) && !KNOWN.has(key)) throw new Error(`keyword ${key} at ${path} is not supported by this validator`);
    }
    if (typeof s.$ref === 'string') {
      const [target, targetDoc] = resolve(s.$ref, doc);
      check(v, target, targetDoc, path, errors);
    }
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? s.type : [s.type];
      if (!types.some((t) => typeOk(v, t as string))) {
        fail(`expected ${types.join(' or ')}`);
        return;
      }
    }
    if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) fail(`not one of ${JSON.stringify(s.enum)}`);
    if (Array.isArray(s.anyOf)) {
      const ok = s.anyOf.some((sub) => {
        const trial: SchemaError[] = [];
        check(v, sub as Schema, doc, path, trial);
        return trial.length === 0;
      });
      if (!ok) fail('matches none of anyOf');
    }
    if (typeof v === 'string') {
      if (typeof s.minLength === 'number' && [...v].length < s.minLength) fail(`shorter than ${s.minLength}`);
      if (typeof s.maxLength === 'number' && [...v].length > s.maxLength) fail(`longer than ${s.maxLength}`);
      if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(v)) fail(`does not match ${s.pattern}`);
      if (s.format === 'date-time' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v)) fail('not a date-time');
      if (s.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(v)) fail('not a date');
      if (s.format === 'uri' && !/^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(v)) fail('not a URI');
    }
    if (typeof v === 'number') {
      if (typeof s.minimum === 'number' && v < s.minimum) fail(`below ${s.minimum}`);
      if (typeof s.maximum === 'number' && v > s.maximum) fail(`above ${s.maximum}`);
    }
    if (Array.isArray(v)) {
      if (typeof s.minItems === 'number' && v.length < s.minItems) fail(`fewer than ${s.minItems} items`);
      if (s.uniqueItems === true && new Set(v.map((x) => JSON.stringify(x))).size !== v.length) fail('items are not unique');
      if (s.items && typeof s.items === 'object') v.forEach((item, i) => check(item, s.items as Schema, doc, `${path}/${i}`, errors));
    }
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const obj = v as Record<string, unknown>;
      if (Array.isArray(s.required)) for (const k of s.required as string[]) if (!(k in obj)) fail(`missing required ${k}`);
      if (typeof s.minProperties === 'number' && Object.keys(obj).length < s.minProperties) fail(`fewer than ${s.minProperties} properties`);
      const props = (s.properties ?? {}) as Record<string, Schema>;
      const patterns = Object.entries((s.patternProperties ?? {}) as Record<string, Schema>);
      for (const [k, child] of Object.entries(obj)) {
        let matched = false;
        if (k in props) {
          matched = true;
          check(child, props[k]!, doc, `${path}/${k}`, errors);
        }
        for (const [pattern, sub] of patterns) {
          if (new RegExp(pattern, 'u').test(k)) {
            matched = true;
            check(child, sub, doc, `${path}/${k}`, errors);
          }
        }
        if (!matched && s.additionalProperties === false) fail(`unexpected property ${k}`);
        if (!matched && s.additionalProperties && typeof s.additionalProperties === 'object') check(child, s.additionalProperties as Schema, doc, `${path}/${k}`, errors);
      }
    }
  };
  const errors: SchemaError[] = [];
  check(value, root, root, '', errors);
  return errors;
}

const KNOWN = new Set([
  '$ref', 'type', 'enum', 'anyOf', 'minLength', 'maxLength', 'pattern', 'format', 'minimum', 'maximum', 'minItems', 'uniqueItems',
  'items', 'required', 'minProperties', 'properties', 'patternProperties', 'additionalProperties',
]);

function typeOk(v: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return v === null;
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'integer':
      return Number.isInteger(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'array':
      return Array.isArray(v);
    case 'object':
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    default:
      throw new Error(`unknown type ${type}`);
  }
}
