/**
 * Reads a zip package, trusting nothing it says about itself: the central directory
 * is bounded in entries, every entry in its declared size, its compression ratio and the total the
 * package may expand to, and each entry is inflated with an output cap, so an entry that lies
 * about its size stops at the cap instead of filling memory (a 1 KB file that expands to 1 GB is
 * refused after at most `maxEntryBytes` of output). Zip64, encrypted entries and methods other
 * than stored and deflate are refused. Entries are inflated only when asked for.
 *
 * Two readers share it, with their own limits and wording: a bidder's workbook (BIDDER_WORKBOOK:
 * a refusal is a BidFileError the buyer can forward, 4xx) and the DCE zip Cahier itself stored
 * (OWN_ARCHIVE: a refusal is a plain Error, our fault, 500).
 */
import { inflateRawSync } from 'node:zlib';
import { bidFileError, type BidFileProblem } from '#src/core/offers/errors.ts';

export interface ZipLimits {
  /** Size of the file itself. */
  maxFileBytes: number;
  maxEntries: number;
  /** Uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Uncompressed size of the entries read, together. */
  maxTotalBytes: number;
  /** Uncompressed ÷ compressed size, checked on entries above 1 MB uncompressed. */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxFileBytes: 5 * 1024 * 1024,
  maxEntries: 200,
  maxEntryBytes: 8 * 1024 * 1024,
  maxTotalBytes: 24 * 1024 * 1024,
  maxRatio: 150,
};

/**
 * The DCE zips Cahier writes: a few dozen pieces of a few MB each (PDFs with their fonts, Word and
 * Excel files, JSON). Bounded all the same, well above what a generation writes and within the
 * memory of the tenders function, so a damaged object fails instead of exhausting it; deflate
 * cannot pass 1 032 times, so the ratio bound only refuses nonsense.
 */
export const OWN_ARCHIVE_LIMITS: ZipLimits = {
  maxFileBytes: 100 * 1024 * 1024,
  maxEntries: 1_000,
  maxEntryBytes: 100 * 1024 * 1024,
  maxTotalBytes: 300 * 1024 * 1024,
  maxRatio: 1_100,
};

/** What a reader says when it refuses a package: the error it throws, and what the bytes are when they are no zip at all. */
export interface ZipWording {
  refuse(problem: BidFileProblem, file: string, message: string): Error;
  /** The message for bytes that are not a zip package; `ole` when they are an OLE compound file (a legacy or password-protected Office file). */
  notAZip(ole: boolean): string;
}

/** A bidder's workbook: the refusal is forwarded to the bidder, who is told what to send instead. */
export const BIDDER_WORKBOOK: ZipWording = {
  refuse: bidFileError,
  notAZip: (ole) =>
    ole ? 'an encrypted or legacy (.xls) workbook; send the .xlsx file as Cahier generated it, without a password' : 'not an .xlsx workbook (not a zip package)',
};

/** A zip Cahier wrote and stored (the DCE): a refusal means the stored object is damaged, which no caller can fix. */
export const OWN_ARCHIVE: ZipWording = {
  refuse: (problem, file, message) => new Error(`${file}: ${message} (${problem})`),
  notAZip: () => 'not a zip package',
};

/** Opens a zip Cahier wrote and stored (the DCE): every entry, within OWN_ARCHIVE_LIMITS, refused in OWN_ARCHIVE's words. */
export async function unzipOwnArchive(zip: Uint8Array, file = 'stored zip'): Promise<Map<string, Uint8Array>> {
  return new SafeZip(zip, OWN_ARCHIVE_LIMITS, file, OWN_ARCHIVE).readAll();
}

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MIB = 1024 * 1024;

