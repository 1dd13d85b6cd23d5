/**
 * What every AuditLog does (src/app/ports/audit-log.ts): run on the in-memory fake
 * (test/contracts/in-process.test.ts) and on DynamoDB (test/integration/dynamodb-audit-log.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '#src/core/audit/audit-entry.ts';
import { ValidationError } from '#src/core/model/errors.ts';
import { AlreadyExistsError } from '#src/app/errors.ts';
import type { AuditLog } from '#src/app/ports/audit-log.ts';

export function auditEntry(id: string, version: number, at: string, patch: Partial<AuditEntry> = {}): AuditEntry {
  return {
    target: { kind: 'criterion', id, version },
    actor: 'editor-1',
    at,
    reason: 'Seuil relevé après la revue annuelle',
    changes: [{ field: 'threshold', before: '≥\u00a032\u00a0Go', after: '≥\u00a064\u00a0Go' }],
    ...patch,
  };
}

export function auditLogContract(name: string, create: () => Promise<AuditLog>): void {
  describe(`${name} (AuditLog contract)`, () => {
    it('appends entries and gives a target’s history oldest version first, as appended', async () => {
      const log = await create();
      await log.append(auditEntry('tablet.ram', 2, '2026-12-06T10:00:00.000Z'));
      await log.append(auditEntry('tablet.ram', 1, '2026-12-01T10:00:00.000Z'));
      await log.append(auditEntry('tablet.wifi', 1, '2026-12-02T10:00:00.000Z'));
      await log.append({ ...auditEntry('carmo-education', 3, '2026-12-07T10:00:00.000Z'), target: { kind: 'framework', id: 'carmo-education', version: 3 } });

      const history = await log.history('criterion', 'tablet.ram');
      expect(history.map((e) => e.target.version)).toEqual([1, 2]);
      expect(history[1]).toEqual(auditEntry('tablet.ram', 2, '2026-12-06T10:00:00.000Z'));
      expect(await log.history('criterion', 'tablet')).toEqual([]);
      expect((await log.history('framework', 'carmo-education')).map((e) => e.target.version)).toEqual([3]);
    });

    it('is append-only: a second entry for the same version is refused and the first one stays', async () => {
      const log = await create();
      await log.append(auditEntry('tablet.ram', 1, '2026-12-01T10:00:00.000Z'));
      await expect(log.append(auditEntry('tablet.ram', 1, '2026-12-09T10:00:00.000Z', { reason: 'réécriture de l’histoire' }))).rejects.toBeInstanceOf(AlreadyExistsError);
      expect((await log.history('criterion', 'tablet.ram')).map((e) => e.reason)).toEqual(['Seuil relevé après la revue annuelle']);
    });

    it('refuses an entry without a reason or with a malformed date, writing nothing', async () => {
      const log = await create();
      await expect(log.append(auditEntry('tablet.ram', 1, '2026-12-01T10:00:00.000Z', { reason: ' ' }))).rejects.toBeInstanceOf(ValidationError);
      await expect(log.append(auditEntry('tablet.ram', 1, 'hier'))).rejects.toBeInstanceOf(ValidationError);
      expect(await log.history('criterion', 'tablet.ram')).toEqual([]);
    });

    it('lists the latest edits across targets, newest first, up to the limit', async () => {
      const log = await create();
      for (const [id, day] of [['a.one', 3], ['b.two', 1], ['c.three', 2]] as const) await log.append(auditEntry(id, 1, `2026-12-0${day}T08:00:00.000Z`));
      expect((await log.recent(2)).map((e) => e.target.id)).toEqual(['a.one', 'c.three']);
      await expect(log.recent(0)).rejects.toBeInstanceOf(ValidationError);
    });

    it('keeps bid withdrawals out of the editors’ listing: read by their own target only', async () => {
      const log = await create();
      const bid = { ...auditEntry('x', 1, '2026-12-05T08:00:00.000Z'), target: { kind: 'bid' as const, id: 'tender-00000001/acme', version: 1 }, reason: 'Offre remise hors délai', changes: [{ field: 'status', before: 'received', after: 'withdrawn' }] };
      await log.append(auditEntry('a.one', 1, '2026-12-01T08:00:00.000Z'));
      await log.append(bid);
      expect((await log.recent(10)).map((e) => e.target.id)).toEqual(['a.one']);
      expect(await log.history('bid', 'tender-00000001/acme')).toEqual([bid]);
      await expect(log.append({ ...bid, reason: 'autre motif' })).rejects.toBeInstanceOf(AlreadyExistsError);
    });
  });
}
