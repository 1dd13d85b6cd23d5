// For test/api/local-stack-embedded-process.test.ts: a parent that starts the embedded servers'
// child process, prints the child's pid and endpoint on a line of JSON, then waits to be killed.
import { startEmbeddedServersProcess } from '#src/adapters/local/embedded-aws-process.ts';

const servers = await startEmbeddedServersProcess({ dynamodb: { host: '127.0.0.1', port: 0 } });
process.stdout.write(`${JSON.stringify({ pid: servers.pid, dynamodb: servers.dynamodb })}\n`);
setInterval(() => {}, 60_000);
