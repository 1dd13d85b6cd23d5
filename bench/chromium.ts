/**
 * Headless Chromium for the benchmarks, printing with the fonts Cahier's PDFs embed.
 *
 * Same font on both sides: Chromium finds fonts through fontconfig, so it is started with a
 * fontconfig file that lists only a folder holding links to the five DejaVu faces of the
 * `dejavu-fonts-ttf` package (the files the PDF renderer parses), and the HTML names them
 * ("DejaVu Sans", "DejaVu Sans Mono"). Whatever the machine has installed, Chromium then lays
 * out and embeds exactly those faces (`pdffonts` on its output lists them).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FONT_FILES, defaultFontsDir } from '#src/adapters/render/pdf/fonts.ts';

export const CHROMIUM_EXECUTABLE = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * `page.pdf()` options: one footer, the CSS page-margin boxes of renderHtml ("Page X / Y" and the
 * footer text, as the PDF renderer prints them), the CSS page size and margins.
 */
export const PDF_OPTIONS = { printBackground: true, displayHeaderFooter: false, preferCSSPageSize: true } as const;

/** A fontconfig setup with only the PDF renderer's faces; returns the environment to start Chromium with. */
export function pinnedFontEnvironment(): Record<string, string> {
  const dir = path.join(os.tmpdir(), `cahier-bench-fonts-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  const fonts = path.join(dir, 'fonts');
  mkdirSync(fonts, { recursive: true });
  for (const file of FONT_FILES) symlinkSync(path.join(defaultFontsDir(), file), path.join(fonts, file));
  const config = path.join(dir, 'fonts.conf');
  writeFileSync(
    config,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${fonts}</dir>\n  <cachedir>${path.join(dir, 'cache')}</cachedir>\n</fontconfig>\n`,
  );
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return { ...(process.env as Record<string, string>), FONTCONFIG_FILE: config };
}

/**
 * CPU time (ms, user + system) used so far by every live process below `root` (default: this
 * process), from /proc/<pid>/stat. Linux only; resolution one clock tick (10 ms) per process,
 * so single samples are coarse and medians over many runs are what to read.
 */
export function descendantsCpuMs(root: number = process.pid): number {
  const parents = new Map<number, number[]>();
  const stats = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // Fields after the command name, which may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    stats.set(pid, stat);
    parents.set(ppid, [...(parents.get(ppid) ?? []), pid]);
  }
  let ticks = 0;
  const queue = [...(parents.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    const stat = stats.get(pid)!;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    queue.push(...(parents.get(pid) ?? []));
  }
  return (ticks * 1000) / CLOCK_TICKS;
}

/** USER_HZ: 100 on Linux (getconf CLK_TCK). */
const CLOCK_TICKS = 100;
