/**
 * Response headers shared by the API in AWS (function handlers behind API Gateway) and on the
 * local server, and the CORS configuration both apply: plain data, imported by the CDK stack too,
 * so the deployed API and the local one cannot drift.
 */

/**
 * On every API response: no MIME sniffing, no referrer, and a CSP that lets a JSON answer opened
 * in a browser run, embed or load nothing (the web app has its own, looser, policy).
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
};

/** Request headers the web app sends. */
export const CORS_ALLOW_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'if-match', 'if-none-match'] as const;
/** Response headers the web app reads (ETag for If-Match, Location…). */
export const CORS_EXPOSE_HEADERS = ['etag', 'location', 'retry-after', 'x-request-id', 'idempotent-replayed'] as const;
export const CORS_ALLOW_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'] as const;
/** How long a browser may cache a preflight answer. */
export const CORS_MAX_AGE_SECONDS = 600;

/**
 * The answer to a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method) as API
 * Gateway's CORS configuration gives it: 204, with the allowed methods, headers and max age when
 * the origin is allowed, without any CORS header otherwise (the browser then refuses the call).
 */
export function preflightHeaders(origin: string | undefined, allowOrigins: readonly string[]): Record<string, string> {
  if (!origin || !allowOrigins.includes(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': CORS_ALLOW_METHODS.join(','),
    'access-control-allow-headers': CORS_ALLOW_HEADERS.join(','),
    'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
    vary: 'Origin',
  };
}

/** CORS headers of an actual (non-preflight) answer to an allowed origin. */
export function corsResponseHeaders(origin: string | undefined, allowOrigins: readonly string[]): Record<string, string> {
  if (!origin || !allowOrigins.includes(origin)) return {};
  return { 'access-control-allow-origin': origin, 'access-control-expose-headers': CORS_EXPOSE_HEADERS.join(','), vary: 'Origin' };
}
