import { describe, expect, it } from 'vitest';
import { requirementReferences } from '#src/core/model/requirement-reference.ts';
import { makeTender, withCustomRequirement } from '../support/fixtures.ts';

describe('requirement references', () => {
  it('numbers each family within its lot, on two digits, then three', () => {
    expect(requirementReferences(2, ['tablet', 'tablet', 'mdm', 'tablet', 'buyer'])).toEqual(['L2-TAB-01', 'L2-TAB-02', 'L2-MDM-01', 'L2-TAB-03', 'L2-ACH-01']);
    expect(requirementReferences(1, Array.from({ length: 100 }, () => 'training' as const)).at(-1)).toBe('L1-FOR-100');
  });

  it('gives every requirement of a tender a unique reference made of letters, digits and hyphens', () => {
    const tender = makeTender(withCustomRequirement(0, { label: 'Étiquetage', requirement: 'Chaque équipement porte une étiquette d’inventaire.', level: 'minimum' }));
    const references = tender.lots.flatMap((l) => l.requirements.map((r) => r.reference));
    expect(new Set(references).size).toBe(references.length);
    for (const reference of references) expect(reference).toMatch(/^L\d+-[A-Z]{3}-\d{2,}$/);
    expect(tender.lots[0]!.requirements.at(-1)!.reference).toBe('L1-ACH-01');
  });
});
