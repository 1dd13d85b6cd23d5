import fc from 'fast-check';
import * as mnemonist from 'mnemonist';
import { describe, expect, it } from 'vitest';
import LRUCache from '../../infra/bundling/lru-cache.mjs';

type Op = { kind: 'get' | 'has' | 'peek'; key: number } | { kind: 'set'; key: number; value: number } | { kind: 'clear' };

// A clear now and then: often, it would empty the cache before any eviction could differ.
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constantFrom('get' as const, 'has' as const, 'peek' as const), key: fc.integer({ min: 0, max: 6 }) }), weight: 10 },
  { arbitrary: fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 6 }), value: fc.integer() }), weight: 10 },
  { arbitrary: fc.constant({ kind: 'clear' as const }), weight: 1 },
);

describe('the LRU cache standing in for mnemonist’s in the Lambda bundles (DynamoDB endpoint discovery’s cache)', () => {
  it('answers every get, has and peek as mnemonist’s LRUCache does, whatever the sequence', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(op, { minLength: 8, maxLength: 80, size: 'max' }), (capacity, ops) => {
        const ours = new LRUCache<number, number>(capacity);
        const theirs = new mnemonist.LRUCache<number, number>(capacity);
        ops.forEach((o, i) => {
          if (o.kind === 'set') {
            ours.set(o.key, o.value);
            theirs.set(o.key, o.value);
          } else if (o.kind === 'clear') {
            ours.clear();
            theirs.clear();
          } else {
            expect(ours[o.kind](o.key), `${i}: ${o.kind}(${o.key})`).toEqual(theirs[o.kind](o.key));
          }
          expect(ours.size, `${i}: size`).toBe(theirs.size);
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a capacity that is not a positive integer, as mnemonist does', () => {
    for (const capacity of [0, -1, 1.5, Number.NaN]) {
      expect(() => new LRUCache(capacity), String(capacity)).toThrow(/capacity/);
      expect(() => new mnemonist.LRUCache(capacity), String(capacity)).toThrow();
    }
  });
});
