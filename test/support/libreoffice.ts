/**
 * LibreOffice headless for the tests that convert the Word pieces to PDF (scripts/docx-to-pdf.ts,
 * `npm run docx:pdf`). When it is missing those tests skip, with one line saying how to run them,
 * unless `CI` or `REQUIRE_LIBREOFFICE` is set: then they fail.
 */
import { findSoffice } from '../../scripts/docx-to-pdf.ts';
import { isSet } from '../e2e/support/browser.ts';

export const LIBREOFFICE_SKIP_NOTICE =
  'LibreOffice conversion tests skipped: soffice not found. To run them: apt-get install --no-install-recommends libreoffice-writer-nogui (or set SOFFICE=/path/to/soffice); set REQUIRE_LIBREOFFICE=1 (or CI) to make a missing LibreOffice fail.';

/** LibreOffice's executable, or null (after printing the skip line) when it is missing; throws when it is required. */
export function sofficeOrSkip(env: Record<string, string | undefined> = process.env): string | null {
  const soffice = findSoffice(env);
  if (soffice) return soffice;
  if (isSet(env.CI) || isSet(env.REQUIRE_LIBREOFFICE)) throw new Error(`CI or REQUIRE_LIBREOFFICE set: ${LIBREOFFICE_SKIP_NOTICE}`);
  console.warn(LIBREOFFICE_SKIP_NOTICE);
  return null;
}
