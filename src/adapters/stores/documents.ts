import { MAX_DOWNLOAD_URL_TTL_SECONDS } from '#src/app/ports/document-store.ts';

/**
 * What every document store checks the same way (S3, memory): which keys are valid, how long a
 * download link may live, and the file name a download is saved under.
 */

/** S3 keys: 1 to 1 024 UTF-8 bytes; ours are relative paths without "." or ".." segments. RangeError otherwise. */
export function checkDocumentKey(key: string): void {
  if (key.length === 0 || Buffer.byteLength(key) > 1024 || key.startsWith('/') || key.split('/').some((s) => s === '..' || s === '.')) {
    throw new RangeError(`invalid document key "${key}"`);
  }
}

/** Download links live 1 to 900 seconds; RangeError otherwise. */
export function checkDownloadTtl(ttlSeconds: number): void {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_DOWNLOAD_URL_TTL_SECONDS) {
    throw new RangeError(`download URLs live 1 to ${MAX_DOWNLOAD_URL_TTL_SECONDS} seconds, not ${ttlSeconds}`);
  }
}

/** RFC 6266: an ASCII fallback name and the exact UTF-8 name; `inline` to show it in the browser (a PDF previewed) rather than save it. */
export function contentDisposition(name: string, inline = false): string {
  const fallback = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]/g, '_');
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${inline ? 'inline' : 'attachment'}; filename="${fallback}"; filename*=UTF-8''${exact}`;
}
