// Writes schema/*.schema.json from the zod schemas; test/unit/json-schema.test.ts keeps them in sync.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PUBLISHED_SCHEMAS, jsonSchemaText } from '#src/core/model/json-schema.ts';

for (const name of Object.keys(PUBLISHED_SCHEMAS) as Array<keyof typeof PUBLISHED_SCHEMAS>) {
  const path = fileURLToPath(new URL(`../schema/${name}.schema.json`, import.meta.url));
  writeFileSync(path, jsonSchemaText(name));
  console.log(`écrit ${path}`);
}
