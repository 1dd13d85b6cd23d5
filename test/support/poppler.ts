/**
 * Poppler's command-line tools (Debian `poppler-utils`: pdfinfo, pdfdetach), for the tests that
 * read a PDF's structure tree, metadata and attachments back as a viewer does. veraPDF, the
 * reference PDF/UA and PDF/A validator, is distributed neither by the npm registry nor by Debian,
 * so these tests check what it would check through poppler's reading of the file.
 *
 * When the tools are missing the tests that need them skip, unless `CI` or `REQUIRE_BROWSER` is
 * set (the switch that already makes a missing Chromium fail): then they fail. The line saying how
 * to run them is printed once per run, by the global setup (skip-notices.ts), not by each file.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { browserRequired } from '../e2e/support/browser.ts';

const run = promisify(execFile);

/** Absolute path of `name` on PATH (the environment's), or null. */
export function onPath(name: string, env: Record<string, string | undefined> = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter).filter((d) => d !== '')) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export const POPPLER_SKIP_NOTICE =
  'PDF structure tests skipped: poppler’s pdfinfo/pdfdetach/pdffonts not found. To run them: apt-get install poppler-utils; set REQUIRE_BROWSER=1 (or CI) to make the missing tools fail.';

/** Whether pdfinfo, pdfdetach and pdffonts are all on PATH. */
export const popplerPresent = (env: Record<string, string | undefined> = process.env): boolean =>
  onPath('pdfinfo', env) !== null && onPath('pdfdetach', env) !== null && onPath('pdffonts', env) !== null;

/** Whether a missing poppler must fail the run. */
export const popplerRequired = (env: Record<string, string | undefined> = process.env): boolean => browserRequired(env);

/**
 * Whether the poppler tests can run: true when pdfinfo, pdfdetach and pdffonts are on PATH; false
 * when they are not (the run's notice says so once); throws when they are required.
 */
export function popplerAvailable(env: Record<string, string | undefined> = process.env): boolean {
  if (popplerPresent(env)) return true;
  if (popplerRequired(env)) throw new Error(`CI or REQUIRE_BROWSER set: ${POPPLER_SKIP_NOTICE}`);
  return false;
}

/** Runs a poppler tool and returns its standard output (UTF-8). */
export async function poppler(tool: 'pdfinfo' | 'pdfdetach' | 'pdffonts', args: readonly string[]): Promise<string> {
  const { stdout } = await run(tool, [...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** A node of a structure tree: its type, its text (content read back, whitespace folded) and children. */
export interface StructNode {
  type: string;
  text: string;
  children: StructNode[];
  /** Attribute lines such as "/Scope /Column". */
  attributes: string[];
  /** Annotations the element owns (OBJR), e.g. a link's. */
  objects: number;
}

export const fold = (s: string): string => s.replace(/\s+/gu, ' ').trim();

/**
 * The structure tree as `pdfinfo -struct-text` prints it: one line per element (indented two
 * spaces a level, « Type », « Type (block) » or « Type: » followed by attribute lines), its
 * content as quoted lines one level deeper, « Object N 0 » for an annotation it owns.
 */
export function parseStructText(output: string): StructNode[] {
  const roots: StructNode[] = [];
  const stack: { depth: number; node: StructNode }[] = [];
  for (const raw of output.split('\n')) {
    if (raw.trim() === '') continue;
    const depth = raw.length - raw.trimStart().length;
    const line = raw.trim();
    while (stack.length > 0 && stack[stack.length - 1]!.depth >= depth) stack.pop();
    const parent = stack[stack.length - 1]?.node;
    if (line.startsWith('"')) {
      if (parent) parent.text += line.slice(1, -1);
      continue;
    }
    if (line.startsWith('/')) {
      parent?.attributes.push(line);
      continue;
    }
    if (/^Object \d+ \d+$/.test(line)) {
      if (parent) parent.objects += 1;
      continue;
    }
    const node: StructNode = { type: line.replace(/:$/, '').replace(/ \(\w+\)$/, ''), text: '', children: [], attributes: [], objects: 0 };
    if (parent) parent.children.push(node);
    else roots.push(node);
    stack.push({ depth, node });
  }
  const folded = (n: StructNode): void => {
    n.text = fold(n.text);
    n.children.forEach(folded);
  };
  roots.forEach(folded);
  return roots;
}
