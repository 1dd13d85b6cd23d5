import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseFormats } from '#src/entry/cli.ts';
import { RulesBlockedError, ValidationError } from '#src/core/model/errors.ts';
import type { GenerateDocumentsDeps } from '#src/app/generate-documents.ts';
import { countingOutputs, example, EXAMPLES, generateFrom } from '../support/pipeline.ts';
import { sharedDeps } from './support/models.ts';

let deps: GenerateDocumentsDeps;
beforeAll(async () => {
  deps = await sharedDeps();
});

describe('generateCctp formats', () => {
  it('generates only the requested documents, in a fixed order whatever the order asked', async () => {
    const { documents, report } = await generateFrom(example('commune'), deps, ['json', 'docx', 'pdf']);
    expect(documents.map((d) => [d.name, d.mediaType])).toEqual([
      ['cctp.pdf', 'application/pdf'],
      ['cctp.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['tender.ocds.json', 'application/json'],
    ]);
    expect(report.documents.map((d) => d.name)).toEqual(['cctp.docx', 'cctp.pdf', 'tender.ocds.json']);
  });

  it('can leave the CCTP out, rendering only the outputs the formats select', async () => {
    const { outputs, rendered } = countingOutputs(deps.outputs);
    const { documents } = await generateFrom(example('ville'), { ...deps, outputs }, ['rc', 'xlsx']);
    expect(documents.map((d) => d.name)).toEqual(['rc.pdf', 'rc.docx', 'cadre-de-reponse.xlsx', 'bordereau-des-prix.xlsx']);
    expect(rendered()).toBe(4);
    expect(documents.map((d) => d.audience)).toEqual(['bidder', 'bidder', 'bidder', 'bidder']);
  });

  it('refuses an empty or unknown format list before doing any work', async () => {
    for (const formats of [[], ['pdf', 'odt']] as unknown as string[][]) {
      const error = await generateFrom(example('commune'), deps, formats).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues[0]!.path).toBe('formats');
    }
  });

  it('renders nothing in any format when a legal error blocks generation', async () => {
    const input = example('commune');
    input.awardCriteria[0].weight += 7;
    const { outputs, rendered } = countingOutputs(deps.outputs);
    const error = await generateFrom(input, { ...deps, outputs }, ['pdf', 'rc', 'docx', 'xlsx', 'json']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RulesBlockedError);
    expect(rendered()).toBe(0);
  });
});

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function cahier(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/cahier.js'), ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('cahier generate --format', () => {
  it('reads a comma-separated list, case and spaces aside, without duplicates', () => {
    expect(parseFormats('pdf')).toEqual(['pdf']);
    expect(parseFormats(' PDF , docx,xlsx,docx ')).toEqual(['pdf', 'docx', 'xlsx']);
    expect(parseFormats('')).toMatch(/aucun format/);
    expect(parseFormats(' , ')).toMatch(/aucun format/);
    expect(parseFormats('pdf,,odt,csv')).toBe('--format : format inconnu « odt », « csv » (formats possibles : pdf, rc, docx, xlsx, json, note, ccap, ae, dpa, dce).');
  });

  it('writes every requested document, byte-identical from one process to the next', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cahier-formats-'));
    const all = 'pdf,rc,docx,xlsx,json';
    const [first, second] = await Promise.all([
      cahier(['generate', EXAMPLES.departement, '--out', join(dir, 'a'), '--format', all]),
      cahier(['generate', EXAMPLES.departement, '--out', join(dir, 'b'), '--format', all]),
    ]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    const names = ['bordereau-des-prix.xlsx', 'cadre-de-reponse.xlsx', 'cctp.docx', 'cctp.pdf', 'rc.docx', 'rc.pdf', 'report.json', 'tender.ocds.json'];
    expect(readdirSync(join(dir, 'a')).sort()).toEqual(names);
    for (const name of names) expect(readFileSync(join(dir, 'a', name)).equals(readFileSync(join(dir, 'b', name))), name).toBe(true);
    expect(first.stdout).toContain(`Document    : ${join(dir, 'a', 'cadre-de-reponse.xlsx')}`);
    // Two CLI processes that each transpile the whole pipeline with tsx: on a fresh clone (no
    // transform cache) of a loaded 2-core machine they took over 30 s (scripts/fresh-clone-test.sh).
  }, 120_000);

  it('exits 2 with a clear message on an unknown format, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cahier-formats-'));
    const result = await cahier(['generate', EXAMPLES.commune, '--out', join(dir, 'out'), '--format', 'pdf,odt']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('format inconnu « odt »');
    expect(result.stderr).toContain('pdf, rc, docx, xlsx, json');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
