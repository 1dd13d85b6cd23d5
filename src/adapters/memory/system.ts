import type { Clock, IdGenerator } from '#src/app/ports/system.ts';

/** A clock that stands still until told to move: use cases see the time a test sets. */
export class ManualClock implements Clock {
  private time: number;

  constructor(start: Date | string = '2026-05-04T09:00:00.000Z') {
    this.time = new Date(start).getTime();
    if (Number.isNaN(this.time)) throw new RangeError(`invalid start time ${String(start)}`);
  }

  /** A new Date each call, so a caller that mutates it does not move the clock. */
  now(): Date {
    return new Date(this.time);
  }

  set(time: Date | string): void {
    const next = new Date(time).getTime();
    if (Number.isNaN(next)) throw new RangeError(`invalid time ${String(time)}`);
    this.time = next;
  }

  advance(milliseconds: number): void {
    this.time += milliseconds;
  }
}

/** Ids `<prefix>-00000001`, `<prefix>-00000002`…: predictable in assertions, never repeated by one generator. */
export class SequentialIds implements IdGenerator {
  private count = 0;

  constructor(private readonly prefix = 'id') {
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(prefix)) throw new RangeError(`invalid id prefix "${prefix}"`);
  }

  newId(): string {
    return `${this.prefix}-${String(++this.count).padStart(8, '0')}`;
  }
}
