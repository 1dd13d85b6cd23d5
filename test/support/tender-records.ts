import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TenderRequestSchema } from '#src/core/model/tender-request.ts';
import { tenderDocumentKey, type TenderRecord } from '#src/app/tender-record.ts';

/** The commune example request, read directly: tests of tender stores need no renderer. */
export function exampleRequest(): Record<string, any> {
  return JSON.parse(readFileSync(new URL('../../examples/commune-rurale-classe-mobile.json', import.meta.url), 'utf8'));
}
export const REQUEST = TenderRequestSchema.parse(exampleRequest());
export const sha256Of = (text: string) => createHash('sha256').update(text).digest('hex');

/** A valid tender record of buyer-1 with two documents under its prefix; `patch` overrides any field. */
export function tenderRecord(patch: Partial<TenderRecord> = {}): TenderRecord {
  const id = patch.id ?? `t-${randomUUID()}`;
  return {
    id,
    owner: 'buyer-1',
    createdAt: '2026-10-01T09:00:00.000Z',
    requestHash: sha256Of(JSON.stringify(REQUEST)),
    request: REQUEST,
    framework: { id: 'carmo-education', version: 1 },
    criteria: [{ id: 'tablet.storage.user', version: 1 }],
    documents: [
      { name: 'cctp.pdf', mediaType: 'application/pdf', key: tenderDocumentKey(id, 'cctp.pdf'), bytes: 1234, sha256: sha256Of('pdf') },
      { name: 'report.json', mediaType: 'application/json', key: tenderDocumentKey(id, 'report.json'), bytes: 56, sha256: sha256Of('report') },
    ],
    contentHash: sha256Of('content'),
    ...patch,
  };
}
