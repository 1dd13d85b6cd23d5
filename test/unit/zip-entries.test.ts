import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { zipEntries } from '#src/adapters/files/zip-entries.ts';

describe('zipEntries (Node inflate) reads what fflate writes', () => {
  const text = new TextEncoder().encode('Règlement de la consultation\n'.repeat(200));
  const binary = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256);

  it('gives the entries fflate reads, stored or deflated, in order, names in UTF-8', () => {
    for (const level of [0, 6, 9] as const) {
      const zip = zipSync({ '01_RC.pdf': [binary, { level }], 'pièce é.txt': [text, { level }], 'vide.json': [new Uint8Array(0), { level }] }, { level });
      const entries = zipEntries(zip);
      expect([...entries.keys()], `level ${level}`).toEqual(Object.keys(unzipSync(zip)));
      for (const [name, bytes] of Object.entries(unzipSync(zip))) expect(entries.get(name), `${name} at level ${level}`).toEqual(bytes);
    }
  });

  it('refuses what is not a zip, or a truncated one', () => {
    expect(() => zipEntries(text)).toThrow(/not a zip/);
    const zip = zipSync({ 'a.txt': text });
    const broken = zip.slice();
    broken.set([0, 0, 0, 0], 0);
    expect(() => zipEntries(broken)).toThrow(/local header/);
  });
});
