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

  it('describes the request fields a buyer fills in', () => {
    const schema = JSON.parse(jsonSchemaText('tender-request')) as { required: string[]; properties: Record<string, unknown> };
    expect(schema.required).toEqual(expect.arrayContaining(['buyer', 'title', 'framework', 'procedure', 'contract', 'consultationDate', 'lots']));
    // Fields with defaults are optional for the caller.
    expect(schema.required).not.toContain('awardCriteria');
  });
});
