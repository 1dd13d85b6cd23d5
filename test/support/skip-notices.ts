/**
 * The groups of tests that need a tool a machine with only Node may lack (poppler, LibreOffice,
 * xmllint), and the one line each prints when it is skipped. Printed by the global setup, once per
 * run: test files run in their own processes, so a notice printed by each file that needs the tool
 * came out once per file. Each file still asks on its own (popplerAvailable, sofficeOrSkip,
 * xmllintOrSkip), which fails it when the tool is required (CI, REQUIRE_…) and missing.
 */
import { findSoffice } from '../../scripts/docx-to-pdf.ts';
import { LIBREOFFICE_SKIP_NOTICE, libreofficeRequired } from './libreoffice.ts';
import { onPath, POPPLER_SKIP_NOTICE, popplerPresent, popplerRequired } from './poppler.ts';
import { XMLLINT_SKIP_NOTICE, xmllintRequired } from './xmllint.ts';

type Env = Record<string, string | undefined>;

interface ToolGroup {
  notice: string;
  present(env: Env): boolean;
  required(env: Env): boolean;
}

const TOOL_GROUPS: readonly ToolGroup[] = [
  { notice: POPPLER_SKIP_NOTICE, present: popplerPresent, required: popplerRequired },
  { notice: LIBREOFFICE_SKIP_NOTICE, present: (env) => findSoffice(env) !== null, required: libreofficeRequired },
  { notice: XMLLINT_SKIP_NOTICE, present: (env) => onPath('xmllint', env) !== null, required: xmllintRequired },
];

/**
 * The notices of the groups this run skips: a missing tool that is not required. A required one
 * prints nothing here: the files that need it fail, each saying why.
 */
export function skipNotices(env: Env = process.env): string[] {
  return TOOL_GROUPS.filter((group) => !group.present(env) && !group.required(env)).map((group) => group.notice);
}
