import { describe, expect, it } from 'vitest';
import { LIBREOFFICE_SKIP_NOTICE, sofficeOrSkip } from '../support/libreoffice.ts';
import { POPPLER_SKIP_NOTICE, popplerAvailable } from '../support/poppler.ts';
import { skipNotices } from '../support/skip-notices.ts';
import { XMLLINT_SKIP_NOTICE, xmllintOrSkip } from '../support/xmllint.ts';

/** A machine with Node alone: none of the optional tools on PATH. */
const bare = { PATH: '/nonexistent' };

describe('the skip notices of the optional tools, printed once per run by the global setup', () => {
  it('names each group a bare machine skips, and none that a required tool makes fail instead', () => {
    expect(skipNotices(bare)).toEqual([POPPLER_SKIP_NOTICE, LIBREOFFICE_SKIP_NOTICE, XMLLINT_SKIP_NOTICE]);
    expect(skipNotices({ ...bare, CI: 'true' })).toEqual([]);
    expect(skipNotices({ ...bare, REQUIRE_BROWSER: '1' })).toEqual([LIBREOFFICE_SKIP_NOTICE, XMLLINT_SKIP_NOTICE]);
  });

  it('leaves each file to skip silently, or to fail when the tool is required', () => {
    expect(popplerAvailable(bare)).toBe(false);
    expect(sofficeOrSkip(bare)).toBeNull();
    expect(xmllintOrSkip(bare)).toBeNull();
    expect(() => popplerAvailable({ ...bare, REQUIRE_BROWSER: '1' })).toThrow(/REQUIRE_BROWSER set: PDF structure tests skipped/);
    expect(() => sofficeOrSkip({ ...bare, CI: '1' })).toThrow(/CI or REQUIRE_LIBREOFFICE set/);
    expect(() => xmllintOrSkip({ ...bare, REQUIRE_XMLLINT: '1' })).toThrow(/CI or REQUIRE_XMLLINT set/);
  });
});
