/**
 * The note interne of a version 2 request prints the estimate the rules chose the procedure on:
 * every line and option line with its price and VAT rate, tranches, options, renewals, each lot's
 * value excl. and incl. VAT, the total and its threshold tier; bidder documents print no estimate.
 */
import { describe, expect, it } from 'vitest';
import { formatMoney } from '#src/core/model/format.ts';
import { pdfText } from '../support/pdf-text.ts';
import { generateFrom, v2Example } from '../support/pipeline.ts';
import { sharedDeps } from './support/models.ts';

const squeeze = (s: string) => s.replace(/\s+/g, '');

describe('the note interne of the commune’s v2 request', () => {
  it('estimates the firm and optional tranches, the 5-year warranty option and the lump sums, excl. and incl. VAT, with the tier', async () => {
    const request = v2Example('commune');
    const generated = await generateFrom(request, await sharedDeps(), ['pdf', 'rc', 'note']);
    const text = (name: string) => pdfText(generated.documents.find((d) => d.name === name)!.content);
    const note = squeeze(await text('note-interne.pdf'));

    // Worked out from the request: lump sums count once, the option covers every tablet.
    const lines = request.lots[0].items as Array<{ quantity?: number; sites?: Record<string, number>; unitPrice: number; pricing?: string }>;
    const amount = (l: (typeof lines)[number]) => (l.pricing === 'lump-sum' ? l.unitPrice : (l.quantity ?? Object.values(l.sites!).reduce((a, b) => a + b, 0)) * l.unitPrice);
    const tablets = lines.filter((_, i) => request.lots[0].items[i].itemId === 'tablet').reduce((n, l) => n + Object.values(l.sites!).reduce((a, b) => a + b, 0), 0);
    const option = tablets * request.lots[0].options[0].lines[0].unitPrice;
    const total = lines.reduce((n, l) => n + amount(l), 0) + option;

    expect(note).toContain(squeeze(`Options (prestations supplémentaires éventuelles) : ${formatMoney(option)} HT`));
    expect(note).toContain(squeeze(`Valeur estimée du lot : ${formatMoney(total)} HT, soit ${formatMoney(total * 1.2)} TTC`));
    expect(note).toContain(squeeze('Seuil : Sous le seuil de dispense'));
    expect(note).toContain(squeeze('1.O1.1 Option 1 : Extension de garantie'));
    for (const name of ['cctp.pdf', 'rc.pdf']) expect(squeeze(await text(name))).not.toContain(squeeze(formatMoney(total)));
  });
});
