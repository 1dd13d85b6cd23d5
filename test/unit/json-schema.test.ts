import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PUBLISHED_SCHEMAS, jsonSchemaText } from '#src/core/model/json-schema.ts';

describe('published JSON Schemas', () => {
  it.each(Object.keys(PUBLISHED_SCHEMAS) as Array<keyof typeof PUBLISHED_SCHEMAS>)(
    'schema/%s.schema.json matches the zod source (run `npm run schema` after a change)',
    (name) => {
      const committed = readFileSync(new URL(`../../schema/${name}.schema.json`, import.meta.url), 'utf8');
      expect(committed).toBe(jsonSchemaText(name));
    },
  );

  it.each(['tender-request-v1', 'tender-request-v2'] as const)('%s describes the request fields a buyer fills in', (name) => {
    const schema = JSON.parse(jsonSchemaText(name)) as { required: string[]; properties: Record<string, unknown> };
    expect(schema.required).toEqual(expect.arrayContaining(['buyer', 'title', 'framework', 'procedure', 'contract', 'consultationDate', 'lots']));
    // Fields with defaults are optional for the caller.
    expect(schema.required).not.toContain('awardCriteria');
  });

  it('accepts either version, told apart by schemaVersion (2, or 1 and absent for version 1)', () => {
    const schema = JSON.parse(jsonSchemaText('tender-request')) as { oneOf: Array<{ properties: { schemaVersion: { const: number } }; required: string[] }> };
    expect(schema.oneOf.map((s) => [s.properties.schemaVersion.const, s.required.includes('schemaVersion')])).toEqual([
      [2, true],
      [1, false],
    ]);
  });
});
