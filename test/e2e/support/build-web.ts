/**
 * Builds the web app (web/ → web/dist) when the build is missing or older than its sources, so
 * that the browser tests serve the app the sources describe. A no-op when nothing changed.
 * Called by the global setup (global-setup.ts) only when the browser tests will run.
 */
import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
/** What the bundle is built from: the app, and what it imports from the rest of the repository. */
const SOURCES = ['web/src', 'web/index.html', 'web/vite.config.ts', 'src/core/model', 'src/core/documents/labels.ts', 'src/core/offers/award-codes.ts', 'src/core/offers/decision-limits.ts', 'src/core/law', 'catalogue/items.json', 'package-lock.json'];

async function newest(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((e) => newest(join(path, e))));
  return Math.max(info.mtimeMs, ...times);
}

export async function buildWebIfStale(): Promise<void> {
  const built = (await stat(join(root, 'web/dist/index.html')).catch(() => undefined))?.mtimeMs ?? 0;
  const sources = Math.max(...(await Promise.all(SOURCES.map((s) => newest(join(root, s))))));
  if (built > sources) return;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`))));
  });
}
