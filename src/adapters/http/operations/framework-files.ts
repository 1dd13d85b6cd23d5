import * as z from 'zod';
import { exportableCriteria } from '#src/app/criteria-import.ts';
import { frameworkChangelogData } from '#src/app/framework-changelog.ts';
import { changelogDocument } from '#src/core/audit/changelog-document.ts';
import { NotFoundError } from '#src/core/model/errors.ts';
import type { AuditLog } from '#src/app/ports/audit-log.ts';
import { renderPdf } from '#src/adapters/render/pdf-engine.ts';
import type { CriteriaRepository } from '#src/app/ports/criteria-repository.ts';
import type { Operations } from '#src/adapters/http/lambda.ts';
import { parseQuery } from '#src/adapters/http/request.ts';
import { VersionQuerySchema } from '#src/adapters/http/query-schemas.ts';
import { renderCriteriaSheet } from '#src/adapters/render/xlsx/criteria-sheet.ts';
import { CRITERIA_XLSX_MEDIA_TYPE } from '#src/adapters/files/criteria-workbook.ts';

/**
 * A framework's files that need a renderer, in the documents function (the catalogue-read function
 * bundles neither the workbook writer nor pdfkit, and must stay small):
 * - the criteria as a workbook: any reader may download it, since every criterion it lists is
 *   already readable by any reader (GET /criteria), and the ministry's reviewers need not be
 *   editors; the import, which writes criteria, is criteria-write's;
 * - a published version's changelog as a PDF, for anyone, from the data the Markdown is written from.
 */
export function frameworkFileOperations(c: { criteria: CriteriaRepository; audit: AuditLog }): Operations {
  return {
    async getFrameworkChangelogPdf(request) {
      const version = z.coerce.number().int().positive().max(1_000_000).safeParse(request.params.version);
      if (!version.success) throw new NotFoundError('framework', `${request.params.id ?? ''}@${request.params.version ?? ''}`);
      const { framework, previous, entry, changes, entries } = await frameworkChangelogData(request.params.id ?? '', version.data, c);
      return {
        status: 200,
        headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${framework.id}-v${framework.version}-changelog.pdf"` },
        raw: await renderPdf(changelogDocument(framework, previous, entry, changes, entries)),
      };
    },

    async exportFrameworkCriteria(request) {
      const { version } = parseQuery(request, VersionQuerySchema);
      const { framework, criteria } = await exportableCriteria(request.params.id ?? '', version, c);
      return {
        status: 200,
        headers: {
          'content-type': CRITERIA_XLSX_MEDIA_TYPE,
          'content-disposition': `attachment; filename="${framework.id}-v${framework.version}-criteres.xlsx"`,
          'cache-control': 'no-store',
        },
        raw: await renderCriteriaSheet(framework, criteria),
      };
    },
  };
}
