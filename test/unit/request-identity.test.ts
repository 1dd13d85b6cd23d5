/**
 * Request identity (issue #16): the buyer's SIRET with its check digit verified, and the INSEE code
 * of the place of execution, each refused with its field path and a reason a buyer can act on;
 * requests without them (every stored tender before) still parse.
 */
import { describe, expect, it } from 'vitest';
import { parseTenderRequest } from '#src/app/generate-documents.ts';
import { ValidationError } from '#src/core/model/errors.ts';
import { siretChecksumValid } from '#src/core/model/identifiers.ts';
import { example } from '../support/pipeline.ts';

function issuesOf(input: unknown): Array<{ path: string; message: string }> {
  try {
    parseTenderRequest(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return [...(error as ValidationError).issues];
  }
  throw new Error('the request was accepted');
}

describe('SIRET check digit', () => {
  it('accepts numbers whose Luhn sum is a multiple of 10, and La Poste’s by the sum of their digits', () => {
    expect(siretChecksumValid('73282932000074')).toBe(true);
    expect(siretChecksumValid('21269990400018')).toBe(true);
    expect(siretChecksumValid('35600000000010')).toBe(true);
  });

  it('refuses a mistyped digit, two swapped digits, a wrong length and anything but digits', () => {
    expect(siretChecksumValid('73282932000075')).toBe(false);
    expect(siretChecksumValid('73282932000047')).toBe(false);
    expect(siretChecksumValid('7328293200007')).toBe(false);
    expect(siretChecksumValid('732 829 320 00074')).toBe(false);
    expect(siretChecksumValid('35600000000011')).toBe(false);
  });
});

describe('request identity', () => {
  it('keeps the SIRET and the place of execution of a valid request, and still accepts a request without them', () => {
    const request = example('commune');
    expect(parseTenderRequest(request)).toMatchObject({ buyer: { siret: '21269990400018' }, executionPlace: { inseeCode: '26999' } });
    delete request.buyer.siret;
    delete request.executionPlace;
    expect(parseTenderRequest(request).buyer).not.toHaveProperty('siret');
  });

  it('refuses a SIRET with a wrong check digit or spaces, naming the field', () => {
    const request = example('commune');
    request.buyer.siret = '21269990400019';
    expect(issuesOf(request)).toEqual([{ path: 'buyer.siret', message: expect.stringContaining('check digit is wrong') }]);
    request.buyer.siret = '212 699 904 00018';
    expect(issuesOf(request)).toContainEqual({ path: 'buyer.siret', message: 'a SIRET is 14 digits, without spaces' });
  });

  it('refuses an INSEE code that is a name or has the wrong length, and accepts Corsica’s 2A/2B', () => {
    const request = example('commune');
    request.executionPlace = { inseeCode: '2614' };
    expect(issuesOf(request)).toEqual([{ path: 'executionPlace.inseeCode', message: expect.stringContaining('5 characters') }]);
    request.executionPlace = { inseeCode: '2A004', name: 'Ajaccio' };
    expect(parseTenderRequest(request).executionPlace).toEqual({ inseeCode: '2A004', name: 'Ajaccio' });
  });

  it('refuses an offer deadline without its UTC offset', () => {
    const request = example('commune');
    request.offerDeadline = '2026-11-06T12:00:00';
    expect(issuesOf(request).map((i) => i.path)).toEqual(['offerDeadline']);
  });
});
