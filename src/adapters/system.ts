import { randomBytes } from 'node:crypto';
import type { Clock, IdGenerator } from '#src/app/ports/system.ts';

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };

/** 128 random bits, base64url: 22 characters. */
export const randomIds: IdGenerator = { newId: () => randomBytes(16).toString('base64url') };
