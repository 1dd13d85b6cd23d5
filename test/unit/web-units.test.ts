import { describe, expect, it } from 'vitest';
import { unitLabel } from '#src/core/model/units.ts';
import { unitAfter } from '../../web/src/format.ts';

describe('the unit printed after a number field agrees with the number (French rule: below 2 singular)', () => {
  it('a line’s own unit: singular while empty and up to 1,5, plural from 2', () => {
    expect([undefined, 0, 1, 1.5, 2, 30].map((n) => unitAfter(n, 'unité'))).toEqual(['unité', 'unité', 'unité', 'unité', 'unités', 'unités']);
    expect(unitAfter(3, 'heure de formation')).toBe('heures de formation');
    expect(unitAfter(3, 'mois')).toBe('mois');
  });

  it('a criterion’s unit, from the units table: « 1 emplacement », « 22 emplacements », « 1 an »', () => {
    expect(unitLabel('emplacements', 1)).toBe('emplacement');
    expect(unitLabel('emplacements', 22)).toBe('emplacements');
    expect(unitLabel('ans', 1)).toBe('an');
    expect(unitLabel('Go', 1)).toBe('Go');
  });
});
