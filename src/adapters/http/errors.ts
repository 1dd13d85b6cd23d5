/**
 * Protocol errors the HTTP layer raises itself (domain failures are DomainErrors, mapped in
 * problem.ts). Each carries its status, a problem type slug and a safe, fixed detail.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'HttpError';
  }
}

export const httpErrors = {
  malformedJson: (detail = 'the body is not valid JSON') => new HttpError(400, 'malformed-json', 'Malformed JSON', detail),
  jsonTooDeep: (limit: number) =>
    new HttpError(400, 'json-too-deep', 'JSON nested too deeply', `arrays and objects may be nested at most ${limit} levels deep`),
  badRequest: (detail: string) => new HttpError(400, 'bad-request', 'Bad request', detail),
  unauthorized: (detail = 'a valid bearer token is required') =>
    new HttpError(401, 'unauthorized', 'Unauthorized', detail, { 'www-authenticate': 'Bearer' }),
  forbidden: (detail: string) => new HttpError(403, 'forbidden', 'Forbidden', detail),
  routeNotFound: (path: string) => new HttpError(404, 'not-found', 'Not found', `no route for ${path}`),
  methodNotAllowed: (allow: readonly string[]) =>
    new HttpError(405, 'method-not-allowed', 'Method not allowed', `allowed: ${allow.join(', ')}`, { allow: allow.join(', ') }),
  payloadTooLarge: (limit: number) =>
    new HttpError(413, 'payload-too-large', 'Payload too large', `the body exceeds ${limit} bytes`),
  unsupportedMediaType: () =>
    new HttpError(415, 'unsupported-media-type', 'Unsupported media type', 'send the body as application/json'),
  preconditionRequired: (detail: string) => new HttpError(428, 'precondition-required', 'Precondition required', detail),
  preconditionFailed: (detail: string) => new HttpError(412, 'precondition-failed', 'Precondition failed', detail),
};
