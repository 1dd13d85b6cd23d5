/**
 * What every `cahier` command shares: where it writes its lines, and how it writes its files.
 * Kept apart from cli.ts so that the commands cli.ts loads lazily (analyse, conformity) import it
 * without a cycle.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /** Writes a transient progress line (terminal only). */
  progress?: (line: string) => void;
}

export interface OutputFile {
  name: string;
  content: string | Uint8Array;
}

/**
 * Writes each file under `dir` whole or not at all: to a temporary name first, then renamed, so a
 * reader never sees half a file. Files land in the order given; `written` is told of each.
 */
export async function writeFilesAtomically(dir: string, files: readonly OutputFile[], written?: (path: string) => void): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const { name, content } of files) {
    const path = join(dir, name);
    const temporary = join(dir, `.${name}.${process.pid}.tmp`);
    await writeFile(temporary, content);
    await rename(temporary, path);
    written?.(path);
  }
}
