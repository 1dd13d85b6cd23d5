/**
 * The criteria sheet's refusals as the « Référentiels » page explains them: every reason the row
 * check gives (read from the real check, not from copies of its messages) comes out in French.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CriterionSchema, type Criterion } from '#src/core/model/criterion.ts';
import { criterionOfRow, criterionRow, type SheetRow } from '#src/core/model/criteria-sheet.ts';
import { criteriaIssueMessage } from '../../web/src/criteria-sheet.ts';

const criteria = (JSON.parse(readFileSync(new URL('../../catalogue/criteria.json', import.meta.url), 'utf8')) as unknown[]).map((c) => CriterionSchema.parse(c));
const byType = (type: Criterion['metric']['type']) => criteria.find((c) => c.metric.type === type)!;

describe('criteriaIssueMessage', () => {
  it('puts every reason of the row check in French', () => {
    const numeric = byType('numeric');
    const boolean = byType('boolean');
    const enumerated = byType('enum');
    const row = (c: Criterion, change: SheetRow): SheetRow => ({ ...criterionRow(c), ...change });
    const cases: Array<[Criterion, SheetRow]> = [
      [numeric, { seuil: 'dix', unite: 'gigas' }],
      [numeric, { unite: '', options: 'A; B' }],
      [numeric, { exigence: 'La tablette dispose de 32 Go et {autre}.', seuil: 32 }],
      [numeric, { justificatifs: 'photo' }],
      [numeric, { metrique: 'nombre' }],
      [boolean, { seuil: 'peut-être' }],
      [enumerated, { exigence: `Au moins ${enumerated.metric.type === 'enum' ? enumerated.metric.options[0] : ''} {seuil}.` }],
    ];
    const messages = cases.flatMap(([c, change]) => criterionOfRow(row(c, change), c, (key) => key).issues.map((i) => i.message));

    expect(messages.length).toBeGreaterThan(8);
    for (const message of messages) {
      const french = criteriaIssueMessage(message);
      expect(french, message).not.toBe(message);
      expect(french, message).not.toMatch(/\b(expected|metric|the|unknown)\b/);
    }
  });
});
