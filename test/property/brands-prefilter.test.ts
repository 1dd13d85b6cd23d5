import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brandExpressions, findBrands, mayNameBrand } from '#src/core/rules/brands.ts';

/** Brand names as buyers write them, near-misses, and French words that hold a brand's letters. */
const TOKENS = [
  'Apple', 'Apple Pencil', 'Apple  TV', 'iPad', 'iPad Pro', 'iPadOS', 'iPad OS', 'iOS', 'IOS', 'ios', 'macOS', 'MacBook Air', 'Samsung Galaxy Tab', 'Galaxy', 'galaxy',
  'Chrome OS', 'ChromeOS', 'Surface Pro', 'surface pro', 'Surface', 'Windows 11', 'WINDOWS', 'windows', 'Office 365', 'HP', 'hp', '2 HP', '2HP', 'HP intégrés', 'Hewlett-Packard',
  'Dell', 'DELL', 'Acer', 'acer', 'Intel Core i5', 'intel', 'Core i7', 'AMD Ryzen', 'amd', 'Canon', 'canon', 'Bic', 'bic', 'BIC', 'Aruba', 'TP-Link', 'TP Link', 'D-Link',
  'SMART Board', 'Smart board', 'Jamf Pro', 'Cisco Meraki', 'QNAP', 'Unowhy', 'scénarios', 'intelligent', 'placer', 'modèle', 'Dellac', 'surfaces', 'capables', 'ordinateurs',
  'androïde', 'Androids', 'iPads', 'iPad2', '_iPad', 'Intel_', 'ACERbis', 'canonique', 'marque Zorglub', 'ou équivalent',
];
const SEPARATORS = [' ', '  ', '\n', ', ', '.', '-', '_', '«\u00a0', '\u00a0»', '(', ')', '/', '2', 'é', 'a', ''];

const text = fc
  .array(fc.tuple(fc.constantFrom(...TOKENS), fc.constantFrom(...SEPARATORS), fc.boolean()), { maxLength: 8 })
  .map((parts) => parts.map(([token, separator, upper]) => (upper ? token.toUpperCase() : token) + separator).join(''));

describe('the one-scan screen before the brand expressions', () => {
  it('never says « no brand » of a text one of the brand expressions matches', () => {
    fc.assert(
      fc.property(text, (t) => {
        const some = brandExpressions().some((re) => {
          re.lastIndex = 0;
          return re.test(t);
        });
        if (some) expect(mayNameBrand(t), t).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('lets ordinary French through without the brand scans, and still finds the brands next to it', () => {
    for (const t of ['Des scénarios pédagogiques', 'Un tableau blanc intelligent', 'placer les capables', 'la surface de la salle', 'canonique']) expect(mayNameBrand(t), t).toBe(false);
    expect(findBrands('Des scénarios sur iPad Pro, ou un Intel Core i5 intelligent')).toEqual(['iPad Pro', 'Intel Core i5']);
  });
});
