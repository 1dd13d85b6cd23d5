/**
 * One local stack (dynalite, s3rver, the real handlers over HTTP) in a process of its own, for
 * bench/api.ts: started with `--root <checkout>`, it loads that checkout's sources (so the same
 * script serves the current tree and a baseline worktree), then talks to its parent over IPC:
 * `{ url, token }` once listening, its `process.cpuUsage()` (plus its embedded servers' process's,
 * when it has one) when asked `cpu`, and it stops on `stop`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export type StackMessage =
  | { type: 'ready'; url: string; token: string; pdfWorkers: number; serversApart: boolean; concurrentRequests?: number }
  | { type: 'cpu'; user: number; system: number }
  | { type: 'failed'; error: string };
export type ParentMessage = { type: 'cpu' } | { type: 'stop' };

interface StackModule {
  startLocalStack(
    env: unknown,
    processEnv: Record<string, string | undefined>,
  ): Promise<{
    url: string;
    tokens: { buyer: string };
    pdfWorkers?: { size: number };
    concurrentRequests?: number;
    embeddedProcess?: { cpuUsage(): Promise<NodeJS.CpuUsage> } | undefined;
    stop(): Promise<void>;
  }>;
}
interface ConfigModule {
  loadLocalEnv(env: Record<string, string>): unknown;
}

const { values } = parseArgs({ options: { root: { type: 'string' } } });
const root = path.resolve(values.root ?? process.cwd());
const send = (message: StackMessage) => process.send?.(message);

async function main(): Promise<void> {
  const load = <T>(file: string) => import(pathToFileURL(path.join(root, file)).href) as Promise<T>;
  const { loadLocalEnv } = await load<ConfigModule>('src/entry/local-config.ts');
  const { startLocalStack } = await load<StackModule>('src/entry/local-stack.ts');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cahier-bench-api-'));
  const stack = await startLocalStack(loadLocalEnv({ PORT: '0', S3_PORT: '0', DYNAMODB_PORT: '0', DATA_DIR: dataDir }), {});
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'cpu') {
      // dynalite and s3rver's own process, where the checkout runs them apart (EMBEDDED_SERVERS=process), counts with the API's.
      const { user, system } = process.cpuUsage();
      void (stack.embeddedProcess?.cpuUsage() ?? Promise.resolve({ user: 0, system: 0 })).then((servers) =>
        send({ type: 'cpu', user: user + servers.user, system: system + servers.system }),
      );
    } else if (message.type === 'stop') {
      void stack
        .stop()
        .finally(() => rmSync(dataDir, { recursive: true, force: true }))
        .finally(() => process.exit(0));
    }
  });
  // The parent gone (stopped or crashed), nothing else would stop this stack.
  process.on('disconnect', () => process.exit(0));
  // Checkouts from before the PDF worker threads (049065c) lay out every PDF in the API's thread.
  // Checkouts from before the embedded servers' process run dynalite and s3rver in the API's thread.
  // Checkouts from before the request gate serve every request as it comes.
  send({
    type: 'ready',
    url: stack.url,
    token: stack.tokens.buyer,
    pdfWorkers: stack.pdfWorkers?.size ?? 0,
    serversApart: stack.embeddedProcess !== undefined,
    ...(stack.concurrentRequests !== undefined ? { concurrentRequests: stack.concurrentRequests } : {}),
  });
}

main().catch((error: unknown) => {
  send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
