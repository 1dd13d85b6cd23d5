/**
 * The request fields the règlement de la consultation reads (issue #15): deadlines, validity of
 * offers, the buyer's profile, the cap on lots per bidder and negotiation. All optional, so older
 * requests still parse; when given, each is checked against the others and refused with its field
 * path (a 422 through the API); deadlines print in Paris time whatever their offset.
 */
import { describe, expect, it } from 'vitest';
import { parseTenderRequest } from '#src/app/generate-documents.ts';
import { ValidationError } from '#src/core/model/errors.ts';
import { formatParisDateTime } from '#src/core/model/format.ts';
import { example, v2Example } from '../support/pipeline.ts';

function pathsOf(input: unknown): string[] {
  try {
    parseTenderRequest(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues.map((i) => i.path);
  }
  return [];
}

describe('RC request fields', () => {
  it('are optional: every request without them still parses, version 1 and 2', () => {
    const v1 = example('departement');
    for (const key of ['questionsDeadline', 'offerDeadline', 'offerValidityDays', 'buyerProfileUrl', 'maxLotsPerBidder', 'negotiation']) delete v1[key];
    expect(pathsOf(v1)).toEqual([]);
    expect(pathsOf(v2Example('region'))).toEqual([]);
  });

  it('close the questions before the offers, comparing instants and not the offsets they were written with', () => {
    const request = example('ville');
    request.offerDeadline = '2026-12-01T11:30:00Z';
    request.questionsDeadline = '2026-12-01T12:00:00+01:00';
    expect(pathsOf(request)).toEqual([]);
    request.questionsDeadline = '2026-12-01T12:30:00+01:00';
    expect(pathsOf(request)).toEqual(['questionsDeadline']);
    delete request.offerDeadline;
    request.questionsDeadline = '2026-11-20T17:00:00+01:00';
    expect(pathsOf(request)).toEqual(['questionsDeadline']);
  });

  it('refuse, with their paths, a cap that leaves no lot to others, negotiation outside a procédure adaptée, a profile not in https, a validity under 30 days', () => {
    const request = v2Example('departement');
    request.maxLotsPerBidder = request.lots.length;
    request.negotiation = 'reserved';
    request.buyerProfileUrl = 'http://marches.example.fr';
    request.offerValidityDays = 10;
    expect(pathsOf(request).sort()).toEqual(['buyerProfileUrl', 'maxLotsPerBidder', 'negotiation', 'offerValidityDays']);
    request.maxLotsPerBidder = request.lots.length - 1;
    request.procedure = 'adapted';
    request.buyerProfileUrl = 'https://marches.example.fr';
    request.offerValidityDays = 90;
    expect(pathsOf(request)).toEqual([]);
  });
});

describe('formatParisDateTime', () => {
  it('prints a deadline in Paris time, winter or summer, with no-break spaces and « 1er »', () => {
    expect(formatParisDateTime('2026-11-06T12:00:00+01:00')).toBe('6\u00a0novembre 2026 à 12\u00a0h\u00a000 (heure de Paris)');
    expect(formatParisDateTime('2027-07-01T08:05:00Z')).toBe('1er\u00a0juillet 2027 à 10\u00a0h\u00a005 (heure de Paris)');
    expect(formatParisDateTime('2026-11-06T23:30:00Z')).toBe('7\u00a0novembre 2026 à 00\u00a0h\u00a030 (heure de Paris)');
  });
});
