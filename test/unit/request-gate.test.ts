import { describe, expect, it } from 'vitest';
import { createRequestGate } from '#src/adapters/local/request-gate.ts';

/** A piece of work that ends when the test says so. */
function held<T>(value: T) {
  let release!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<T>((resolve, reject) => {
    release = () => resolve(value);
    fail = reject;
  });
  return { work: () => done, release, fail };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('request gate', () => {
  it('runs at most its limit at once and the others in order of arrival, each slot passed on however the work ends', async () => {
    const gate = createRequestGate(2);
    const started: number[] = [];
    const pieces = [0, 1, 2, 3, 4].map((i) => held(i));
    const results = pieces.map((p, i) =>
      gate.run(() => {
        started.push(i);
        return p.work();
      }).then(
        (v) => `ok ${v}`,
        (e: Error) => `failed ${e.message}`,
      ),
    );
    await settle();
    expect(started).toEqual([0, 1]);
    expect([gate.active, gate.waiting]).toEqual([2, 3]);

    pieces[1]!.fail(new Error('boom'));
    await settle();
    expect(started).toEqual([0, 1, 2]);
    pieces[0]!.release();
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    expect([gate.active, gate.waiting]).toEqual([2, 1]);

    // A newcomer goes behind the one still waiting.
    const late = held(5);
    pieces[2]!.release();
    const lateResult = gate.run(() => {
      started.push(5);
      return late.work();
    });
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    pieces[3]!.release();
    pieces[4]!.release();
    late.release();
    expect(await Promise.all(results)).toEqual(['ok 0', 'failed boom', 'ok 2', 'ok 3', 'ok 4']);
    expect(await lateResult).toBe(5);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect([gate.active, gate.waiting]).toEqual([0, 0]);
  });

  it('refuses a limit below one', () => {
    expect(() => createRequestGate(0)).toThrow(RangeError);
    expect(() => createRequestGate(1.5)).toThrow(RangeError);
  });
});
