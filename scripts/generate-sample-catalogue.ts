/**
 * Writes examples/catalogue/catalogue-centrale.csv, a realistic purchasing-centre catalogue of
 * 320 products across tablets, laptops, carts, access points, displays, projectors, servers and
 * MDM licences, deterministically from a seed, and examples/catalogue/catalogue-centrale.expected.json,
 * the verdict each product was built to have. The expectations come from how each value was
 * constructed (at the threshold, above it in another unit, below it, left out), not from the
 * checker, so the test that compares them is an independent computation.
 *
 *   npx tsx scripts/generate-sample-catalogue.ts        (rewrites both files)
 *   npx tsx scripts/generate-sample-catalogue.ts --check (exits 1 when they differ from the generator)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSampleCatalogue } from '../test/support/sample-catalogue.ts';

const dir = new URL('../examples/catalogue/', import.meta.url);
const { csv, expected } = buildSampleCatalogue();
const files: Array<[string, string]> = [
  ['catalogue-centrale.csv', csv],
  ['catalogue-centrale.expected.json', `${JSON.stringify(expected, null, 2)}\n`],
];
if (process.argv.includes('--check')) {
  const stale = files.filter(([name, content]) => readFileSync(new URL(name, dir), 'utf8') !== content).map(([name]) => name);
  if (stale.length > 0) {
    console.error(`stale: ${stale.join(', ')} (run npx tsx scripts/generate-sample-catalogue.ts)`);
    process.exit(1);
  }
} else {
  for (const [name, content] of files) writeFileSync(new URL(name, dir), content);
  console.log(`wrote ${files.map(([n]) => fileURLToPath(new URL(n, dir))).join(', ')}`);
}
