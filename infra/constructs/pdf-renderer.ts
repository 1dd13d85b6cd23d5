import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { FunctionDefinition } from '#src/adapters/http/routes.ts';
import { ApiFunction } from './api-function.ts';

/**
 * Sized like the tenders function, which rendered the PDFs itself before (Lambda's CPU grows with
 * memory, and a layout is CPU-bound). Its timeout is under the callers' invocation timeout
 * (src/adapters/render/lambda-pdf-engine.ts, 27 s), so that a stalled rendering comes back as the
 * renderer's « Task timed out » rather than as the caller's own timeout; both are under the API's 29 s.
 */
export const PDF_RENDERER_DEFINITION: FunctionDefinition = {
  description: 'PDF engine (pdfkit, fontkit, DejaVu): DocumentModel → PDF/A, invoked synchronously by the functions that write PDFs',
  table: 'none',
  bucket: 'none',
  memoryMb: 1024,
  timeoutSeconds: 25,
};

/** The environment variable that names the renderer in its callers (src/adapters/render/pdf-engine.ts). */
export const PDF_RENDERER_FUNCTION_VARIABLE = 'PDF_RENDERER_FUNCTION';

export interface PdfRendererProps {
  stage: string;
  /** Only to satisfy ApiFunction's props: the renderer is granted nothing on it. */
  table: ITable;
  logRetention: RetentionDays;
  /** The functions that write PDFs: each may invoke the renderer, and nothing else may. */
  callers: readonly ApiFunction[];
}

/**
 * The pdf-renderer function (functions/pdf-renderer): no API route, no table or bucket access, no
 * environment but Powertools'. Each caller gets lambda:InvokeFunction on it alone and its name in
 * PDF_RENDERER_FUNCTION.
 */
export class PdfRenderer extends Construct {
  readonly fn: ApiFunction;

  constructor(scope: Construct, id: string, props: PdfRendererProps) {
    super(scope, id);
    this.fn = new ApiFunction(this, 'Function', {
      name: 'pdf-renderer',
      definition: PDF_RENDERER_DEFINITION,
      behindApi: false,
      stage: props.stage,
      table: props.table,
      logRetention: props.logRetention,
    });
    for (const caller of props.callers) {
      // Not grantInvoke: it adds `<arn>:*` (every version and alias), a wildcard cdk-nag flags; the callers invoke the unqualified function.
      caller.role.addToPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['lambda:InvokeFunction'], resources: [this.fn.function.functionArn] }));
      caller.function.addEnvironment(PDF_RENDERER_FUNCTION_VARIABLE, this.fn.function.functionName);
    }
  }
}
