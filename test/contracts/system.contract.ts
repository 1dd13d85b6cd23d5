/**
 * What every Clock and IdGenerator does (src/app/ports/system.ts): run on the machine's
 * (src/adapters/system.ts) and on the fakes (test/contracts/fakes.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Clock, IdGenerator } from '#src/app/ports/system.ts';
import { TenderIdSchema } from '#src/app/tender-record.ts';

export function systemContract(name: string, create: () => { clock: Clock; ids: IdGenerator }): void {
  describe(`${name} (Clock and IdGenerator contract)`, () => {
    it('gives ids of 8 to 64 characters from [A-Za-z0-9_-], usable as tender ids, never twice', () => {
      const { ids } = create();
      const many = Array.from({ length: 2_000 }, () => ids.newId());

      expect(new Set(many).size).toBe(many.length);
      for (const id of many) expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
      expect(TenderIdSchema.safeParse(many[0]).success).toBe(true);
    });

    it('gives a valid time that a caller cannot move by changing the Date it got', () => {
      const { clock } = create();
      const first = clock.now();
      const time = first.getTime();
      first.setFullYear(1999);

      expect(Number.isNaN(time)).toBe(false);
      expect(clock.now().getTime()).toBeGreaterThanOrEqual(time);
      expect(clock.now().getFullYear()).not.toBe(1999);
    });
  });
}
