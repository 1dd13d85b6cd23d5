/**
 * French public identifiers a request carries: the buyer's SIRET (the establishment's number in
 * INSEE's SIRENE register) and the INSEE code of the commune where the contract is performed.
 */

/**
 * Whether a 14-digit SIRET's check digit is right: the Luhn sum of its digits is a multiple of 10.
 * La Poste's establishments (SIREN 356 000 000), numbered past what the key allows, are checked
 * as INSEE checks them: the plain sum of the digits is a multiple of 5.
 */
export function siretChecksumValid(siret: string): boolean {
  if (!/^\d{14}$/.test(siret)) return false;
  const digits = [...siret].map(Number);
  if (siret.startsWith('356000000')) return digits.reduce((n, d) => n + d, 0) % 5 === 0;
  const sum = digits.reduce((n, d, i) => {
    if (i % 2 === 0) {
      const doubled = d * 2;
      return n + (doubled > 9 ? doubled - 9 : doubled);
    }
    return n + d;
  }, 0);
  return sum % 10 === 0;
}

/** An INSEE commune code (code officiel géographique): five digits, or 2A/2B and three digits in Corsica. */
export const INSEE_COMMUNE_CODE = /^(?:\d{5}|2[AB]\d{3})$/;
