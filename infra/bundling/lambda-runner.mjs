// A stand-in for the Lambda Node.js runtime, to run a bundled function in a fresh process:
// `node lambda-runner.mjs <bundle.mjs>` imports the bundle once (its cold start, timed), prints
// {"ready":true,"importMs":…} on a line, then for every line of stdin (an API Gateway v2 event
// as JSON) prints the handler's result as one JSON line. Its own lines carry the key
// "lambdaRunner"; every other stdout line is the function's (its Powertools logs and EMF
// metrics, which Lambda would send to CloudWatch). Plain JavaScript on purpose: no tsx, no
// loader, nothing the Lambda runtime would not have.
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const bundle = process.argv[2];
if (!bundle) {
  console.error('usage: node lambda-runner.mjs <bundle.mjs>');
  process.exit(2);
}
const started = performance.now();
const { handler } = await import(pathToFileURL(bundle).href);
const importMs = performance.now() - started;
if (typeof handler !== 'function') throw new Error(`${bundle} exports no handler`);
process.stdout.write(`${JSON.stringify({ lambdaRunner: true, ready: true, importMs })}\n`);

let invocations = 0;
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const invoked = performance.now();
  invocations++;
  try {
    const result = await handler(JSON.parse(line), { awsRequestId: `local-${invocations}`, getRemainingTimeInMillis: () => 29_000 });
    process.stdout.write(`${JSON.stringify({ lambdaRunner: true, result, ms: performance.now() - invoked })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ lambdaRunner: true, error: String(error?.stack ?? error), ms: performance.now() - invoked })}\n`);
  }
}
