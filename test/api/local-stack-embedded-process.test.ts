/**
 * `npm start`'s stack with dynalite and s3rver in a child process (EMBEDDED_SERVERS=process): the
 * API and real AWS SDK v3 clients write and read through it, a stop frees its ports and a restart on
 * the same data directory finds everything again, a killed child is reported (and requests fail
 * rather than wait), and the child never outlives its parent.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbClients, createS3Client } from '#src/adapters/aws-clients.ts';
import { EmbeddedServersError, startEmbeddedServersProcess } from '#src/adapters/local/embedded-aws-process.ts';
import { loadLocalEnv } from '#src/entry/local-config.ts';
import { startLocalStack, type LocalStack } from '#src/entry/local-stack.ts';
import { example } from '../support/pipeline.ts';

let dataDir: string;
let stack: LocalStack | undefined;

const start = (ports: { S3_PORT: string; DYNAMODB_PORT: string } = { S3_PORT: '0', DYNAMODB_PORT: '0' }) =>
  startLocalStack(loadLocalEnv({ PORT: '0', ...ports, DATA_DIR: dataDir, EMBEDDED_SERVERS: 'process', PDF_WORKERS: '0' }), { AWS_MAX_ATTEMPTS: '3' });
const portOf = (endpoint: string) => new URL(endpoint).port;
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** Whether something still listens on the port (a fresh server cannot take it). */
const taken = async (port: number) => {
  const server = createServer();
  server.listen(port, '127.0.0.1');
  const [outcome] = await Promise.race([once(server, 'listening').then(() => ['free']), once(server, 'error').then(() => ['taken'])]);
  if (outcome === 'free') await new Promise((resolve) => server.close(resolve));
  return outcome === 'taken';
};

