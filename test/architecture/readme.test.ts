import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LAW } from '#src/core/law/law.ts';
import { FUNDING_PROGRAMMES } from '#src/core/funding/programmes.ts';
import { RULE_LIST_END, RULE_LIST_START, ruleListMarkdown, withRuleList } from '../../scripts/rule-list.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const IGNORED = new Set(['node_modules', 'out', 'cdk.out', 'coverage', 'dist', '.data', '.git', '.ci', '.tmp']);

/** Folders (relative, with a trailing slash) that hold at least one file, down to `depth` levels below `dir`. */
function foldersWithFiles(dir: string, depth: number): string[] {
  const found: string[] = [];
  const holdsFiles = (rel: string): boolean =>
    readdirSync(path.join(ROOT, rel), { withFileTypes: true }).some((e) => e.isFile() || (e.isDirectory() && !IGNORED.has(e.name) && holdsFiles(path.join(rel, e.name))));
  const walk = (rel: string, level: number) => {
    for (const entry of readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
      if (!entry.isDirectory() || IGNORED.has(entry.name) || entry.name.startsWith('.')) continue;
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (!holdsFiles(child)) continue;
      found.push(`${child}/`);
      if (level < depth) walk(child, level + 1);
    }
  };
  walk(dir, 1);
  return found.sort();
}

/** The folders the README's architecture table names (first column). */
function foldersNamed(): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Architecture'), readme.indexOf('### Escaping'));
  return [...section.matchAll(/^\| `([^`]+\/)` \|/gm)].map((m) => m[1]!);
}

describe('the README architecture table', () => {
  it('names only folders that exist', () => {
    const existing = new Set(foldersWithFiles('', 3));
    expect(foldersNamed().filter((f) => !existing.has(f))).toEqual([]);
  });

  it('names every top-level folder and every folder of src/ down to adapters and layers', () => {
    const named = foldersNamed();
    const covered = (folder: string) => named.some((n) => folder === n || (folder.startsWith(n) && !folder.startsWith('src/')));
    const expected = [...foldersWithFiles('', 1).filter((f) => f !== 'src/'), ...foldersWithFiles('src', 2).filter((f) => f.split('/').length === 4 || f === 'src/app/' || f === 'src/entry/')];
    expect(expected.filter((f) => !covered(f))).toEqual([]);
  });
});

describe('the README rule list', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = readme.slice(readme.indexOf(RULE_LIST_START) + RULE_LIST_START.length + 1, readme.indexOf(RULE_LIST_END));

  it('is the list written from the law records and funding programmes (npm run readme:rules)', () => {
    expect(readme).toContain(RULE_LIST_START);
    expect(withRuleList(readme)).toBe(readme);
    expect(block).toBe(ruleListMarkdown());
  });

  it('has one row per law record and per programme, each with its period and source', () => {
    for (const r of LAW) expect(block).toContain(`| \`${r.id}\` | ${r.title.replace(/\|/g, '\\|')} |`);
    for (const p of FUNDING_PROGRAMMES) expect(block).toContain(`| \`${p.id}\` |`);
    expect(block.split('\n').filter((l) => l.startsWith('| `'))).toHaveLength(LAW.length + FUNDING_PROGRAMMES.length);
  });

  it('no longer states the withdrawn rules anywhere in the README', () => {
    const outside = readme.replace(block, '');
    expect(outside).not.toMatch(/22 August 2026|190\s?€ per device|50 %, at most/);
  });
});
