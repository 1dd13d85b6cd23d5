import { describe, expect, it } from 'vitest';
import { SizedCache } from '#src/core/model/sized-cache.ts';

describe('SizedCache', () => {
  const cost = (key: string, value: string) => key.length + value.length;

  // Eviction once over budget: test/pdf/upstream.test.ts (ShapeCache).
  it('counts a key set again once, as its latest value', () => {
    const cache = new SizedCache<string>(20, cost);
    cache.set('a', 'xxxx');
    cache.set('b', 'xxxx');
    cache.set('a', 'yy');
    expect(cache.size).toEqual({ entries: 2, bytes: 5 + 3 });
    expect(cache.get('a')).toBe('yy');
  });
});
