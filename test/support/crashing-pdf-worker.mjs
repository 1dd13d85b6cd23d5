// Fault injection for test/contracts/pdf-worker-pool.test.ts: the real PDF worker, except that a
// model titled « crash » ends the thread (exit code 3) as soon as its rendering has begun. The real
// worker is loaded first: a message is given to the listeners present when it arrives, so the
// worker's own listener must be one of them.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import('../../src/adapters/render/pdf-worker.ts');
parentPort.on('message', (job) => {
  if (job.model.meta.title === 'crash') process.exit(3);
});
