import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CriterionSchema, type Criterion } from '#src/core/model/criterion.ts';
import { criterionOfRow, criterionRow, sameCriterion, type ColumnKey, type SheetRow } from '#src/core/model/criteria-sheet.ts';

const criteria = (JSON.parse(readFileSync(new URL('../../catalogue/criteria.json', import.meta.url), 'utf8')) as unknown[]).map((c) => CriterionSchema.parse(c));
const at = (key: ColumnKey) => `Critères!rows.2.${key}`;
/** A row as a spreadsheet gives it back: every cell as text. */
const asText = (row: SheetRow): SheetRow => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)]));
const byType = (type: Criterion['metric']['type']) => criteria.find((c) => c.metric.type === type)!;

describe('criteria sheet rows', () => {
  it('give back every criterion of the catalogue unchanged, read as text (numbers, lists and proofs included)', () => {
    for (const criterion of criteria) {
      const { criterion: read, issues } = criterionOfRow(asText(criterionRow(criterion)), criterion, at);
      expect(issues, criterion.id).toEqual([]);
      expect(sameCriterion(read!, criterion), criterion.id).toBe(true);
    }
  });

  it('read a threshold written the French way, and a boolean as oui or non', () => {
    const numeric = byType('numeric');
    const boolean = byType('boolean');

    const raised = criterionOfRow({ ...asText(criterionRow(numeric)), seuil: '1 000,5' }, numeric, at);
    const flipped = criterionOfRow({ ...asText(criterionRow(boolean)), seuil: boolean.metric.type === 'boolean' && boolean.metric.expected ? 'non' : 'oui' }, boolean, at);

    expect(raised.criterion?.metric).toMatchObject({ type: 'numeric', value: 1000.5 });
    expect(flipped.criterion?.metric).toEqual({ type: 'boolean', expected: !(boolean.metric.type === 'boolean' && boolean.metric.expected) });
  });

  it('name each wrong cell: a cell a metric does not use, a required one left empty, an unknown unit, option or proof', () => {
    const numeric = byType('numeric');
    const enumerated = byType('enum');

    const extra = criterionOfRow({ ...asText(criterionRow(numeric)), options: 'A; B', unite: undefined as unknown as string }, numeric, at);
    const unit = criterionOfRow({ ...asText(criterionRow(numeric)), unite: 'gigas', justificatifs: 'datasheet, photo' }, numeric, at);
    const option = criterionOfRow({ ...asText(criterionRow(enumerated)), seuil: 'Z' }, enumerated, at);

    expect(extra.issues).toEqual([
      { path: 'Critères!rows.2.options', message: 'a numeric metric has no options: leave the cell empty' },
      { path: 'Critères!rows.2.unite', message: 'required for a numeric metric' },
    ]);
    expect(unit.issues.map((i) => i.path)).toEqual(['Critères!rows.2.justificatifs']);
    expect(unit.issues[0]!.message).toMatch(/unknown proof « photo »/);
    const unitOnly = criterionOfRow({ ...asText(criterionRow(numeric)), unite: 'gigas' }, numeric, at);
    expect(unitOnly.issues).toEqual([{ path: 'Critères!rows.2.unite', message: expect.stringMatching(/^unknown unit/) }]);
    expect(option.issues).toEqual([{ path: 'Critères!rows.2.seuil', message: 'value must be one of options' }]);
  });
});
