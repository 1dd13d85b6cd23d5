import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { httpErrors } from '#src/adapters/http/errors.ts';
import type { HttpApiEvent, HttpApiHandler, HttpApiResult } from '#src/adapters/http/lambda-types.ts';
import { PROBLEM_MEDIA_TYPE, toProblem } from '#src/adapters/http/problem.ts';
import { API_SECURITY_HEADERS, CORS_ALLOW_METHODS, corsResponseHeaders, preflightHeaders } from '#src/adapters/http/headers.ts';
import { matchRoute, routeKey, type FunctionName } from '#src/adapters/http/routes.ts';
import type { LocalAuthorizationServer, OAuthAnswer } from './local-oauth.ts';
import { createRequestGate, type RequestGate } from './request-gate.ts';

/** API Gateway refuses payloads over 10 MB before any Lambda runs; the handlers enforce the API's own, smaller limit. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Media types API Gateway passes as text; anything else reaches the Lambda base64-encoded. */
const TEXTUAL = /^(?:text\/|application\/(?:[\w.+-]+\+)?(?:json|xml)|application\/x-www-form-urlencoded)/i;

export interface LocalApiOptions {
  /** One handler per function of the route table: the same code the Lambdas run. */
  handlers: Record<FunctionName, HttpApiHandler>;
  /** Verifies a bearer token and returns its claims in API Gateway's form; throws when invalid. */
  verifyToken: (token: string) => Promise<Record<string, string>>;
  host?: string;
  /** 0 for any free port. */
  port?: number;
  /** Called once per answered request (the local stack prints an access log line). */
  onResponse?: (entry: { method: string; path: string; status: number; ms: number; requestId: string }) => void;
  /** The built web app, served on the same origin for GET paths that no API route claims. */
  web?: LocalWebApp;
  /** Origins allowed by CORS, answered as the API stack's CORS configuration answers them (none by default: the local web app is same-origin). */
  corsOrigins?: readonly string[];
  /**
   * How many API requests other than GET and HEAD (the generations, validations, uploads and
   * writes) the handlers work on at once; the others wait in order of arrival (request-gate.ts).
   * GET and HEAD requests are never held. Absent: no limit.
   */
  concurrentRequests?: number;
}

/** What the local server needs to serve the web app next to the API (the CDK app uses S3 and CloudFront instead). */
export interface LocalWebApp {
  /** The folder `vite build` wrote (index.html, assets/). */
  dir: string;
  /** Served as `GET /config.json`: how the app finds the API and signs in. */
  config: Record<string, unknown>;
  /** Local sign-in only: the printed tokens, served as `GET /local/tokens` once known. Never part of the route table. */
  tokens?: () => { buyer: string; editor: string } | undefined;
  /** Local sign-in only: the OAuth endpoints the web app uses as it uses Cognito's, under `/local/oauth2/`. */
  oauth?: LocalAuthorizationServer;
}

