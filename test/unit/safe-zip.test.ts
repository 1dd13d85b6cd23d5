import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { BIDDER_WORKBOOK, DEFAULT_ZIP_LIMITS, OWN_ARCHIVE, OWN_ARCHIVE_LIMITS, SafeZip } from '#src/adapters/files/safe-zip.ts';
import { BidFileError } from '#src/core/offers/errors.ts';
import { thrown } from '../support/thrown.ts';

const ownZip = (bytes: Uint8Array) => new SafeZip(bytes, OWN_ARCHIVE_LIMITS, 'dce.zip', OWN_ARCHIVE);

describe('SafeZip reads what fflate writes', () => {
  const text = new TextEncoder().encode('Règlement de la consultation\n'.repeat(200));
  const binary = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256);

  it('gives the entries fflate reads, stored or deflated, in order, names in UTF-8', () => {
    for (const level of [0, 6, 9] as const) {
      const zip = zipSync({ '01_RC.pdf': [binary, { level }], 'pièce é.txt': [text, { level }], 'vide.json': [new Uint8Array(0), { level }] }, { level });
      const entries = ownZip(zip).readAll();
      expect([...entries.keys()], `level ${level}`).toEqual(Object.keys(unzipSync(zip)));
      for (const [name, bytes] of Object.entries(unzipSync(zip))) expect(entries.get(name), `${name} at level ${level}`).toEqual(bytes);
    }
  });

  it('refuses what is not a zip, a truncated one, or one whose entry lost its local header', () => {
    expect(thrown(() => ownZip(text)).message).toMatch(/not a zip/);
    const zip = zipSync({ 'a.txt': text, 'b.txt': binary });
    expect(thrown(() => ownZip(zip.subarray(0, zip.length - 10))).message).toMatch(/damaged zip package/);
    const broken = zip.slice();
    const second = zip.findIndex((_, i) => i > 0 && zip[i] === 0x50 && zip[i + 1] === 0x4b && zip[i + 2] === 3 && zip[i + 3] === 4);
    broken.set([0, 0, 0, 0], second);
    expect(thrown(() => ownZip(broken).read('b.txt')).message).toMatch(/damaged zip package \(entry b\.txt\)/);
  });

  it('refuses our own archive with a plain error that names the file and speaks of no bidder or workbook', () => {
    const error = thrown(() => ownZip(text));
    expect(error).not.toBeInstanceOf(BidFileError);
    expect(error.message).toBe('dce.zip: not a zip package (unsupported)');
    const ole = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, ...new Uint8Array(60)]);
    expect(thrown(() => ownZip(ole)).message).not.toMatch(/xlsx|workbook|bidder/i);
  });

  it('refuses a bidder’s file with a BidFileError that says what to send instead', () => {
    const error = thrown(() => new SafeZip(text, DEFAULT_ZIP_LIMITS, 'offre.xlsx', BIDDER_WORKBOOK));
    expect(error).toBeInstanceOf(BidFileError);
    expect((error as BidFileError).problem).toBe('unsupported');
    expect(error.message).toMatch(/not an \.xlsx workbook/);
  });

  it('reads our archives beyond the bounds set for a bidder’s file', () => {
    // A 9 MB piece of blank pages: beyond a bidder's entry size and compression ratio.
    const big = new Uint8Array(9 * 1024 * 1024);
    const zip = zipSync({ 'big.bin': big }, { level: 1 });
    expect(thrown(() => new SafeZip(zip)).message).toMatch(/at most/);
    const read = ownZip(zip).read('big.bin')!;
    expect(Buffer.from(read).equals(big)).toBe(true);
  });
});
