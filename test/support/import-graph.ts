import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One import of a source file: the specifier as written and, for project files, the file it names. */
export interface ImportEdge {
  from: string;
  specifier: string;
  /** Project-relative path of the imported file (POSIX), when the specifier names one. */
  to?: string;
}

const CODE = /\.(ts|tsx|mts|mjs|js|cjs)$/;

/** Every code file under `dir` (relative to `root`, POSIX), skipping declaration files. */
export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = path.posix.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (CODE.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(child);
    }
  };
  walk(dir);
  return out.sort();
}

/** Comments out, strings kept: enough to read import statements without being fooled by prose. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[\s;{}])\/\/[^\n]*/g, '$1');
}

const STATEMENT = /\b(?:import|export)\b[^;'"`]*?\bfrom\s*['"]([^'"]+)['"]/g;
const BARE = /\bimport\s*['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/**
 * The imports of one file: static (`import`, `import type`, `export … from`, bare `import 'x'`)
 * and dynamic with a literal specifier. Relative and `#src/*` specifiers resolve to project files.
 */
export function importsOf(root: string, file: string): ImportEdge[] {
  const source = stripComments(readFileSync(path.join(root, file), 'utf8'));
  const specifiers = new Set<string>();
  for (const pattern of [STATEMENT, BARE, DYNAMIC]) for (const m of source.matchAll(pattern)) specifiers.add(m[1]!);
  return [...specifiers].sort().map((specifier) => {
    let to: string | undefined;
    if (specifier.startsWith('.')) to = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    else if (specifier.startsWith('#src/')) to = `src/${specifier.slice('#src/'.length)}`;
    return to === undefined ? { from: file, specifier } : { from: file, specifier, to };
  });
}

/** Strongly connected groups of more than one file (import cycles), by Tarjan's algorithm. */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) if (e.to) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) cycles.push(group.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return cycles;
}
