/**
 * Issue #14: « the v1 examples and every stored v1 tender still generate byte-identical
 * documents ». Everything is regenerated here in Pacific/Auckland (UTC+13 in December), while
 * `npm run golden:update` writes the digests in UTC: a date, a zip entry time or a page footer
 * that depended on the machine's time zone would show up as a changed file.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { currentDigests, digestChanges, DIGESTS_FILE, readJson, STORED_V1_TENDERS, storedRecord, type Digests } from './v1-golden.ts';
import { EXAMPLES } from '../support/pipeline.ts';

const zone = process.env.TZ;
process.env.TZ = 'Pacific/Auckland';
afterAll(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

const golden = readJson(DIGESTS_FILE) as Digests;

describe('v1 golden digests', () => {
  it('covers every v1 example and every stored v1 tender record, each with its report', () => {
    expect(Object.keys(golden).sort()).toEqual([...Object.values(EXAMPLES), ...STORED_V1_TENDERS].sort());
    for (const files of Object.values(golden)) expect(Object.keys(files)).toContain('report.json');
    for (const path of STORED_V1_TENDERS) expect(Object.keys(golden[path]!).sort()).toEqual(storedRecord(path).documents.map((d) => d.name).sort());
  });

  it('regenerates every v1 example in every format, and every stored v1 tender from its record, byte for byte', async () => {
    expect(new Date(Date.UTC(2026, 11, 7)).getHours()).toBe(13);

    const changes = digestChanges(golden, await currentDigests());

    expect(changes, `Files no longer byte-identical to ${DIGESTS_FILE}. If the change is intended, run \`npm run golden:update\` and review the diff:\n${changes.join('\n')}`).toEqual([]);
  }, 180_000);

  it('names the source, file and format of each changed, new or missing file', () => {
    const before: Digests = { 'examples/a.json': { 'cctp.pdf': 'aa', 'rc.docx': 'bb' } };
    const after: Digests = { 'examples/a.json': { 'cctp.pdf': 'aa', 'rc.docx': 'cc', 'dce.zip': 'dd' }, 'examples/b.json': { 'report.json': 'ee' } };

    expect(digestChanges(before, after)).toEqual([
      'examples/a.json › rc.docx (format rc): expected bb, got cc',
      'examples/a.json › dce.zip (format dce): expected no file, got dd',
      'examples/b.json › report.json (format report): expected no file, got ee',
    ]);
    expect(digestChanges(after, before)).toContain('examples/b.json › report.json (format report): expected ee, got no file');
  });
});
