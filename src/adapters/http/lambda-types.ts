/**
 * The parts of API Gateway HTTP API payload format 2.0 that Cahier reads and writes (see the
 * "Working with AWS Lambda proxy integrations for HTTP APIs" page of the API Gateway guide).
 * Declared here rather than taken from @types/aws-lambda: a dozen fields, no extra dependency.
 */
export interface HttpApiEvent {
  version: '2.0';
  /** "GET /criteria/{id}", or "$default". */
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  /** Lower-case names; repeated headers joined with commas. */
  headers?: Record<string, string | undefined>;
  /** Repeated parameters joined with commas. */
  queryStringParameters?: Record<string, string | undefined>;
  pathParameters?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded: boolean;
  requestContext: {
    requestId: string;
    routeKey?: string;
    stage?: string;
    timeEpoch?: number;
    http: { method: string; path: string; protocol?: string; sourceIp?: string; userAgent?: string };
    /**
     * Set by the JWT authorizer once it has verified the token. Array claims arrive flattened
     * into strings such as "[buyers criteria-editors]", numbers as strings.
     */
    authorizer?: { jwt?: { claims: Record<string, unknown>; scopes?: string[] | null } };
  };
}

export interface HttpApiResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

/** The part of the Lambda context the handlers read (the runtime passes more). */
export interface LambdaContext {
  awsRequestId?: string;
}

export type HttpApiHandler = (event: HttpApiEvent, context?: LambdaContext) => Promise<HttpApiResult>;
