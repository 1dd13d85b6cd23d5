/**
 * Child process of the streaming conformity test: writes a catalogue of `count` products in `dir`
 * (or takes the product file given third),
 * checks it with `cahier conformity` as the CLI does, and prints one JSON line with the exit code,
 * the progress lines and the process's peak resident memory. A separate process, started with a
 * small heap, so that the peak is this check's alone and a check that held every product would
 * run out of memory instead of passing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '#src/entry/cli.ts';
import { largeCatalogueCsv } from '../../support/large-catalogue.ts';

const [dir, count, given] = process.argv.slice(2);
// A product file already written (an .xlsx, made by the parent so that building it is not counted), or the CSV of `count` products.
const file = given ?? join(dir!, 'catalogue.csv');
if (given === undefined) writeFileSync(file, largeCatalogueCsv(Number(count)));
const progress: string[] = [];
const err: string[] = [];
const code = await runCli(['conformity', file, '--framework', 'carmo-education@2', '--out', join(dir!, 'out')], {
  stdout: () => {},
  stderr: (line) => err.push(line),
  progress: (line) => progress.push(line),
});
console.log(JSON.stringify({ code, err, progress, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
