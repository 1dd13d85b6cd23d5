import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

// Neither package ships type declarations: the little used here.
type Dynalite = (options: { path?: string; createTableMs: number; deleteTableMs: number; updateTableMs: number }) => Server;
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverClass = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string; configs: string[] }[];
}) => S3rverInstance;

const require = createRequire(import.meta.url);

/** Credentials s3rver accepts (and dynalite ignores). */
export const EMBEDDED_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface EmbeddedServer {
  endpoint: string;
  stop(): Promise<void>;
}

export interface DynaliteOptions {
  host: string;
  port: number;
  path?: string;
}

export interface S3rverOptions {
  host: string;
  port: number;
  directory: string;
  bucket: string;
}

/** dynalite on loopback; with `path`, tables live in a LevelDB directory and survive restarts. */
export async function startDynalite(options: DynaliteOptions): Promise<EmbeddedServer> {
  if (options.path) await mkdir(options.path, { recursive: true });
  const dynalite = require('dynalite') as Dynalite;
  const server = dynalite({ ...(options.path ? { path: options.path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  // Node closes a keep-alive connection idle for 5 s. When this process renders a large document
  // for longer than that, the timer fires as the event loop frees up, in the same turn as the
  // client reuses the socket: ECONNRESET. A minute leaves that race to much longer pauses; close()
  // still ends idle connections at once (Node ≥ 19).
  server.keepAliveTimeout = 60_000;
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${options.host}:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** s3rver on loopback, objects as files under `directory`; the bucket is created if missing. */
export async function startS3rver(options: S3rverOptions): Promise<EmbeddedServer> {
  await mkdir(options.directory, { recursive: true });
  const S3rver = require('s3rver') as S3rverClass;
  const server = new S3rver({
    address: options.host,
    port: options.port,
    silent: true,
    directory: options.directory,
    configureBuckets: [{ name: options.bucket, configs: [] }],
  });
  const { port } = await server.run();
  return { endpoint: `http://${options.host}:${port}`, stop: () => server.close() };
}
