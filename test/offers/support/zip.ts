import { strToU8 } from 'fflate';

/** A central directory entry's declared uncompressed size, rewritten (what a zip bomb lies about). */
export function declareSize(zip: Uint8Array, entry: string, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const name = strToU8(entry);
  for (let i = 0; i + 46 < out.length; i++) {
    if (view.getUint32(i, true) !== 0x02014b50) continue;
    const length = view.getUint16(i + 28, true);
    if (length === name.length && out.subarray(i + 46, i + 46 + length).every((b, k) => b === name[k])) view.setUint32(i + 24, size, true);
  }
  return out;
}