export interface LocalApi {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Plays API Gateway (HTTP API, payload 2.0) on loopback: matches the route table, verifies the
 * bearer token on protected routes like the JWT authorizer, turns the request into the event a
 * Lambda receives and writes the handler's result back.
 */
export async function startLocalApi(options: LocalApiOptions): Promise<LocalApi> {
  const gate = options.concurrentRequests === undefined ? undefined : createRequestGate(options.concurrentRequests);
  const server = createServer((req, res) => {
    serve(req, res, options, gate).catch((error: unknown) => {
      // serve() answers every request itself; this only guards against a broken socket.
      if (!res.headersSent) writeProblem(res, error, randomUUID(), req.url ?? '/');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, options: LocalApiOptions, gate: RequestGate | undefined): Promise<void> {
  const requestId = randomUUID();
  const started = performance.now();
  res.once('finish', () =>
    options.onResponse?.({ method: req.method ?? '', path: (req.url ?? '/').split('?')[0]!, status: res.statusCode, ms: Math.round(performance.now() - started), requestId }),
  );
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toUpperCase();
  const body = await readBody(req);
  try {
    if (body === 'too-large') throw httpErrors.payloadTooLarge(GATEWAY_MAX_BODY_BYTES);
    const origin = req.headers.origin;
    const cors = corsResponseHeaders(origin, options.corsOrigins ?? []);
    if (method === 'OPTIONS') {
      // API Gateway answers every OPTIONS request of a route path itself when CORS is configured.
      if (matchRoute('GET', url.pathname).kind === 'not-found' && matchRoute('POST', url.pathname).kind === 'not-found') throw httpErrors.routeNotFound(url.pathname);
      res.writeHead(204, { ...API_SECURITY_HEADERS, allow: CORS_ALLOW_METHODS.join(', '), ...preflightHeaders(origin, options.corsOrigins ?? []), 'x-request-id': requestId, 'content-length': '0' });
      res.end();
      return;
    }
    if (options.web && url.pathname.startsWith('/local/')) {
      if (await serveLocal(req, res, options.web, url, method, body, requestId)) return;
    }
    const match = matchRoute(method, url.pathname);
    if (match.kind === 'not-found' && options.web && (method === 'GET' || method === 'HEAD')) {
      if (await serveWeb(req, res, options.web, url.pathname, method === 'HEAD', requestId)) return;
    }
    if (match.kind === 'not-found') throw httpErrors.routeNotFound(url.pathname);
    if (match.kind === 'method-not-allowed') throw httpErrors.methodNotAllowed(match.allow);
    const { route, params } = match;

    let claims: Record<string, string> | undefined;
    if (route.role !== 'public') {
      const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (!token) throw httpErrors.unauthorized();
      claims = await options.verifyToken(token).catch(() => {
        throw httpErrors.unauthorized('the bearer token is invalid or expired');
      });
    }

    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')]),
    );
    const query = new Map<string, string[]>();
    for (const [name, value] of url.searchParams) query.set(name, [...(query.get(name) ?? []), value]);
    const textual = TEXTUAL.test(headers['content-type'] ?? 'application/json');
    const key = method === 'HEAD' ? `HEAD ${route.path}` : routeKey(route);
    const event: HttpApiEvent = {
      version: '2.0',
      routeKey: key,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      ...(query.size > 0 ? { queryStringParameters: Object.fromEntries([...query].map(([k, v]) => [k, v.join(',')])) } : {}),
      ...(Object.keys(params).length > 0 ? { pathParameters: params } : {}),
      ...(body.byteLength > 0 ? { body: body.toString(textual ? 'utf8' : 'base64') } : {}),
      isBase64Encoded: body.byteLength > 0 && !textual,
      requestContext: {
        requestId,
        routeKey: key,
        stage: '$default',
        timeEpoch: Date.now(),
        http: { method, path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '', userAgent: headers['user-agent'] ?? '' },
        ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
      },
    };
    const handle = () => options.handlers[route.function](event);
    const result = await (gate && method !== 'GET' && method !== 'HEAD' ? gate.run(handle) : handle());
    writeResult(res, { ...result, headers: { ...result.headers, ...cors } });
  } catch (error) {
    writeProblem(res, error, requestId, url.pathname, corsResponseHeaders(req.headers.origin, options.corsOrigins ?? []));
  }
}

const WEB_MEDIA_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The app's pages allow only their own scripts, styles and API calls. */
const WEB_SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

/** Answers a web app path (true), or leaves it to the API's 404 (false). Files outside `web.dir` are never read. */
async function serveWeb(req: IncomingMessage, res: ServerResponse, web: LocalWebApp, pathname: string, head: boolean, requestId: string): Promise<boolean> {
  const send = (status: number, type: string, body: Buffer | string, cache: string) => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    res.writeHead(status, { ...WEB_SECURITY_HEADERS, 'content-type': type, 'content-length': String(bytes.byteLength), 'cache-control': cache, 'x-request-id': requestId });
    res.end(head ? undefined : bytes);
    return true;
  };
  if (pathname === '/config.json') return send(200, 'application/json', JSON.stringify(web.config), 'no-store');
  if (pathname === '/auth/callback' || pathname === '/auth/callback/') {
    // As the CloudFront Function does in AWS (infra/constructs/web-hosting.ts): the app routes on the hash.
    const query = new URL(req.url ?? '/', 'http://localhost').search;
    res.writeHead(302, { ...WEB_SECURITY_HEADERS, location: `/#/auth/callback${query}`, 'cache-control': 'no-store', 'content-length': '0', 'x-request-id': requestId });
    res.end();
    return true;
  }
  const root = resolve(web.dir);
  let relative: string;
  try {
    relative = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    return false;
  }
  const file = resolve(root, `.${relative}`);
  if (!file.startsWith(root + sep) || relative.includes('\0')) return false;
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    if (pathname !== '/') return false;
    return send(503, 'text/plain; charset=utf-8', "L'application web n'est pas construite : lancez `npm run build:web` (npm start le fait).\n", 'no-store');
  }
  const immutable = relative.startsWith('/assets/');
  return send(200, WEB_MEDIA_TYPES[extname(file)] ?? 'application/octet-stream', await readFile(file), immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/**
 * The local sign-in endpoints (`/local/…`), for loopback Host and Origin only, whatever the
 * method: the printed tokens (`GET /local/tokens`) and the OAuth endpoints standing for Cognito's
 * (`GET /local/oauth2/authorize`, `POST /local/oauth2/token`, `POST /local/oauth2/revoke`).
 * Answers false for a path that is none of them (the API's 404 follows).
 */
async function serveLocal(req: IncomingMessage, res: ServerResponse, web: LocalWebApp, url: URL, method: string, body: Buffer, requestId: string): Promise<boolean> {
  if (!fromLoopback(req)) throw httpErrors.forbidden('local sign-in endpoints answer only http://localhost, http://127.0.0.1 or http://[::1] (Host and Origin)');
  const write = (answer: OAuthAnswer | { status: 200; body: unknown }) => {
    const headers: Record<string, string> = { ...API_SECURITY_HEADERS, 'cache-control': 'no-store', pragma: 'no-cache', 'x-request-id': requestId };
    if ('location' in answer) {
      res.writeHead(302, { ...headers, location: answer.location, 'content-length': '0' });
      res.end();
      return true;
    }
    const bytes = Buffer.from(JSON.stringify(answer.body));
    res.writeHead(answer.status, { ...headers, 'content-type': 'application/json', 'content-length': String(bytes.byteLength) });
    res.end(method === 'HEAD' ? undefined : bytes);
    return true;
  };
  const only = (allowed: string[]) => {
    if (!allowed.includes(method)) throw httpErrors.methodNotAllowed(allowed);
  };
  const oauth = web.oauth;
  switch (url.pathname) {
    case '/local/tokens': {
      only(['GET', 'HEAD']);
      const tokens = web.tokens?.();
      return tokens ? write({ status: 200, body: tokens }) : false;
    }
    case '/local/oauth2/authorize':
      if (!oauth) return false;
      only(['GET']);
      return write(oauth.authorize(url.searchParams, `http://${req.headers.host}`));
    case '/local/oauth2/token':
    case '/local/oauth2/revoke': {
      if (!oauth) return false;
      only(['POST']);
      if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
        return write({ status: 400, body: { error: 'invalid_request', error_description: 'the body must be application/x-www-form-urlencoded' } });
      }
      const form = new URLSearchParams(body.toString('utf8'));
      return write(url.pathname === '/local/oauth2/token' ? await oauth.token(form) : oauth.revoke(form));
    }
    default:
      return false;
  }
}

const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

/**
 * Whether a request names this machine by a loopback name: its Host (a page whose DNS name was
 * rebound to 127.0.0.1 still sends its own name) and, when the browser sends one, its Origin.
 * The local endpoints hand out signing-capable tokens: nothing else may read them.
 */
export function fromLoopback(req: Pick<IncomingMessage, 'headers'>): boolean {
  const host = req.headers.host;
  if (host === undefined || !LOOPBACK_HOST.test(host)) return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && url.origin === origin && LOOPBACK_HOST.test(url.host);
  } catch {
    return false;
  }
}

/** The body, or 'too-large' once past the gateway limit (the rest is read and dropped, so the connection stays usable). */
async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size <= GATEWAY_MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size > GATEWAY_MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks);
}

function writeResult(res: ServerResponse, result: HttpApiResult): void {
  const body = result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  // A HEAD answer keeps the length its handler gave (that of the GET body).
  const length = body ? String(body.byteLength) : (result.headers?.['content-length'] ?? '0');
  res.writeHead(result.statusCode, { ...result.headers, 'content-length': length });
  res.end(res.req?.method === 'HEAD' ? undefined : body);
}

function writeProblem(res: ServerResponse, error: unknown, requestId: string, instance: string, cors: Record<string, string> = {}): void {
  const { status, headers, problem } = toProblem(error, { requestId, instance });
  writeResult(res, {
    statusCode: status,
    headers: { ...API_SECURITY_HEADERS, ...cors, ...headers, 'content-type': PROBLEM_MEDIA_TYPE, 'cache-control': 'no-store', 'x-request-id': requestId },
    body: JSON.stringify(problem),
  });
}
