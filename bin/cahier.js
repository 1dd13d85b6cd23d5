#!/usr/bin/env node
// Entry point of `npx cahier`: runs the TypeScript CLI through tsx's loader, no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/entry/cli.ts');

const tty = process.stderr.isTTY;
const code = await runCli(process.argv.slice(2), {
  stdout: (line) => {
    if (tty) process.stderr.write('\r\x1b[K');
    process.stdout.write(`${line}\n`);
  },
  stderr: (line) => {
    if (tty) process.stderr.write('\r\x1b[K');
    process.stderr.write(`${line}\n`);
  },
  progress: tty ? (line) => process.stderr.write(`\r\x1b[K${line}`) : undefined,
});
if (tty) process.stderr.write('\r\x1b[K');
process.exitCode = code;