export class SafeZip {
  private readonly entries = new Map<string, Entry>();
  private inflated = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly limits: ZipLimits = DEFAULT_ZIP_LIMITS,
    private readonly file = '(fichier)',
    private readonly wording: ZipWording = BIDDER_WORKBOOK,
  ) {
    const refuse = wording.refuse;
    if (bytes.length > limits.maxFileBytes) {
      throw refuse('too-large', file, `the file is ${bytes.length} bytes; at most ${limits.maxFileBytes} are accepted`);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length >= 8 && view.getUint32(0, false) === 0xd0cf11e0) {
      throw refuse('unsupported', file, wording.notAZip(true));
    }
    if (bytes.length < 22 || view.getUint32(0, true) !== LOCAL) throw refuse('unsupported', file, wording.notAZip(false));
    let eocd = -1;
    for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--) {
      if (view.getUint32(i, true) === EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw refuse('invalid', file, 'damaged zip package (no end of central directory)');
    const count = view.getUint16(eocd + 10, true);
    const cdSize = view.getUint32(eocd + 12, true);
    const cdOffset = view.getUint32(eocd + 16, true);
    if (count === 0xffff || cdOffset === 0xffffffff) throw refuse('unsupported', file, 'zip64 packages are not accepted');
    if (count > limits.maxEntries) throw refuse('too-large', file, `the package holds ${count} entries; at most ${limits.maxEntries} are accepted`);
    if (cdOffset + cdSize > eocd) throw refuse('invalid', file, 'damaged zip package (central directory out of bounds)');
    let p = cdOffset;
    let declared = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > eocd || view.getUint32(p, true) !== CENTRAL) throw refuse('invalid', file, 'damaged zip package (central directory)');
      const flags = view.getUint16(p + 8, true);
      const method = view.getUint16(p + 10, true);
      const compressedSize = view.getUint32(p + 20, true);
      const size = view.getUint32(p + 24, true);
      const nameLength = view.getUint16(p + 28, true);
      const extraLength = view.getUint16(p + 30, true);
      const commentLength = view.getUint16(p + 32, true);
      const localOffset = view.getUint32(p + 42, true);
      const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLength));
      p += 46 + nameLength + extraLength + commentLength;
      if (flags & 1) throw refuse('unsupported', file, `entry ${name} is encrypted`);
      if (method !== 0 && method !== 8) throw refuse('unsupported', file, `entry ${name} uses an unsupported compression method (${method})`);
      if (size === 0xffffffff || compressedSize === 0xffffffff) throw refuse('unsupported', file, 'zip64 packages are not accepted');
      if (size > limits.maxEntryBytes) {
        throw refuse('too-large', file, `entry ${name} expands to ${size} bytes; at most ${limits.maxEntryBytes} are accepted`);
      }
      if (size > MIB && size / Math.max(1, compressedSize) > limits.maxRatio) {
        throw refuse('too-large', file, `entry ${name} expands ${Math.round(size / Math.max(1, compressedSize))} times; at most ${limits.maxRatio} is accepted`);
      }
      declared += size;
      if (declared > limits.maxTotalBytes) throw refuse('too-large', file, `the package expands beyond ${limits.maxTotalBytes} bytes`);
      if (localOffset + 30 > bytes.length) throw refuse('invalid', file, `damaged zip package (entry ${name})`);
      this.entries.set(name, { name, method, compressedSize, size, localOffset });
    }
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Every entry, inflated within the limits, in the order of the central directory. */
  readAll(): Map<string, Uint8Array> {
    return new Map(this.names().map((name) => [name, this.read(name)!]));
  }

  /** The bytes of an entry, inflated within the limits; undefined when the package lacks it. */
  read(name: string): Uint8Array | undefined {
    const entry = this.entries.get(name);
    if (!entry) return undefined;
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    const at = entry.localOffset;
    if (view.getUint32(at, true) !== LOCAL) throw this.wording.refuse('invalid', this.file, `damaged zip package (entry ${name})`);
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    const end = start + entry.compressedSize;
    if (end > this.bytes.length) throw this.wording.refuse('invalid', this.file, `damaged zip package (entry ${name} out of bounds)`);
    const data = this.bytes.subarray(start, end);
    const cap = Math.min(this.limits.maxEntryBytes, this.limits.maxTotalBytes - this.inflated);
    let out: Uint8Array;
    if (entry.method === 0) {
      out = data;
    } else {
      try {
        // One byte more than declared: an entry that lies about its size is caught, not truncated.
        const inflated = inflateRawSync(data, { maxOutputLength: Math.max(1, Math.min(cap, entry.size + 1)) });
        out = new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
      } catch (error) {
        const tooBig = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;
        throw tooBig
          ? this.wording.refuse('too-large', this.file, `entry ${name} expands beyond its declared size or the limits (zip bomb?)`)
          : this.wording.refuse('invalid', this.file, `damaged zip package (entry ${name} does not inflate)`);
      }
    }
    if (out.length !== entry.size) throw this.wording.refuse('too-large', this.file, `entry ${name} expands beyond its declared size (zip bomb?)`);
    this.inflated += out.length;
    return out;
  }
}
