/**
 * Writes the API's OpenAPI document, as GET /openapi.json serves it, to the given file (for the
 * linters in scripts/lint-openapi.sh). `npx tsx scripts/write-openapi.ts out/openapi.json`
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { openApiDocument } from '#src/adapters/http/openapi.ts';

const [file] = process.argv.slice(2);
if (!file) {
  console.error('usage: npx tsx scripts/write-openapi.ts <file.json>');
  process.exit(2);
}
await mkdir(dirname(file), { recursive: true });
await writeFile(file, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
