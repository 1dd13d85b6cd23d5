import type * as z from 'zod';
import { ValidationError } from '#src/core/model/errors.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '#src/app/ports/page.ts';

/** Page size from a request: 1 to 100, 25 by default. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ValidationError([{ path: 'limit', message: `expected an integer from 1 to ${MAX_PAGE_SIZE}` }]);
  }
  return limit;
}

const MAX_CURSOR_LENGTH = 2048;

/** An opaque cursor: base64url of JSON. Not secret: decoding validates it against what the listing expects. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor issued by `encodeCursor` and checks it with `schema` (which also binds it to
 * the listing). Anything else, truncated, tampered with or from another listing, is a
 * ValidationError on `cursor`.
 */
export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  const invalid = () => new ValidationError([{ path: 'cursor', message: 'invalid or expired cursor' }]);
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw invalid();
  return parsed.data;
}

/** Orders strings as DynamoDB sort keys and S3 keys are ordered: by their UTF-8 bytes. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
