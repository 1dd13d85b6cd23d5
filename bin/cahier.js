#!/usr/bin/env node
// Entry point of `npx cahier`: runs the TypeScript CLI through tsx's loader, no build step.
import { spawn } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import { register } from 'tsx/esm/api';

// `cahier gc` may list over 1 000 objects from the embedded s3rver, whose continuation tokens use
// DES: OpenSSL 3 offers it only through the legacy provider, which must be enabled at start-up.
if (process.argv[2] === 'gc' && !legacyProviderLoaded()) {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  child.once('exit', (code, signal) => (signal ? process.kill(process.pid, signal) : process.exit(code ?? 1)));
} else {
  await main();
}

function legacyProviderLoaded() {
  try {
    createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
    return true;
  } catch {
    return false;
  }
}

async function main() {
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
}
