import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
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
    expect(result.stderr).toMatch(/^buyer: /m);
  });

  it('prints usage and exits 2 without a command', async () => {
    const result = await cahier([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('cahier generate');
  });
});
