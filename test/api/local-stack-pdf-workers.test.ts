/**
 * `npm start`'s stack with its PDF worker thread (PDF_WORKERS): the CCTP of a tender posted over
 * HTTP is laid out by the worker, stored and served like any other, and once the stack stops, the
 * process renders its PDFs itself again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPdf } from '#src/adapters/render/pdf-engine.ts';
import { loadLocalEnv } from '#src/entry/local-config.ts';
import { startLocalStack, type LocalStack } from '#src/entry/local-stack.ts';
import { example } from '../support/pipeline.ts';
import { pdfText } from '../support/pdf-text.ts';
import { sampleDocument } from '../support/sample-document.ts';

let dataDir: string;
let stack: LocalStack | undefined;

beforeAll(async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  dataDir = await mkdtemp(join(tmpdir(), 'cahier-pdf-workers-'));
  stack = await startLocalStack(loadLocalEnv({ PORT: '0', S3_PORT: '0', DYNAMODB_PORT: '0', DATA_DIR: dataDir, PDF_WORKERS: '1' }), { AWS_MAX_ATTEMPTS: '3' });
});
afterAll(async () => {
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the local stack with a PDF worker thread', () => {
  it('lays out the posted tender’s CCTP on the worker, and serves it', async () => {
    const { url, tokens, pdfWorkers } = stack!;
    expect(pdfWorkers).toMatchObject({ size: 1, rendered: 0 });
    const body = { ...example('commune'), title: 'Classe mobile rendue par le fil PDF' };
    const posted = await fetch(`${url}/tenders`, { method: 'POST', headers: { authorization: `Bearer ${tokens.buyer}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(posted.status, await posted.clone().text()).toBe(201);
    const { id } = (await posted.json()) as { id: string };
    expect(pdfWorkers!.rendered).toBeGreaterThanOrEqual(1);

    const link = await fetch(`${url}/tenders/${encodeURIComponent(id)}/documents/cctp.pdf`, { headers: { authorization: `Bearer ${tokens.buyer}` }, redirect: 'manual' });
    expect(link.status).toBe(302);
    const pdf = new Uint8Array(await (await fetch(link.headers.get('location')!)).arrayBuffer());
    expect(await pdfText(pdf)).toContain('Classe mobile rendue par le fil PDF');
  });

  it('gives the PDFs back to the process when it stops', async () => {
    const { pdfWorkers } = stack!;
    await stack!.stop();
    stack = undefined;
    const rendered = pdfWorkers!.rendered;
    const pdf = await renderPdf(sampleDocument({ requirementRows: 4, sections: 1 }));
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(pdfWorkers!.rendered).toBe(rendered);
  });
});
