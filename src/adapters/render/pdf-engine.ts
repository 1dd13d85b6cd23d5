/**
 * The PDF engine (DocumentModel + attachments → PDF bytes) as every PDF writer reaches it.
 *
 * In process by default: the CLI, the local server (`npm start`) and the tests load
 * src/adapters/render/pdf/render-pdf.ts on first use. In the Lambda bundles of the functions that
 * write PDFs (tenders, documents, catalogues) `process.env.CAHIER_PDF_BUNDLED` is the string
 * 'false' (esbuild's `define`, infra/bundling/bundling.ts): the `import()` below is then dead code
 * that esbuild leaves out, pdfkit, fontkit and the fonts with it (≈ 450 KiB of each bundle), and
 * every PDF is one synchronous invoke of the pdf-renderer function, which renders it with the
 * same code (src/adapters/render/lambda-pdf-engine.ts). The API answers the same either way:
 * `POST /tenders` still answers 201 with its PDFs stored.
 *
 * The local stack may hand the in-process engine's work to threads of its own
 * (`useLocalPdfEngine`, src/adapters/render/pdf-worker-pool.ts), as AWS hands it to a function.
 */
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import { lambdaTraceHeader } from '#src/adapters/observability/lambda-trace.ts';
import type { LambdaPdfEngineConfig } from './lambda-pdf-engine.ts';
import type { PdfEngine, PdfEngineOptions } from './pdf-engine-types.ts';

export type { PdfAttachment, PdfEngine, PdfEngineOptions } from './pdf-engine-types.ts';

/** Where the pdf-renderer function is: read from the environment, credentials apart. */
export type PdfRendererConfig = Omit<LambdaPdfEngineConfig, 'credentials'>;

let remoteConfig: PdfRendererConfig | undefined;
let remote: Promise<PdfEngine> | undefined;
/** Engines installed by local stacks, the last one in use (several stacks may share a test process). */
const local: PdfEngine[] = [];
/**
 * The in-process renderer's module, its promise kept: `import()` of a module already loaded
 * still resolves its specifier again at every call (≈ 0.2 ms each under tsx's loader: the local
 * server without PDF workers, the CLI, the benchmarks), once per PDF.
 */
let here: Promise<typeof import('./pdf/render-pdf.ts')> | undefined;

/** The PDF of `model`, rendered here or by the pdf-renderer function (see the module comment). */
export async function renderPdf(model: DocumentModel, options: PdfEngineOptions = {}): Promise<Uint8Array> {
  // An if/else, not an early return: esbuild drops a constant condition's dead branch, not the statements after a return.
  if (process.env.CAHIER_PDF_BUNDLED === 'false') {
    remote ??= remotePdfEngine(remoteConfig ?? pdfRendererConfig(process.env));
    return (await remote)(model, options);
  } else {
    const engine = local.at(-1);
    if (engine) return engine(model, options);
    here ??= import('./pdf/render-pdf.ts');
    return (await here).renderPdf(model, options);
  }
}

/**
 * For the local stack, which starts PDF worker threads: every PDF of this process is rendered by
 * `engine` until the function returned is called (then by the engine installed before it that is
 * still in use, or here). The same code renders either way, so the bytes are the same. Not for
 * the Lambda bundles, whose PDFs go to the pdf-renderer function.
 */
export function useLocalPdfEngine(engine: PdfEngine): () => void {
  local.push(engine);
  return () => {
    const at = local.lastIndexOf(engine);
    if (at >= 0) local.splice(at, 1);
  };
}

/**
 * For the handlers of the functions that write PDFs, at module load: in a bundle whose PDFs are
 * rendered remotely, reads and checks the renderer's configuration now, so a missing variable
 * fails the cold start instead of the first PDF. Elsewhere it does nothing.
 */
export function configurePdfEngine(env: Record<string, string | undefined>): void {
  if (process.env.CAHIER_PDF_BUNDLED === 'false') remoteConfig = pdfRendererConfig(env);
}

/** Pure: the renderer's configuration, or an error naming each bad variable, as src/entry/config.ts does for the others. */
export function pdfRendererConfig(env: Record<string, string | undefined>): PdfRendererConfig {
  const functionName = env.PDF_RENDERER_FUNCTION;
  const region = env.AWS_REGION;
  const endpoint = env.PDF_RENDERER_ENDPOINT || undefined;
  const problems = [
    ...(functionName && /^[A-Za-z0-9:_-]{1,140}$/.test(functionName) ? [] : ['PDF_RENDERER_FUNCTION: expected the pdf-renderer function’s name or ARN']),
    ...(region ? [] : ['AWS_REGION: required']),
    ...(endpoint === undefined || URL.canParse(endpoint) ? [] : ['PDF_RENDERER_ENDPOINT: expected a URL']),
  ];
  if (problems.length > 0) throw new Error(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return { functionName: functionName!, region: region!, ...(endpoint ? { endpoint } : {}) };
}

/**
 * Loaded on the first PDF, like the in-process engine: the CLI and the local server, which never
 * take this path, do not load the signer either. Credentials: the role's, which Lambda puts in
 * the environment (the same source as the SDK clients' in the bundles, infra/bundling/env-credentials.mjs).
 */
async function remotePdfEngine(config: PdfRendererConfig): Promise<PdfEngine> {
  const [{ createLambdaPdfEngine }, { fromEnv }] = await Promise.all([import('./lambda-pdf-engine.ts'), import('@aws-sdk/credential-provider-env')]);
  // The current invocation's header, read at each call, from where the SDK calls' subsegments read it.
  return createLambdaPdfEngine({ ...config, credentials: fromEnv(), traceHeader: () => lambdaTraceHeader(process.env) });
}
