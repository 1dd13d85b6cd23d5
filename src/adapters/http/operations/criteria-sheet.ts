import { exportableCriteria } from '#src/app/criteria-import.ts';
import type { CriteriaRepository } from '#src/app/ports/criteria-repository.ts';
import type { Operations } from '#src/adapters/http/lambda.ts';
import { parseQuery } from '#src/adapters/http/request.ts';
import { VersionQuerySchema } from '#src/adapters/http/query-schemas.ts';
import { renderCriteriaSheet } from '#src/adapters/render/xlsx/criteria-sheet.ts';
import { CRITERIA_XLSX_MEDIA_TYPE } from '#src/adapters/files/criteria-workbook.ts';

/**
 * The export of a framework's criteria as a workbook. It runs in the documents function, the only
 * one that bundles exceljs; any reader may download it, since every criterion it lists is already
 * readable by any reader (GET /criteria), and the ministry's reviewers need not be editors. The
 * import, which writes criteria, is criteria-write's.
 */
export function criteriaSheetOperations(c: { criteria: CriteriaRepository }): Operations {
  return {
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
