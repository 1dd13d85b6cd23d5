/**
 * Child process of the hostile-files test: reads each file named on the command line as the import
 * does (every sheet), and prints one JSON line per file with what came of it, then the process's
 * peak resident memory. A separate process, so the peak is this reading's alone.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { SafeWorkbook } from '#src/adapters/offers/safe-xlsx.ts';
import { BidFileError } from '#src/core/offers/errors.ts';

for (const file of process.argv.slice(2)) {
  try {
    const workbook = new SafeWorkbook(readFileSync(file), basename(file));
    for (const name of workbook.sheetNames) workbook.sheet(name);
    console.log(JSON.stringify({ file: basename(file), outcome: 'read' }));
  } catch (error) {
    if (!(error instanceof BidFileError)) throw error;
    console.log(JSON.stringify({ file: basename(file), outcome: error.problem, path: error.issues[0]!.path, message: error.issues[0]!.message }));
  }
}
console.log(JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
