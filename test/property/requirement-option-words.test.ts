/**
 * requirementTextIssues finds an option of a list spelled as a whole word without compiling a
 * Unicode-property pattern per option (issue #19, the catalogue load of every cold command): its
 * answer must stay the pattern's, `(?<![\p{L}\p{N}])option(?![\p{L}\p{N}])` (`iu`, or `u` for a
 * one-letter option), on texts and options drawn from letters that fold, digits, marks,
 * apostrophes, surrogate pairs and lone surrogates.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requirementTextIssues } from '#src/core/model/requirement-text.ts';

const ALPHABET = ['a', 'A', 'b', 'é', 'É', 'k', 'K', '\u212a', 's', '\u017f', 'ß', '\u1e9e', 'σ', 'ς', 'Σ', '\u0345', 'ι', '1', '²', 'Ⅳ', "'", '’', ' ', '-', '.', '(', '\u00a0', '𝐀', '𐐀', '𐐨', '\ud800', '\udc00', '{'];
const piece = fc.constantFrom(...ALPHABET);
const text = fc.array(piece, { maxLength: 14 }).map((parts) => parts.join(''));
const option = fc.array(piece, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(''));

function statedByPattern(prose: string, candidate: string): boolean {
  const straight = (s: string) => s.replace(/’/g, "'");
  const escaped = straight(candidate).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, candidate.length > 1 ? 'iu' : 'u').test(straight(prose));
}

describe('requirementTextIssues', () => {
  it('finds an option spelled in the text exactly where the whole-word pattern does', () => {
    fc.assert(
      fc.property(text, text, option, (before, after, candidate) => {
        const requirement = `${before}{seuil}${after}`;
        const issues = requirementTextIssues(requirement, { type: 'enum', options: [candidate], comparator: 'eq', value: candidate });
        expect(issues.some((issue) => issue.message.includes('an option of its metric'))).toBe(statedByPattern(`${before} ${after}`, candidate));
      }),
      { numRuns: 1000 },
    );
  });
});