beforeAll(async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  dataDir = await mkdtemp(join(tmpdir(), 'cahier-embedded-process-'));
});
afterAll(async () => {
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the local stack with its servers in a child process', () => {
  const title = 'Classe mobile servie par le processus des serveurs';

  it('serves writes and reads through the API and through real SDK clients, from another process', async () => {
    stack = await start();
    const { embeddedProcess, config, url, tokens } = stack;
    expect(embeddedProcess?.pid).toBeGreaterThan(0);
    expect(embeddedProcess!.pid).not.toBe(process.pid);
    expect(stack.dynamodb).toMatchObject({ embedded: true });
    expect(stack.s3).toMatchObject({ embedded: true });

    const posted = await fetch(`${url}/tenders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.buyer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...example('commune'), title }),
    });
    expect(posted.status, await posted.clone().text()).toBe(201);

    const { document, client } = createDynamoDbClients(config.aws);
    const s3 = createS3Client(config.aws);
    try {
      await document.send(new PutCommand({ TableName: config.tableName, Item: { pk: 'TEST#process', sk: 'ITEM', note: 'écrit par le SDK' } }));
      await s3.send(new PutObjectCommand({ Bucket: config.bucketName, Key: 'test/process.txt', Body: 'objet écrit par le SDK' }));
      const item = await document.send(new GetCommand({ TableName: config.tableName, Key: { pk: 'TEST#process', sk: 'ITEM' } }));
      expect(item.Item?.note).toBe('écrit par le SDK');
      const object = await s3.send(new GetObjectCommand({ Bucket: config.bucketName, Key: 'test/process.txt' }));
      expect(await object.Body!.transformToString()).toBe('objet écrit par le SDK');
    } finally {
      client.destroy();
      s3.destroy();
    }
    // The child's own CPU, which the API's process.cpuUsage() does not count.
    const cpu = await embeddedProcess!.cpuUsage();
    expect(cpu.user + cpu.system).toBeGreaterThan(0);
  });

  it('stops its servers, freeing their ports, and finds their data again on the same directory', async () => {
    const before = stack!;
    const ports = { S3_PORT: portOf(before.s3.endpoint), DYNAMODB_PORT: portOf(before.dynamodb.endpoint) };
    const pid = before.embeddedProcess!.pid;
    await before.stop();
    stack = undefined;
    expect(alive(pid)).toBe(false);
    expect(await taken(Number(ports.DYNAMODB_PORT))).toBe(false);
    expect(await taken(Number(ports.S3_PORT))).toBe(false);

    stack = await start(ports);
    const { config, url, tokens } = stack;
    expect(stack.embeddedProcess!.pid).not.toBe(pid);
    const listed = await fetch(`${url}/tenders`, { headers: { authorization: `Bearer ${tokens.buyer}` } });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { items: { title: string }[] }).items.map((t) => t.title)).toContain(title);
    const { document, client } = createDynamoDbClients(config.aws);
    const s3 = createS3Client(config.aws);
    try {
      expect((await document.send(new GetCommand({ TableName: config.tableName, Key: { pk: 'TEST#process', sk: 'ITEM' } }))).Item?.note).toBe('écrit par le SDK');
      const object = await s3.send(new GetObjectCommand({ Bucket: config.bucketName, Key: 'test/process.txt' }));
      expect(await object.Body!.transformToString()).toBe('objet écrit par le SDK');
    } finally {
      client.destroy();
      s3.destroy();
    }
  });

  it('reports a killed server process, and its requests fail rather than wait', async () => {
    const { embeddedProcess, url, tokens } = stack!;
    process.kill(embeddedProcess!.pid, 'SIGKILL');
    const error = await embeddedProcess!.crashed;
    expect(error).toBeInstanceOf(EmbeddedServersError);
    expect(error.message).toMatch(new RegExp(`process ${embeddedProcess!.pid}\\) stopped unexpectedly: signal SIGKILL`));

    const started = performance.now();
    const listed = await fetch(`${url}/tenders`, { headers: { authorization: `Bearer ${tokens.buyer}` }, signal: AbortSignal.timeout(30_000) });
    expect(listed.status).toBeGreaterThanOrEqual(500);
    expect(performance.now() - started).toBeLessThan(15_000);
    await stack!.stop();
    stack = undefined;
  });

  it('keeps them in the API’s thread with EMBEDDED_SERVERS=in-thread, on the same data', async () => {
    expect(() => loadLocalEnv({ EMBEDDED_SERVERS: 'worker' })).toThrow(/EMBEDDED_SERVERS/);
    stack = await startLocalStack(loadLocalEnv({ PORT: '0', S3_PORT: '0', DYNAMODB_PORT: '0', DATA_DIR: dataDir, EMBEDDED_SERVERS: 'in-thread', PDF_WORKERS: '0' }), { AWS_MAX_ATTEMPTS: '3' });
    expect(stack.embeddedProcess).toBeUndefined();
    expect(stack.dynamodb).toMatchObject({ embedded: true });
    const listed = await fetch(`${stack.url}/tenders`, { headers: { authorization: `Bearer ${stack.tokens.buyer}` } });
    expect(((await listed.json()) as { items: { title: string }[] }).items.map((t) => t.title)).toContain(title);
    await stack.stop();
    stack = undefined;
  });

  it('fails to start with the port already taken, saying which', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as { port: number };
    try {
      const failed = startEmbeddedServersProcess({ dynamodb: { host: '127.0.0.1', port } });
      await expect(failed).rejects.toBeInstanceOf(EmbeddedServersError);
      await expect(failed).rejects.toMatchObject({ code: 'EADDRINUSE', port });
    } finally {
      blocker.close();
    }
  });

  it('never outlives its parent: a killed parent takes its servers with it', async () => {
    const parent = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../support/embedded-servers-parent.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let child: number | undefined;
    try {
      const [line] = (await once(createInterface({ input: parent.stdout! }), 'line')) as [string];
      const { pid, dynamodb } = JSON.parse(line) as { pid: number; dynamodb: string };
      child = pid;
      expect(alive(pid)).toBe(true);
      parent.kill('SIGKILL');
      await expect.poll(() => alive(pid)).toBe(false);
      await expect.poll(() => taken(Number(portOf(dynamodb)))).toBe(false);
    } finally {
      parent.kill('SIGKILL');
      // Should this test fail, no orphan is left behind it.
      if (child !== undefined && alive(child)) process.kill(child, 'SIGKILL');
    }
  });
});
