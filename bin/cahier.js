#!/usr/bin/env node
// Entry point of `npx cahier`: the compiled CLI (dist/cli/, built by `npm ci` through `prepare`,
// or `npm run build:cli`), so that no TypeScript loader starts with each command. In a checkout
// built without scripts, the TypeScript source runs through tsx instead.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/cahier.mjs', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/entry/cli-main.ts');
}
