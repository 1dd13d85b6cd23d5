/**
 * The web app speaks French: a failed rendering is explained from its cause, never by echoing the
 * API's English reason (issue #19 found « Les documents n’ont pas pu être produits (the documents
 * could not be rendered or stored) »).
 */
import { describe, expect, it } from 'vitest';
import { RENDERING_FAILURE_CAUSES } from '#src/app/tender-record.ts';
import { renderingFailureMessage } from '../../web/src/messages.ts';

describe('renderingFailureMessage', () => {
  it('gives each cause the API records its own French sentence; a failure recorded before causes existed reads as a service error', () => {
    const messages = RENDERING_FAILURE_CAUSES.map((cause) => renderingFailureMessage(cause));
    expect(new Set(messages).size).toBe(RENDERING_FAILURE_CAUSES.length);
    expect(renderingFailureMessage(undefined)).toBe(renderingFailureMessage('error'));
    for (const message of messages) {
      expect(message).toMatch(/^[A-ZÉ][^]*\.$/);
      expect(message).toMatch(/Relancez|Corrigez/);
      expect(message).not.toMatch(/\b(the|could|not|rendering|job)\b/);
    }
  });
});
