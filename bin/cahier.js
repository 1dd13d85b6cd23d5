#!/usr/bin/env node
// Entry point of `npx cahier`: the compiled CLI (dist/cli/, built by `npm ci` through `prepare`,
// or `npm run build:cli`), so that no TypeScript loader starts with each command. In a checkout
// built without scripts, the TypeScript source runs through tsx instead.
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node 22.1 and later keep V8's compiled code of the modules below on disk (in the system's
// temporary directory unless NODE_COMPILE_CACHE names another; NODE_DISABLE_COMPILE_CACHE=1 turns
// it off), so that a command after the first does not parse and compile them again. Node 20 has
// no such cache: there this does nothing. BENCHMARKS.md « Issue #19, 2026-12-08 (morning) ».
module.enableCompileCache?.();

const compiled = new URL('../dist/cli/cahier.mjs', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/entry/cli-main.ts');
}
