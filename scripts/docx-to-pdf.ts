/**
 * Converts the Word pieces of a consultation file to PDF with LibreOffice headless, to check that a
 * bidder or a buyer who opens them outside Word gets the document Cahier wrote:
 *
 *   npm run docx:pdf -- <dce.zip | folder> [--out folder]
 *
 * Every `.docx` of the zip (or of the folder, not its subfolders) goes through one `soffice` call,
 * in a profile of its own under the system's temporary folder (removed afterwards), so that a
 * LibreOffice already open on the machine is neither used nor disturbed. The PDFs land in `--out`
 * (by default the folder itself, or the zip's folder), under the pieces' names. LibreOffice is
 * found as `$SOFFICE`, then `soffice` or `libreoffice` on PATH (Debian: apt-get install
 * libreoffice-writer-nogui). `DOCX_PDF_TIMEOUT_SECONDS` (default 300) bounds the conversion.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';

const run = promisify(execFile);

export const SOFFICE_NAMES = ['soffice', 'libreoffice'] as const;

/** LibreOffice's executable: `$SOFFICE` when set, else the first of SOFFICE_NAMES on PATH; null when none. */
export function findSoffice(env: Record<string, string | undefined> = process.env): string | null {
  const executable = (path: string) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  const explicit = env.SOFFICE?.trim();
  if (explicit) return executable(explicit) ? explicit : null;
  for (const name of SOFFICE_NAMES) {
    for (const dir of (env.PATH ?? '').split(delimiter).filter((d) => d !== '')) {
      if (executable(join(dir, name))) return join(dir, name);
    }
  }
  return null;
}

/**
 * Converts `files` (absolute paths of .docx files) to PDF in `outDir`, in one LibreOffice run with
 * a private profile; returns the PDFs' paths, in the order of `files`. Throws when LibreOffice
 * fails, times out, or leaves a file unconverted.
 */
export async function convertDocxToPdf(files: readonly string[], outDir: string, options: { soffice: string; timeoutMs?: number }): Promise<string[]> {
  if (files.length === 0) return [];
  await mkdir(outDir, { recursive: true });
  const profile = await mkdtemp(join(tmpdir(), 'cahier-soffice-'));
  try {
    await run(
      options.soffice,
      ['--headless', '--norestore', '--nologo', '--nolockcheck', '--nodefault', `-env:UserInstallation=${pathToFileURL(profile).href}`, '--convert-to', 'pdf', '--outdir', outDir, ...files],
      { timeout: options.timeoutMs ?? 300_000, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 },
    );
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
  const pdfs = files.map((f) => join(outDir, `${basename(f, '.docx')}.pdf`));
  const missing: string[] = [];
  for (const pdf of pdfs) {
    if (!(await stat(pdf).catch(() => undefined))?.size) missing.push(basename(pdf));
  }
  if (missing.length > 0) throw new Error(`LibreOffice wrote no PDF for ${missing.join(', ')}`);
  return pdfs;
}

/** The .docx files of a DCE zip, written to `dir`; their paths in the zip's order. */
export async function extractDocx(zip: Uint8Array, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const [name, bytes] of Object.entries(unzipSync(zip, { filter: (f) => f.name.endsWith('.docx') && !f.name.includes('/') }))) {
    const path = join(dir, name);
    await writeFile(path, bytes);
    paths.push(path);
  }
  return paths;
}

async function main(args: string[]): Promise<void> {
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? args[outAt + 1] : undefined;
  const inputs = outAt >= 0 ? args.filter((_, i) => i !== outAt && i !== outAt + 1) : args;
  if (inputs.length !== 1 || (outAt >= 0 && !out)) {
    console.error('Usage: npm run docx:pdf -- <dce.zip | folder> [--out folder]');
    process.exit(2);
  }
  const soffice = findSoffice();
  if (!soffice) {
    console.error('LibreOffice not found: set SOFFICE=/path/to/soffice or install it (Debian: apt-get install libreoffice-writer-nogui).');
    process.exit(1);
  }
  const input = resolve(inputs[0]!);
  const isZip = (await stat(input)).isFile();
  const outDir = resolve(out ?? (isZip ? dirname(input) : input));
  let staging: string | undefined;
  try {
    let files: string[];
    if (isZip) {
      staging = await mkdtemp(join(tmpdir(), 'cahier-dce-docx-'));
      files = await extractDocx(await readFile(input), staging);
    } else {
      files = (await readdir(input)).filter((f) => f.endsWith('.docx')).sort().map((f) => join(input, f));
    }
    if (files.length === 0) {
      console.error(`No .docx file in ${input}`);
      process.exit(1);
    }
    const seconds = Number(process.env.DOCX_PDF_TIMEOUT_SECONDS ?? 300);
    const pdfs = await convertDocxToPdf(files, outDir, { soffice, timeoutMs: seconds * 1000 });
    for (const pdf of pdfs) console.log(pdf);
  } finally {
    if (staging) await rm(staging, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
