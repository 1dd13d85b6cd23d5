/**
 * LibreOffice headless for the tests that convert the Word pieces to PDF (scripts/docx-to-pdf.ts,
 * `npm run docx:pdf`) and recalculate the price schedules with Calc (price-schedule-calc.test.ts). When it is missing those tests skip, unless `CI` or `REQUIRE_LIBREOFFICE`
 * is set: then they fail. The line saying how to run them is printed once per run, by the global
 * setup (skip-notices.ts).
 */
import { findSoffice } from '../../scripts/docx-to-pdf.ts';
import { isSet } from '../e2e/support/browser.ts';

export const LIBREOFFICE_SKIP_NOTICE =
  'LibreOffice conversion and recalculation tests skipped: soffice not found. To run them: apt-get install --no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui (or set SOFFICE=/path/to/soffice); set REQUIRE_LIBREOFFICE=1 (or CI) to make a missing LibreOffice fail.';

/** Whether a missing LibreOffice must fail the run. */
export const libreofficeRequired = (env: Record<string, string | undefined> = process.env): boolean => isSet(env.CI) || isSet(env.REQUIRE_LIBREOFFICE);

/** LibreOffice's executable, or null when it is missing (the run's notice says so once); throws when it is required. */
export function sofficeOrSkip(env: Record<string, string | undefined> = process.env): string | null {
  const soffice = findSoffice(env);
  if (soffice) return soffice;
  if (libreofficeRequired(env)) throw new Error(`CI or REQUIRE_LIBREOFFICE set: ${LIBREOFFICE_SKIP_NOTICE}`);
  return null;
}
