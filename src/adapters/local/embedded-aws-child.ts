/**
 * The body of the embedded servers' child process (src/adapters/local/embedded-aws-process.ts):
 * starts dynalite and s3rver as its parent asks, with the same `startDynalite` / `startS3rver` as
 * the API's thread would, answers `ready` with their endpoints (or `failed` with the error), its own
 * CPU time when asked, and stops them on `stop`. It ends with its parent: when the IPC channel
 * closes, the process exits (the OS frees its ports and LevelDB's lock).
 */
import type { EmbeddedServersAnswer, EmbeddedServersRequest } from './embedded-aws-process.ts';
import { startDynalite, startS3rver, type EmbeddedServer } from './embedded-aws.ts';

if (!process.send) throw new Error('embedded-aws-child.ts runs as a child process with IPC (src/adapters/local/embedded-aws-process.ts)');
const answer = (message: EmbeddedServersAnswer) => process.send!(message);

const started: EmbeddedServer[] = [];
const stopAll = async () => {
  for (const server of started.splice(0).reverse()) await server.stop();
};

// Ctrl-C in a terminal signals the whole process group: the parent stops this process in its turn.
// Without a parent, the signals end it as usual.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (!process.connected) void stopAll().finally(() => process.exit(0));
  });
}
// The parent gone (stopped, crashed or killed), nothing else would stop these servers.
process.on('disconnect', () => process.exit(0));

process.on('message', (request: EmbeddedServersRequest) => {
  switch (request.type) {
    case 'start':
      void (async () => {
        try {
          const { dynamodb, s3 } = request.options;
          const dynamo = dynamodb ? await startDynalite(dynamodb) : undefined;
          if (dynamo) started.push(dynamo);
          const objects = s3 ? await startS3rver(s3) : undefined;
          if (objects) started.push(objects);
          answer({ type: 'ready', ...(dynamo ? { dynamodb: dynamo.endpoint } : {}), ...(objects ? { s3: objects.endpoint } : {}) });
        } catch (error) {
          const e = error as NodeJS.ErrnoException & { port?: number };
          await stopAll().catch(() => {});
          answer({ type: 'failed', error: { name: e.name, message: e.message, ...(e.code ? { code: e.code } : {}), ...(typeof e.port === 'number' ? { port: e.port } : {}) } });
        }
      })();
      return;
    case 'cpu': {
      const { user, system } = process.cpuUsage();
      answer({ type: 'cpu', user, system });
      return;
    }
    case 'stop':
      void stopAll().finally(() => process.exit(0));
      return;
  }
});
