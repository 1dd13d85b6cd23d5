/**
 * The Word pieces of every example's consultation file open in LibreOffice as Cahier wrote them
 * (issue #15): each DOCX of the zip converts to PDF with LibreOffice headless (the code of
 * `npm run docx:pdf`, one soffice run for every example), and each PDF read back as text
 * (poppler's pdftotext) holds every heading of the piece, numbered by the Word list as Cahier's own
 * PDF of the same piece numbers it, in the same order. Skipped with one line without LibreOffice,
 * failed instead when CI or REQUIRE_LIBREOFFICE is set (test/support/libreoffice.ts).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertDocxToPdf } from '../../scripts/docx-to-pdf.ts';
import { sofficeOrSkip } from '../support/libreoffice.ts';
import { popplerAvailable } from '../support/poppler.ts';
import { generateFrom } from '../support/pipeline.ts';
import { sharedDeps } from './support/models.ts';
import { wordParagraphs } from './support/office.ts';

const run = promisify(execFile);
const EXAMPLE_FILES = readdirSync(new URL('../../examples/', import.meta.url)).filter((f) => f.endsWith('.json')).sort();
const load = (file: string): unknown => JSON.parse(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8'));
const soffice = sofficeOrSkip();
const ready = soffice !== null && popplerAvailable();

const fold = (s: string) => s.replace(/[\u00a0\u202f\s]+/gu, ' ').trim();
const pdfText = async (path: string) => (await run('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })).stdout;

/** The text after the table of contents (its last line with dot leaders, LibreOffice's or Cahier's), whitespace folded. */
function body(text: string): string {
  const lines = text.split('\n');
  let last = -1;
  lines.forEach((line, i) => {
    if (/(?:\. ?){4,}/u.test(line)) last = i;
  });
  return fold(lines.slice(last + 1).join('\n'));
}

/** The headings of a Word piece, « 1 », « 1.1 », « 1.1.1 » … as the multilevel list numbers its Heading1-3 paragraphs. */
function numberedHeadings(docx: Uint8Array): string[] {
  const counters = [0, 0, 0];
  const headings: string[] = [];
  for (const p of wordParagraphs(new TextDecoder().decode(unzipSync(docx)['word/document.xml']!))) {
    const level = /^Heading([1-3])$/.exec(p.style ?? '')?.[1];
    if (!level) continue;
    const l = Number(level) - 1;
    counters[l]! += 1;
    counters.fill(0, l + 1);
    headings.push(fold(`${counters.slice(0, l + 1).join('.')} ${p.text}`));
  }
  return headings;
}

/** The headings not found in `text` in order (each after the previous one). */
function missingInOrder(text: string, headings: readonly string[]): string[] {
  const missing: string[] = [];
  let from = 0;
  for (const h of headings) {
    const at = text.indexOf(h, from);
    if (at < 0) missing.push(h);
    else from = at + h.length;
  }
  return missing;
}

interface Piece {
  example: string;
  name: string;
  headings: string[];
  /** Cahier's PDF of the same piece (01_RC.pdf for 01_RC.docx), body text. */
  cahierBody: string;
  /** LibreOffice's PDF of the DOCX, body text. */
  libreOfficeBody: string;
}

describe.skipIf(!ready)('the DCE’s Word pieces converted with LibreOffice headless', () => {
  const pieces: Piece[] = [];
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cahier-lo-test-'));
    const docxPaths: string[] = [];
    const pending: Array<Omit<Piece, 'libreOfficeBody' | 'cahierBody'> & { docx: string; cahierPdf: string }> = [];
    for (const file of EXAMPLE_FILES) {
      const example = file.replace(/\.json$/, '');
      const { documents } = await generateFrom(load(file), await sharedDeps(), ['dce']);
      const files = unzipSync(documents.find((d) => d.name === 'dce.zip')!.content);
      for (const [name, bytes] of Object.entries(files)) {
        if (!name.endsWith('.docx')) continue;
        // One folder for every example's pieces (one soffice run): the example in each name.
        const base = `${example}--${name.replace(/\.docx$/, '')}`;
        const docx = join(dir, `${base}.docx`);
        const cahierPdf = join(dir, `${base}.cahier.pdf`);
        await writeFile(docx, bytes);
        await writeFile(cahierPdf, files[name.replace(/\.docx$/, '.pdf')]!);
        docxPaths.push(docx);
        pending.push({ example, name, headings: numberedHeadings(bytes), docx, cahierPdf });
      }
    }
    const pdfs = await convertDocxToPdf(docxPaths, join(dir, 'libreoffice'), { soffice: soffice!, timeoutMs: 600_000 });
    for (const [i, p] of pending.entries()) {
      pieces.push({ example: p.example, name: p.name, headings: p.headings, cahierBody: body(await pdfText(p.cahierPdf)), libreOfficeBody: body(await pdfText(pdfs[i]!)) });
    }
  }, 900_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('converts every Word piece of every example: RC, an acte d’engagement per lot, CCAP, CCTP, and the annex where a lot processes personal data', () => {
    for (const file of EXAMPLE_FILES) {
      const names = pieces.filter((p) => p.example === file.replace(/\.json$/, '')).map((p) => p.name);
      expect(names, file).toEqual(expect.arrayContaining(['01_RC.docx', '03_CCAP.docx', '05_CCTP.docx']));
      expect(names.some((n) => n.startsWith('02_AE')), file).toBe(true);
    }
    expect(pieces.some((p) => p.name === '04_CCAP_annexe_RGPD.docx')).toBe(true);
  });

  it('reads back every heading, numbered as in Cahier’s own PDF of the piece, in the same order', () => {
    const failures: string[] = [];
    for (const p of pieces) {
      if (p.headings.length < 2) failures.push(`${p.example}/${p.name}: ${p.headings.length} heading(s) in the DOCX`);
      const cahier = missingInOrder(p.cahierBody, p.headings);
      const libreOffice = missingInOrder(p.libreOfficeBody, p.headings);
      if (cahier.length > 0) failures.push(`${p.example}/${p.name}, Cahier’s PDF: ${cahier.slice(0, 3).join(' | ')}`);
      if (libreOffice.length > 0) failures.push(`${p.example}/${p.name}, LibreOffice’s PDF: ${libreOffice.slice(0, 3).join(' | ')}`);
    }
    expect(failures).toEqual([]);
  });
});
