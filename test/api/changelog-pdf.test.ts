/**
 * The changelog of a published framework version as a PDF (issue #18), through the real handler
 * against dynalite: read back as text with poppler's pdftotext, it says what the Markdown says
 * (every field before → after), in French typography, tagged; the same version gives the same
 * bytes. Skipped with one line without poppler, failing when CI is set (test/support/poppler.ts).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fold, poppler, popplerAvailable } from '../support/poppler.ts';
import { expectProblemShape, startApiStack, type ApiStack } from './support/api-stack.ts';

const run = promisify(execFile);
const available = popplerAvailable();

let stack: ApiStack;

beforeAll(async () => {
  if (!available) return;
  stack = await startApiStack();
  const current = await stack.call('GET', '/criteria/tablet.storage.user', { token: stack.tokens.editor });
  const { version: _version, ...draft } = current.json;
  const put = await stack.call('PUT', '/criteria/tablet.storage.user', {
    token: stack.tokens.editor,
    body: { ...draft, metric: { ...draft.metric, value: 64 }, reason: 'Stockage relevé' },
    headers: { 'if-match': current.headers.get('etag')! },
  });
  if (put.status !== 200) throw new Error(put.text);
  const published = await stack.call('POST', '/frameworks/carmo-education/versions', {
    token: stack.tokens.editor,
    body: { version: 4, publishedAt: '2027-01-04', reason: "Rentrée 2027 : l'espace de stockage des tablettes est relevé" },
  });
  if (published.status !== 201) throw new Error(published.text);
});
afterAll(async () => {
  await stack?.stop();
});

async function download(path: string): Promise<{ status: number; type: string | null; disposition: string | null; bytes: Buffer }> {
  const res = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${stack.tokens.buyer}` } });
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes: Buffer.from(await res.arrayBuffer()) };
}

describe.skipIf(!available)('GET /frameworks/{id}/versions/{version}/changelog.pdf', () => {
  it('says what the Markdown changelog says, field by field, in a tagged PDF that French typography keeps together; same bytes twice', async () => {
    // Act
    const pdf = await download('/frameworks/carmo-education/versions/4/changelog.pdf');
    const again = await download('/frameworks/carmo-education/versions/4/changelog.pdf');
    const markdown = (await stack.call('GET', '/frameworks/carmo-education/versions/4/changelog', { token: stack.tokens.buyer })).text;
    // Assess
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe('application/pdf');
    expect(pdf.disposition).toBe('attachment; filename="carmo-education-v4-changelog.pdf"');
    expect(Buffer.compare(pdf.bytes, again.bytes)).toBe(0);
    const file = join(mkdtempSync(join(tmpdir(), 'cahier-changelog-pdf-')), 'changelog.pdf');
    writeFileSync(file, pdf.bytes);
    const raw = (await run('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })).stdout;
    const text = fold(raw);
    expect(text).toContain('Journal des modifications d’un référentiel');
    expect(text).toContain('4 (remplace la version 3)');
    expect(text).toContain('4 janvier 2027');
    expect(text).toContain('editor-1');
    expect(text).toContain('Rentrée 2027 : l’espace de stockage des tablettes est relevé');
    expect(text).toMatch(/Stockage utilisateur de la tablette \(tablet\.storage\.user, v2 → v3\)/);
    // Every field line of the Markdown (« - Seuil : ≥ 32 Go → ≥ 64 Go ») is in the PDF's table: name and before, then after (a row may break across a page).
    const fields = [...markdown.matchAll(/^- (Intitulé|Seuil|Niveau|Justificatif|Texte du CCTP) : (.+) → (.+)$/gmu)];
    expect(fields.length).toBeGreaterThan(0);
    for (const [, name, before, after] of fields) {
      const plain = (s: string) => fold(s.replace(/\\(.)/g, '$1'));
      expect(text).toContain(`${name} ${plain(before!)}`);
      expect(text.slice(text.indexOf(`${name} ${plain(before!)}`))).toContain(plain(after!));
    }
    expect(text).toContain(fold('Seuil ≥\u00a032\u00a0Go ≥\u00a064\u00a0Go'));
    // No line starts with what a no-break space keeps with the word before it.
    expect(raw.split('\n').filter((l) => /^\s*(?:;|:|»|Go\b)/u.test(l))).toEqual([]);
    expect(await poppler('pdfinfo', [file])).toMatch(/Tagged: +yes/);
  });

  it('answers 404 for a version not published and for a malformed one', async () => {
    const missing = await stack.call('GET', '/frameworks/carmo-education/versions/9/changelog.pdf', { token: stack.tokens.buyer });
    const malformed = await stack.call('GET', '/frameworks/carmo-education/versions/x/changelog.pdf', { token: stack.tokens.buyer });

    expectProblemShape(missing, 404);
    expectProblemShape(malformed, 404);
  });
});
