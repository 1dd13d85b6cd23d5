/**
 * dynalite and s3rver in a child process of their own, for the local stack (`npm start`,
 * src/entry/local-stack.ts).
 *
 * In AWS, DynamoDB and S3 run apart from the Lambda that calls them. On a laptop they otherwise
 * share the API's one JavaScript thread: under load, a `GET /tenders` spent about half its CPU in
 * dynalite (reading and projecting the page's items from LevelDB), and the second core stayed
 * idle. Here they answer on the same endpoints, from the same data directories, through the same
 * `startDynalite` / `startS3rver` (src/adapters/local/embedded-aws.ts), but on a core of their own.
 *
 * A process rather than a worker thread: LevelDB's lock on its directory belongs to the process,
 * so a thread that died without closing the table would keep it locked until the API exits; a
 * process that dies takes its locks and ports with it, and the next start opens the same
 * directory. The child follows its parent: it ends when asked (`stop()`), and on its own when the
 * IPC channel closes (the parent exited or was killed), so no server outlives the stack. It
 * ignores SIGINT and SIGTERM while its parent is there (Ctrl-C in a terminal signals both; the
 * parent stops it in order, after the API). A child that ends unasked is reported on `crashed`.
 */
import { fork } from 'node:child_process';
import type { DynaliteOptions, S3rverOptions } from './embedded-aws.ts';

/** The child's entry. */
const ENTRY = new URL('./embedded-aws-child-entry.mjs', import.meta.url);

export interface EmbeddedServersOptions {
  dynamodb?: DynaliteOptions;
  s3?: S3rverOptions;
}

/** What the parent sends. */
export type EmbeddedServersRequest = { type: 'start'; options: EmbeddedServersOptions } | { type: 'cpu' } | { type: 'stop' };
/** What the child answers. */
export type EmbeddedServersAnswer =
  | { type: 'ready'; dynamodb?: string; s3?: string }
  | { type: 'failed'; error: { name: string; message: string; code?: string; port?: number } }
  | { type: 'cpu'; user: number; system: number };

/** The embedded servers' process failed to start, or ended without being asked. */
export class EmbeddedServersError extends Error {
  readonly code: string | undefined;
  readonly port: number | undefined;
  constructor(message: string, details: { code?: string; port?: number } = {}) {
    super(message);
    this.name = 'EmbeddedServersError';
    this.code = details.code;
    this.port = details.port;
  }
}

export interface EmbeddedServersProcess {
  readonly pid: number;
  /** The endpoints, for the servers asked for. */
  readonly dynamodb: string | undefined;
  readonly s3: string | undefined;
  /** Settles only if the process ends unasked (killed, out of memory, a bug): how it ended. */
  readonly crashed: Promise<EmbeddedServersError>;
  /** The child's own CPU time so far (µs), as `process.cpuUsage()` gives it. */
  cpuUsage(): Promise<NodeJS.CpuUsage>;
  /** Stops the servers (their databases closed, their ports freed) and waits for the process to end. */
  stop(): Promise<void>;
}

const WHAT = 'the embedded DynamoDB and S3 servers, dynalite and s3rver';
/** How long `stop()` waits for a clean end before SIGKILL. */
const STOP_GRACE_MS = 10_000;

export async function startEmbeddedServersProcess(options: EmbeddedServersOptions): Promise<EmbeddedServersProcess> {
  // No --import from the parent (vitest's, tsx's): the entry registers the TypeScript loader itself.
  // s3rver's truncated listings need OpenSSL's legacy provider, as `npm start` gives the API's process.
  const child = fork(ENTRY, [], { execArgv: ['--openssl-legacy-provider'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
  const pid = child.pid ?? -1;
  let stopping = false;

  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`));
  });
  // 'error' (the process could not be spawned, or a message could not be sent) shows as its end.
  child.on('error', () => {});

  const ready = await new Promise<{ dynamodb?: string; s3?: string }>((resolve, reject) => {
    const onMessage = (answer: EmbeddedServersAnswer) => {
      if (answer.type === 'ready') resolve(answer);
      else if (answer.type === 'failed') {
        const { message, code, port } = answer.error;
        reject(new EmbeddedServersError(message, { ...(code ? { code } : {}), ...(port !== undefined ? { port } : {}) }));
      }
    };
    child.on('message', onMessage);
    void exited.then((how) => reject(new EmbeddedServersError(`${WHAT} (process ${pid}) ended before they were ready: ${how}`)));
    child.send({ type: 'start', options } satisfies EmbeddedServersRequest);
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });

  const crashed = exited.then((how) =>
    stopping ? new Promise<never>(() => {}) : new EmbeddedServersError(`${WHAT} (process ${pid}) stopped unexpectedly: ${how}; the API cannot read or write its data until the stack is restarted`),
  );
  let stopped: Promise<void> | undefined;

  return {
    pid,
    dynamodb: ready.dynamodb,
    s3: ready.s3,
    crashed,
    cpuUsage() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(new EmbeddedServersError(`${WHAT} (process ${pid}) have ended`));
      return new Promise((resolve, reject) => {
        const onMessage = (answer: EmbeddedServersAnswer) => {
          if (answer.type !== 'cpu') return;
          child.off('message', onMessage);
          resolve({ user: answer.user, system: answer.system });
        };
        child.on('message', onMessage);
        void exited.then(() => reject(new EmbeddedServersError(`${WHAT} (process ${pid}) have ended`)));
        child.send({ type: 'cpu' } satisfies EmbeddedServersRequest);
      });
    },
    stop() {
      stopped ??= (async () => {
        stopping = true;
        if (child.exitCode !== null || child.signalCode !== null) return;
        if (child.connected) child.send({ type: 'stop' } satisfies EmbeddedServersRequest);
        else child.kill('SIGKILL');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      })();
      return stopped;
    },
  };
}
