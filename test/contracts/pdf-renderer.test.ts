/**
 * The remote PDF engine against the real pdf-renderer handler, over real HTTP: a local stand-in
 * for Lambda's Invoke API (test/support/lambda-invoke-server.ts) checks each request's SigV4
 * signature and runs functions/pdf-renderer/handler.ts in this process. The PDFs must be the same
 * bytes as the in-process engine's, so that moving the engine out of the callers' bundles changes
 * nothing a buyer downloads. Faults are injected at the stand-in (throttling, service errors) or
 * come from the renderer itself (an invalid model).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/pdf-renderer/handler.ts';
import { createLambdaPdfEngine, PdfRendererError, type LambdaPdfEngineConfig } from '#src/adapters/render/lambda-pdf-engine.ts';
import { renderPdf } from '#src/adapters/render/pdf/render-pdf.ts';
import { pdfRendererConfig } from '#src/adapters/render/pdf-engine.ts';
import { decodePdfRequest, encodePdfRequest, INVOKE_PAYLOAD_LIMIT_BYTES, PdfInvocationError } from '#src/adapters/render/pdf-invocation.ts';
import type { PdfAttachment } from '#src/adapters/render/pdf/archival.ts';
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import type { ReportSummary } from '#src/core/products/catalogue-report.ts';
import { catalogueSummaryDocument } from '#src/core/products/summary-document.ts';
import { cctpModel, example } from '../support/pipeline.ts';
import { sampleDocument } from '../support/sample-document.ts';
import { startLambdaInvokeServer, type LambdaInvokeServer } from '../support/lambda-invoke-server.ts';

const REGION = 'eu-west-3';
const CREDENTIALS = { accessKeyId: 'AKIDCAHIERTEST', secretAccessKey: 'cahier-test-secret', sessionToken: 'cahier-session' };
const FUNCTION = 'cahier-test-pdf-renderer';

let lambda: LambdaInvokeServer;
let cctp: DocumentModel;
const engine = (overrides: Partial<LambdaPdfEngineConfig> = {}) =>
  createLambdaPdfEngine({ functionName: FUNCTION, region: REGION, endpoint: lambda.endpoint, credentials: CREDENTIALS, backoffMs: 1, ...overrides });

const counts = (conform: number, total: number) => ({ conform, 'not-conform': total - conform - 1, undeclared: 1, 'needs-evidence': 0, total, shareConform: Math.round((conform * 1000) / total) / 10 });
const SUMMARY: ReportSummary = {
  framework: { id: 'carmo-education', version: 2, reference: 'CARMO' },
  totals: counts(70, 80),
  byItem: [
    { item: 'tablet', label: 'Tablette élève', ...counts(40, 45) },
    { item: 'laptop', label: 'Ordinateur portable « enseignant »', ...counts(30, 35) },
  ],
  bySupplier: [{ supplier: 'Fournisseur d’Île-de-France', ...counts(70, 80) }],
  offers: [],
} as unknown as ReportSummary;

const ATTACHMENTS: PdfAttachment[] = [
  { name: 'tender.ocds.json', mediaType: 'application/json', description: 'Données ouvertes de la consultation (OCDS 1.1)', relationship: 'Data', bytes: new TextEncoder().encode('{"ocid":"ocds-é","tag":["tender"]}\n') },
  { name: 'demande.json', mediaType: 'application/json', description: 'Demande de l’acheteur dont les documents sont issus', relationship: 'Source', bytes: new Uint8Array([0, 255, 128, 10, 0xe2, 0x80, 0xaf]) },
];

beforeAll(async () => {
  lambda = await startLambdaInvokeServer({ region: REGION, credentials: CREDENTIALS, invoke: (_name, payload) => handler(payload) });
  cctp = await cctpModel(example('commune'));
});

afterAll(async () => {
  await lambda?.stop();
});

describe('the PDF engine through the pdf-renderer function', () => {
  it('keeps a CCTP and a catalogue summary exactly through JSON: no undefined field, no typed array, no non-finite number', () => {
    for (const model of [cctp, catalogueSummaryDocument(SUMMARY, '2026-12-07T00:00:00.000Z'), sampleDocument({ requirementRows: 300 })]) {
      expect(JSON.parse(JSON.stringify(model))).toStrictEqual(model);
    }
  });

  it('renders a CCTP with its attachments byte for byte as the in-process engine does, over a SigV4-signed invocation of service lambda', async () => {
    const before = lambda.requests.length;

    const remote = await engine()(cctp, { attachments: ATTACHMENTS });

    const local = await renderPdf(cctp, { attachments: ATTACHMENTS });
    expect(Buffer.compare(Buffer.from(remote), local)).toBe(0);
    const [request] = lambda.requests.slice(before);
    expect(request).toMatchObject({ functionName: FUNCTION, signatureValid: true });
    expect(request!.credentialScope).toMatch(new RegExp(`^${CREDENTIALS.accessKeyId}/\\d{8}/${REGION}/lambda/aws4_request$`));
  });

  it('renders a catalogue summary byte for byte as the in-process engine does', async () => {
    const model = catalogueSummaryDocument(SUMMARY, '2026-12-07T00:00:00.000Z');

    const remote = await engine({ traceHeader: () => 'Root=1-6756e3a0-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1' })(model);

    expect(Buffer.compare(Buffer.from(remote), await renderPdf(model))).toBe(0);
    // The caller's trace header travels unsigned beside the signature, which still verifies.
    expect(lambda.requests.at(-1)).toMatchObject({ signatureValid: true, traceId: 'Root=1-6756e3a0-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1' });
  });

  it('is refused by the stand-in when signed with other credentials: the signature check can fail', async () => {
    const wrong = engine({ credentials: { ...CREDENTIALS, secretAccessKey: 'another-secret' }, maxAttempts: 1 });

    await expect(wrong(cctp)).rejects.toThrow(/HTTP 403.*signature/);
    expect(lambda.requests.at(-1)!.signatureValid).toBe(false);
  });

  it('throws the renderer’s own message when the function fails', async () => {
    const invalid = { ...cctp, meta: { ...cctp.meta, createdAt: 'pas une date' } };

    const thrown = await engine()(invalid).catch((e: unknown) => e);

    expect(thrown).toBeInstanceOf(PdfRendererError);
    expect((thrown as Error).message).toMatch(/^pdf-renderer failed \(Unhandled\): RangeError: meta\.createdAt is not a valid date: "pas une date"$/);
  });

  it('retries a throttled invocation and a service error, then renders', async () => {
    const model = catalogueSummaryDocument(SUMMARY, '2026-12-07T00:00:00.000Z');
    const before = lambda.requests.length;
    lambda.faults.push(429, 503);

    const remote = await engine()(model);

    expect(lambda.requests.length - before).toBe(3);
    expect(Buffer.compare(Buffer.from(remote), await renderPdf(model))).toBe(0);
  });

  it('gives up after its attempts, naming the status', async () => {
    lambda.faults.push(429, 429, 429);

    await expect(engine({ maxAttempts: 3 })(cctp)).rejects.toThrow(/^Lambda refused the pdf-renderer invocation \(HTTP 429, after 3 attempts\): TooManyRequestsException: Rate Exceeded\.$/);
    expect(lambda.faults).toEqual([]);
  });

  it('gives up on a renderer that does not answer in time, without retrying', async () => {
    const before = lambda.requests.length;
    lambda.faults.push('slow');

    await expect(engine({ timeoutMs: 100 })(cctp)).rejects.toThrow(/^pdf-renderer did not answer within 100 ms for « .+ »$/);
    expect(lambda.requests.length - before).toBe(1);
  });

  it('refuses a document over Lambda’s 6 MB payload limit without invoking, saying so', async () => {
    // Text that gzip cannot shrink: 6 MiB of base64 of pseudo-random bytes.
    let seed = 1;
    const noise = Buffer.from(Array.from({ length: 4.6 * 1024 * 1024 }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 16) & 255)).toString('base64');
    const huge: DocumentModel = { ...cctp, blocks: [{ type: 'paragraph', runs: [{ text: noise }] }] };
    const before = lambda.requests.length;

    await expect(engine()(huge)).rejects.toThrow(/^pdf-renderer: the request for « .+ » is \d+\.\d\d MiB, over Lambda's 6\.00 MiB limit on a synchronous invocation$/);
    expect(lambda.requests.length).toBe(before);
  });

  it('carries a 2 048-requirement CCTP well within the limit (the model gzipped), and refuses a malformed payload with a sentence', () => {
    const large = sampleDocument({ requirementRows: 2048 });

    const body = encodePdfRequest(large, ATTACHMENTS);

    expect(Buffer.byteLength(body)).toBeLessThan(INVOKE_PAYLOAD_LIMIT_BYTES / 10);
    expect(decodePdfRequest(JSON.parse(body)).model).toStrictEqual(large);
    expect(() => decodePdfRequest({ version: 2, model: 'x', attachments: [] })).toThrow(PdfInvocationError);
    expect(() => decodePdfRequest({ version: 1, model: Buffer.from('not gzip').toString('base64'), attachments: [] })).toThrow(/not gzipped JSON/);
    expect(() => decodePdfRequest({ version: 1, model: 'eA==', attachments: [{ name: 'a', relationship: 'Other' }] })).toThrow(/attachments\[0\]/);
  });
});

describe('pdfRendererConfig', () => {
  it('names every variable the remote engine lacks or cannot use', () => {
    expect(() => pdfRendererConfig({ PDF_RENDERER_ENDPOINT: 'not a url' })).toThrow(/PDF_RENDERER_FUNCTION[^]*AWS_REGION[^]*PDF_RENDERER_ENDPOINT/);
    expect(pdfRendererConfig({ PDF_RENDERER_FUNCTION: 'cahier-prod-pdf-renderer', AWS_REGION: 'eu-west-3', PDF_RENDERER_ENDPOINT: '' })).toEqual({ functionName: 'cahier-prod-pdf-renderer', region: 'eu-west-3' });
  });
});
