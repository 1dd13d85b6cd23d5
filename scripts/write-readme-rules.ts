// Writes the README's rule list from the law records and funding programmes; test/architecture/readme.test.ts keeps them in sync.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withRuleList } from './rule-list.ts';

const path = fileURLToPath(new URL('../README.md', import.meta.url));
writeFileSync(path, withRuleList(readFileSync(path, 'utf8')));
console.log(`écrit ${path}`);
