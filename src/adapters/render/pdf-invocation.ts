/**
 * The wire format between the functions that write PDFs and the pdf-renderer function (a Lambda
 * RequestResponse invocation, src/adapters/render/lambda-pdf-engine.ts and
 * functions/pdf-renderer/handler.ts). Both sides import this module, so they cannot drift.
 *
 * Request: `{ version, model, attachments }`, the DocumentModel as JSON, gzipped and base64'd (the
 * 2 048-requirement sample CCTP is 2.1 MB of JSON, 47 KB gzipped), each attachment's bytes
 * base64'd. Response: `{ version, pdf }`, the PDF gzipped (level 1) and base64'd: that CCTP's PDF
 * is 4.1 MB, 5.4 MB in base64 alone (within 0.9 MB of Lambda's 6 MB limit), 1.7 MB gzipped
 * (36 ms to deflate, 13 ms to inflate, on the 2-core development machine).
 * A DocumentModel is plain data (src/core/documents/blocks.ts) and survives JSON as it is, so the
 * PDF is the same, byte for byte, whichever side renders it (test/contracts/pdf-renderer.test.ts).
 */
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import type { PdfAttachment } from './pdf/archival.ts';

export const PDF_INVOCATION_VERSION = 1;

/**
 * Lambda's limit on a synchronous invocation's payload, request and response alike (6 MB). Checked
 * on both sides so that an oversize document fails with a sentence instead of Lambda's
 * RequestEntityTooLargeException or a truncated answer.
 */
export const INVOKE_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;

/** The model's JSON once inflated: bounds what a small gzip could expand to in the renderer. */
export const MODEL_JSON_LIMIT_BYTES = 64 * 1024 * 1024;

/** At most this many files carried inside one PDF (Cahier attaches one or two). */
export const MAX_ATTACHMENTS = 8;

const RELATIONSHIPS: ReadonlySet<string> = new Set<PdfAttachment['relationship']>(['Data', 'Source', 'Supplement', 'Alternative']);

export interface PdfInvocationRequest {
  version: typeof PDF_INVOCATION_VERSION;
  /** The DocumentModel's JSON, gzipped, base64. */
  model: string;
  attachments: Array<Omit<PdfAttachment, 'bytes'> & { bytes: string }>;
}

export interface PdfInvocationResponse {
  version: typeof PDF_INVOCATION_VERSION;
  /** The PDF, gzipped, base64. */
  pdf: string;
}

/** A payload over Lambda's limit, or a request the renderer refuses; its message says which and by how much. */
export class PdfInvocationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdfInvocationError';
  }
}

/** The request's JSON text, checked against the payload limit before anything is sent. */
export function encodePdfRequest(model: DocumentModel, attachments: readonly PdfAttachment[] = []): string {
  const request: PdfInvocationRequest = {
    version: PDF_INVOCATION_VERSION,
    model: gzipSync(JSON.stringify(model)).toString('base64'),
    attachments: attachments.map((a) => ({ name: a.name, mediaType: a.mediaType, description: a.description, relationship: a.relationship, bytes: Buffer.from(a.bytes).toString('base64') })),
  };
  const body = JSON.stringify(request);
  assertWithinLimit('request', Buffer.byteLength(body), `« ${model.meta.title} »`);
  return body;
}

/**
 * The renderer's side: the shape checked and the model inflated within bounds. The renderer is
 * invokable only by Cahier's own functions (IAM), but a malformed payload still gets a clear
 * refusal rather than a crash deep inside the layout code.
 */
export function decodePdfRequest(payload: unknown): { model: DocumentModel; attachments: PdfAttachment[] } {
  if (!isRecord(payload)) throw new PdfInvocationError('pdf-renderer: the payload is not a JSON object');
  if (payload.version !== PDF_INVOCATION_VERSION) throw new PdfInvocationError(`pdf-renderer: unsupported payload version ${JSON.stringify(payload.version)} (expected ${PDF_INVOCATION_VERSION})`);
  if (typeof payload.model !== 'string' || payload.model.length === 0 || payload.model.length > INVOKE_PAYLOAD_LIMIT_BYTES) {
    throw new PdfInvocationError(`pdf-renderer: model must be a non-empty base64 string of at most ${INVOKE_PAYLOAD_LIMIT_BYTES} characters`);
  }
  if (!Array.isArray(payload.attachments) || payload.attachments.length > MAX_ATTACHMENTS) throw new PdfInvocationError(`pdf-renderer: attachments must be an array of at most ${MAX_ATTACHMENTS}`);
  const attachments = payload.attachments.map((a: unknown, i): PdfAttachment => {
    if (!isRecord(a) || ![a.name, a.mediaType, a.description, a.bytes].every((v) => typeof v === 'string') || !RELATIONSHIPS.has(a.relationship as string)) {
      throw new PdfInvocationError(`pdf-renderer: attachments[${i}] needs string name, mediaType, description and bytes, and a relationship among ${[...RELATIONSHIPS].join(', ')}`);
    }
    return { name: a.name as string, mediaType: a.mediaType as string, description: a.description as string, relationship: a.relationship as PdfAttachment['relationship'], bytes: new Uint8Array(Buffer.from(a.bytes as string, 'base64')) };
  });
  let json: string;
  try {
    json = gunzipSync(Buffer.from(payload.model, 'base64'), { maxOutputLength: MODEL_JSON_LIMIT_BYTES }).toString('utf8');
  } catch (error) {
    throw new PdfInvocationError(`pdf-renderer: model is not gzipped JSON of at most ${MODEL_JSON_LIMIT_BYTES / 1024 / 1024} MiB (${(error as Error).message})`);
  }
  const model: unknown = JSON.parse(json);
  if (!isRecord(model) || !isRecord(model.meta) || !isRecord(model.cover) || typeof model.footerText !== 'string' || !Array.isArray(model.blocks)) {
    throw new PdfInvocationError('pdf-renderer: model is not a DocumentModel (meta, cover, footerText, blocks)');
  }
  return { model: model as unknown as DocumentModel, attachments };
}

/** The renderer's answer, checked against the payload limit (Lambda would refuse it with a less helpful error). */
export function encodePdfResponse(pdf: Uint8Array, title: string): PdfInvocationResponse {
  const response: PdfInvocationResponse = { version: PDF_INVOCATION_VERSION, pdf: gzipSync(pdf, { level: constants.Z_BEST_SPEED }).toString('base64') };
  // The JSON around the base64 is a few dozen bytes.
  assertWithinLimit('response', response.pdf.length + 64, `« ${title} »`);
  return response;
}

/** The caller's side: the PDF bytes of the renderer's answer. */
export function decodePdfResponse(text: string): Uint8Array {
  const response: unknown = JSON.parse(text);
  if (!isRecord(response) || response.version !== PDF_INVOCATION_VERSION || typeof response.pdf !== 'string') {
    throw new PdfInvocationError(`pdf-renderer answered something that is not a version ${PDF_INVOCATION_VERSION} PDF response: ${text.slice(0, 200)}`);
  }
  return new Uint8Array(gunzipSync(Buffer.from(response.pdf, 'base64')));
}

function assertWithinLimit(what: 'request' | 'response', bytes: number, document: string): void {
  if (bytes > INVOKE_PAYLOAD_LIMIT_BYTES) {
    const mib = (n: number) => (n / 1024 / 1024).toFixed(2);
    throw new PdfInvocationError(
      `pdf-renderer: the ${what} for ${document} is ${mib(bytes)} MiB, over Lambda's ${mib(INVOKE_PAYLOAD_LIMIT_BYTES)} MiB limit on a synchronous invocation`,
    );
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
