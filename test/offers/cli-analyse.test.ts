import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES } from '../support/pipeline.ts';
import { evaluatedExample } from '../exports/support/models.ts';
import { scenarioBids, scenarioMarks } from './support/scenario.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/cahier.js');

function cahier(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('cahier analyse', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cahier-analyse-'));
  let marks: ReturnType<typeof scenarioMarks>;

  beforeAll(async () => {
    const { tender } = await evaluatedExample('departement');
    const bids = await scenarioBids(tender);
    mkdirSync(join(dir, 'offres'));
    for (const bid of bids) {
      writeFileSync(join(dir, 'offres', bid.matrix.name), bid.matrix.bytes);
      writeFileSync(join(dir, 'offres', bid.prices.name), bid.prices.bytes);
    }
    writeFileSync(join(dir, 'offres', 'offres.json'), JSON.stringify({ bids: bids.map((b) => ({ ...b.bidder, matrix: b.matrix.name, prices: b.prices.name })) }));
    marks = scenarioMarks(tender);
    writeFileSync(
      join(dir, 'notation.json'),
      JSON.stringify({
        ...marks,
        award: { buyerSiret: '22270001500001', notificationDate: '2026-11-20', publicationDate: '2026-11-27', placeOfPerformance: { code: '27', typeCode: 'Code département' }, ccag: 'Fournitures courantes et services' },
      }),
    );
  }, 60_000);

  it('writes the summary, the RAO and the award data, the same bytes on a second run', async () => {
    const args = (out: string) => ['analyse', '--tender', EXAMPLES.departement, '--bids', join(dir, 'offres', 'offres.json'), '--marks', join(dir, 'notation.json'), '--out', join(dir, out)];
    const first = await cahier(args('a'));
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Lot 1 : 6\u00a0offres, 3\u00a0conformes, 1\u00a0à régulariser, 2\u00a0irrégulières ; proposé : /);
    expect(readdirSync(join(dir, 'a')).sort()).toEqual(['analyse.json', 'award.ocds.json', 'decp.json', 'rao-lot-1.docx', 'rao-lot-1.pdf']);
    await cahier(args('b'));
    for (const name of readdirSync(join(dir, 'a'))) expect(readFileSync(join(dir, 'a', name)).equals(readFileSync(join(dir, 'b', name))), name).toBe(true);
  }, 120_000);

  it('refuses a mark without justification, naming its field, and writes nothing', async () => {
    const broken = { ...marks, marks: marks.marks.map((m, i) => (i === 1 ? { ...m, justification: undefined } : m)) };
    writeFileSync(join(dir, 'sans-justification.json'), JSON.stringify(broken));
    const run = await cahier(['analyse', '--tender', EXAMPLES.departement, '--bids', join(dir, 'offres', 'offres.json'), '--marks', join(dir, 'sans-justification.json'), '--out', join(dir, 'c')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('marks.1.justification');
    expect(existsSync(join(dir, 'c'))).toBe(false);
  }, 60_000);
});
