import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { progressLine, throughputLine } from '#src/entry/cli.ts';
import { EXAMPLES, example } from '../support/pipeline.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/cahier.js');

function cahier(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const scratch = () => mkdtempSync(join(tmpdir(), 'cahier-cli-'));

describe('cahier generate', () => {
  it('writes cctp.pdf and report.json, prints a French summary, and gives identical bytes on a second run', async () => {
    // Prepare
    const dir = scratch();
    // Act
    const first = await cahier(['generate', EXAMPLES.commune, '--out', join(dir, 'a')]);
    const second = await cahier(['generate', EXAMPLES.commune, '--out', join(dir, 'b')]);
    // Assess
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('CCTP généré');
    expect(first.stdout).toContain('Référentiel : conforme (');
    expect(first.stdout).toMatch(/Cofinancement \(estimation interne à l’acheteur\) : Territoires numériques éducatifs \(TNE\) \(ouverture à confirmer\) : aide estimée à [\d\s\u202f]+,\d\d\s€/);
    expect(first.stdout).not.toMatch(/éligible[^\n]*\b0,00\s€/);
    expect(readdirSync(join(dir, 'a')).sort()).toEqual(['cctp.pdf', 'note-interne.pdf', 'report.json']);
    expect(readFileSync(join(dir, 'a', 'cctp.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    expect(readFileSync(join(dir, 'a', 'cctp.pdf')).equals(readFileSync(join(dir, 'b', 'cctp.pdf')))).toBe(true);
    expect(second.code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'a', 'report.json'), 'utf8'));
    expect(report.documents[0].name).toBe('cctp.pdf');
  });

  it('keeps the ocid of a referenced request across a correction, and warns when a request without reference must take it from its content', async () => {
    // Prepare
    const dir = scratch();
    const request = example('commune');
    const corrected = { ...request, title: `${request.title} (corrigé)` };
    const unreferenced = { ...request };
    delete unreferenced.reference;
    for (const [name, body] of Object.entries({ request, corrected, unreferenced })) writeFileSync(join(dir, `${name}.json`), JSON.stringify(body));
    const ocid = (name: string) => JSON.parse(readFileSync(join(dir, name, 'tender.ocds.json'), 'utf8')).releases[0].ocid as string;

    // Act
    const runs = await Promise.all(['request', 'corrected', 'unreferenced'].map((name) => cahier(['generate', join(dir, `${name}.json`), '--format', 'json', '--out', join(dir, name)])));

    // Assess
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(runs[0]!.stderr).toBe('');
    expect(ocid('corrected')).toBe(ocid('request'));
    expect(ocid('request')).toContain(request.reference);
    expect(runs[2]!.stderr).toContain('Avertissement : la demande n’a pas de référence');
    expect(ocid('unreferenced')).toMatch(/^ocds-cahier-cahier-[0-9a-f]{16}$/);
  });

  it('exits 2 on a malformed request, prints one line per problem with its field path, and writes nothing', async () => {
    const dir = scratch();
    const request = example('commune');
    request.procedure = 'gré à gré';
    request.lots[0].items = [{ itemId: 'tablet', quantity: 0 }];
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(request));
    const out = join(dir, 'out');

    const result = await cahier(['generate', join(dir, 'bad.json'), '--out', out]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^procedure: .+$/m);
    expect(result.stderr).toMatch(/^lots\.0\.items\.0\.quantity: .+$/m);
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 on a file that is not JSON', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'broken.json'), '{ "buyer": ');
    const result = await cahier(['generate', join(dir, 'broken.json'), '--out', join(dir, 'out')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('JSON illisible');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('generates a folder of requests into one sub-folder each; one bad file does not stop the others', async () => {
    const dir = scratch();
    const requests = join(dir, 'requests');
    mkdirSync(requests);
    copyFileSync(join(ROOT, EXAMPLES.commune), join(requests, 'a-commune.json'));
    copyFileSync(join(ROOT, EXAMPLES.ville), join(requests, 'c-ville.json'));
    writeFileSync(join(requests, 'b-vide.json'), '{}');
    const out = join(dir, 'out');

    const result = await cahier(['generate', requests, '--out', out]);

    expect(result.code).toBe(2);
    expect(readdirSync(out).sort()).toEqual(['a-commune', 'c-ville']);
    expect(readdirSync(join(out, 'c-ville')).sort()).toEqual(['cctp.pdf', 'note-interne.pdf', 'report.json']);
    expect(result.stdout).toMatch(/Demande\s+Statut\s+Référentiel\s+Aide estimée\s+Avertissements/);
    expect(result.stdout).toMatch(/b-vide\.json\s+invalide/);
    expect(result.stdout).toContain('2/3 demandes générées.');
    expect(result.stdout).toMatch(/^4\u00a0documents en [\d,]+\u00a0s, soit [\d,]+\u00a0documents? par seconde\.$/m);
    expect(result.stderr).toMatch(/^buyer: /m);
  });

  it('prints usage and exits 2 without a command', async () => {
    const result = await cahier([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('cahier generate');
  });
});

describe('progress over a folder', () => {
  it('draws a bar of the requests done, the one under way and the documents per second so far', () => {
    expect(progressLine(0, 4, 'a.json', 0, 0)).toBe('[░░░░░░░░░░░░░░░░░░░░░░░░] 1/4 · a.json');
    expect(progressLine(2, 4, 'c.json', 6, 1500)).toBe('[████████████░░░░░░░░░░░░] 3/4 · c.json · 4 documents/s');
  });

  it('ends with the documents written, the time taken and the rate, in French', () => {
    expect(throughputLine(18, 2100)).toBe('18\u00a0documents en 2,1\u00a0s, soit 8,57\u00a0documents par seconde.');
    expect(throughputLine(1, 1000)).toBe('1\u00a0document en 1\u00a0s, soit 1\u00a0document par seconde.');
  });
});

describe('the compiled command', () => {
  const compiled = join(ROOT, 'dist/cli/cahier.mjs');
  const built = existsSync(compiled);
  if (!built && !process.env.CI) console.log('dist/cli not built (npm run build:cli): compiled-CLI test skipped');

  it.runIf(built || process.env.CI)('is what bin/cahier.js runs: plain JavaScript that loads no TypeScript loader', async () => {
    // Arrange: the build's entry and its chunks.
    const files = readdirSync(join(ROOT, 'dist/cli')).filter((f) => f.endsWith('.mjs'));
    // Act
    const result = await cahier(['--help']);
    // Assert
    expect(result.code).toBe(0);
    expect(files).toContain('cahier.mjs');
    for (const file of files) expect(readFileSync(join(ROOT, 'dist/cli', file), 'utf8'), file).not.toMatch(/["']tsx(\/[^"']*)?["']/);
    expect(readFileSync(BIN, 'utf8')).toContain('../dist/cli/cahier.mjs');
  });
});
