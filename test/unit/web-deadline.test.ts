import { describe, expect, it } from 'vitest';
import { deadlineFromField, deadlineToField } from '../../web/src/deadline.ts';

describe('the offer deadline field (Paris time, sent with its offset)', () => {
  it.each([
    ['2026-11-06T12:00', '2026-11-06T12:00:00+01:00'],
    ['2026-07-01T09:30', '2026-07-01T09:30:00+02:00'],
    ['2026-10-25T03:30', '2026-10-25T03:30:00+01:00'],
    ['2026-03-29T03:30', '2026-03-29T03:30:00+02:00'],
  ])('sends %s as %s, and shows it back as typed', (typed, sent) => {
    expect(deadlineFromField(typed)).toBe(sent);
    expect(deadlineToField(sent)).toBe(typed);
  });

  it('shows an instant stated with another offset in Paris time; an empty field states no deadline', () => {
    expect(deadlineToField('2026-11-06T11:00:00Z')).toBe('2026-11-06T12:00');
    expect(deadlineFromField('')).toBeUndefined();
    expect(deadlineToField(undefined)).toBe('');
  });
});
