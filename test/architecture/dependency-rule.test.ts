import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles, importsOf, sourceFiles, type ImportEdge } from '../support/import-graph.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The dependency rule of the hexagon, as data: what each layer of src/ may import. A package not
 * listed is refused in the pure layers; adapters and entry points may use any package.
 */
const LAYERS = [
  { folder: 'src/core/', may: ['src/core/'], packages: ['zod', 'markdown-it'] },
  { folder: 'src/app/', may: ['src/core/', 'src/app/'], packages: ['zod', 'node:crypto'] },
  { folder: 'src/adapters/', may: ['src/core/', 'src/app/', 'src/adapters/'], packages: 'any' },
  { folder: 'src/entry/', may: ['src/'], packages: 'any' },
] as const;

/** Package name of a bare specifier: `zod`, `@aws-sdk/client-s3`, `node:fs`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function violations(root: string): string[] {
  const problems: string[] = [];
  const edges: ImportEdge[] = sourceFiles(root, 'src').flatMap((file) => importsOf(root, file));
  for (const edge of edges) {
    const layer = LAYERS.find((l) => edge.from.startsWith(l.folder));
    if (!layer) {
      problems.push(`${edge.from} is in no layer (src/ holds only ${LAYERS.map((l) => l.folder).join(', ')})`);
      continue;
    }
    if (edge.to !== undefined) {
      if (!layer.may.some((allowed) => edge.to!.startsWith(allowed))) {
        problems.push(`${edge.from} imports ${edge.to}: ${layer.folder} may import only ${layer.may.join(', ')}`);
      }
    } else if (layer.packages !== 'any' && !(layer.packages as readonly string[]).includes(packageOf(edge.specifier))) {
      problems.push(`${edge.from} imports the package ${edge.specifier}: ${layer.folder} may use only ${layer.packages.join(', ')}`);
    }
  }
  for (const cycle of importCycles(edges)) problems.push(`import cycle: ${cycle.join(' → ')}`);
  return [...new Set(problems)];
}

/** A throwaway tree of source files. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'cahier-layers-'));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

describe('the dependency rule', () => {
  it('holds for src/: core imports only itself and pure packages, the application core and its ports, adapters never entry points, no cycles', () => {
    expect(violations(ROOT)).toEqual([]);
  });

  it('keeps the in-memory fakes out of every entry point and real adapter', () => {
    const edges = sourceFiles(ROOT, 'src').flatMap((file) => importsOf(ROOT, file));
    const fakes = edges.filter((e) => e.to?.startsWith('src/adapters/memory/') && !e.from.startsWith('src/adapters/memory/'));
    expect(fakes.map((e) => `${e.from} imports ${e.to}`)).toEqual([]);
  });

  it('lets the generate use cases reach no renderer, directly or through other files: they see the output registry port only', () => {
    const edges = sourceFiles(ROOT, 'src').flatMap((file) => importsOf(ROOT, file));
    const next = new Map<string, string[]>();
    for (const e of edges) if (e.to) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    const useCases = sourceFiles(ROOT, 'src/app').filter((f) => /^src\/app\/generate-[^/]+\.ts$/.test(f));
    expect(useCases).toEqual(['src/app/generate-documents.ts', 'src/app/generate-tender.ts']);
    for (const start of useCases) {
      const reached = new Set<string>();
      const visit = (file: string) => {
        for (const to of next.get(file) ?? []) if (!reached.has(to)) (reached.add(to), visit(to));
      };
      visit(start);
      expect(reached.has('src/app/ports/outputs.ts'), start).toBe(true);
      expect([...reached].filter((f) => f.startsWith('src/adapters/')), start).toEqual([]);
      const packages = edges.filter((e) => (e.from === start || reached.has(e.from)) && e.to === undefined).map((e) => e.specifier);
      expect(packages.filter((p) => /pdfkit|fontkit|docx|exceljs|fflate|handlebars/.test(p)), start).toEqual([]);
    }
  });

  it('fails when a core file imports an adapter, even for a type', () => {
    const root = tree({
      'src/core/model/tender.ts': "import type { Table } from '#src/adapters/dynamodb/table.ts';\nexport type T = Table;\n",
      'src/adapters/dynamodb/table.ts': 'export interface Table { name: string }\n',
    });
    expect(violations(root)).toEqual([
      'src/core/model/tender.ts imports src/adapters/dynamodb/table.ts: src/core/ may import only src/core/',
    ]);
  });

  it('fails when the application does I/O, an adapter reaches an entry point, or two files import each other', () => {
    const root = tree({
      'src/app/save.ts': "import { writeFile } from 'node:fs/promises';\nexport const save = writeFile;\n",
      'src/adapters/http/handler.ts': "// import { nothing } from '#src/entry/not-this-one.ts';\nexport const h = () => import('../../entry/composition.ts');\n",
      'src/entry/composition.ts': "import { h } from '#src/adapters/http/handler.ts';\nexport const c = h;\n",
      'src/core/a.ts': "export { b } from './b.ts';\nexport const a = 1;\n",
      'src/core/b.ts': "import { a } from './a.ts';\nexport const b = a;\n",
    });
    expect(violations(root)).toEqual([
      'src/adapters/http/handler.ts imports src/entry/composition.ts: src/adapters/ may import only src/core/, src/app/, src/adapters/',
      'src/app/save.ts imports the package node:fs/promises: src/app/ may use only zod, node:crypto',
      'import cycle: src/adapters/http/handler.ts → src/entry/composition.ts',
      'import cycle: src/core/a.ts → src/core/b.ts',
    ]);
  });
});
