/**
 * The `cahier` command as a process: wires runCli to the terminal. bin/cahier.js runs the
 * compiled copy of this module (dist/cli/, `npm run build:cli`, built by `npm ci` through
 * `prepare`), so no TypeScript loader starts with the command; from a checkout without that
 * build, it runs this source through tsx.
 */
import { spawn } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PRECOMPILED_FILE } from '#src/adapters/handlebars/template-engine.ts';
import { runCli } from './cli.ts';
import { TEMPLATES_DIR } from './paths.ts';

/**
 * The compiled CLI's templates, precompiled next to it by the build (dist/templates/); the
 * sources when run from source.
 */
function templatesDir(): string {
  const built = fileURLToPath(new URL('../templates/', import.meta.url));
  return existsSync(`${built}${PRECOMPILED_FILE}`) ? built : TEMPLATES_DIR;
}

// `cahier gc` may list over 1 000 objects from the embedded s3rver, whose continuation tokens use
// DES: OpenSSL 3 offers it only through the legacy provider, which must be enabled at start-up.
if (process.argv[2] === 'gc' && !legacyProviderLoaded()) {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  child.once('exit', (code, signal) => (signal ? process.kill(process.pid, signal) : process.exit(code ?? 1)));
} else {
  await main();
}

function legacyProviderLoaded(): boolean {
  try {
    createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const tty = process.stderr.isTTY;
  const code = await runCli(
    process.argv.slice(2),
    {
      stdout: (line) => {
        if (tty) process.stderr.write('\r\x1b[K');
        process.stdout.write(`${line}\n`);
      },
      stderr: (line) => {
        if (tty) process.stderr.write('\r\x1b[K');
        process.stderr.write(`${line}\n`);
      },
      progress: tty ? (line) => process.stderr.write(`\r\x1b[K${line}`) : undefined,
    },
    process.env,
    { templates: templatesDir() },
  );
  if (tty) process.stderr.write('\r\x1b[K');
  process.exitCode = code;
}
