/**
 * Content no cache of the process has seen: the same documents with their words rewritten, for
 * each benchmark iteration anew. Word shapes, widths, glyph encodings and subsets are cached per
 * process and per face (src/adapters/render/pdf); a buyer's new file brings words none of them
 * holds, which the warm, seen-content cases never show.
 *
 * Each word becomes a pseudo-word of the same length and case, drawn from French letters with
 * their accents, seeded by the word and the iteration: within one document a word repeats as
 * itself (as real text does), across iterations never. Digits, punctuation and spaces stay, so
 * layout stays comparable (line breaks and page counts move a little, on both engines alike).
 */
import type { Block, DocumentModel, Run } from '#src/core/documents/blocks.ts';

const LOWER = 'aaaeeeeiiioouunnrrsstlcdmpvbfghjqxyzéèêàçôûî';
const WORD = /\p{L}+/gu;

/** FNV-1a over the string, as the PRNG's seed. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function pseudoWord(word: string, salt: number): string {
  let state = hash(`${salt}:${word}`) || 1;
  let out = '';
  for (const ch of word) {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const letter = LOWER[(state >>> 0) % LOWER.length]!;
    out += ch === ch.toLowerCase() ? letter : letter.toUpperCase();
  }
  return out;
}

/** `text` with every word replaced by its pseudo-word for iteration `salt`. */
export function rewriteWords(text: string, salt: number): string {
  return text.replace(WORD, (word) => pseudoWord(word, salt));
}

const runs = (list: Run[], salt: number): Run[] => list.map((r) => ({ ...r, text: rewriteWords(r.text, salt) }));

function block(b: Block, salt: number): Block {
  switch (b.type) {
    case 'heading':
      return { ...b, text: rewriteWords(b.text, salt) };
    case 'paragraph':
      return { ...b, runs: runs(b.runs, salt) };
    case 'list':
      return { ...b, items: b.items.map((item) => runs(item, salt)) };
    case 'table':
      return { ...b, header: b.header.map((c) => runs(c, salt)), rows: b.rows.map((row) => row.map((c) => runs(c, salt))) };
    case 'bar':
      return { ...b, caption: runs(b.caption, salt) };
    case 'page-break':
      return b;
  }
}

/** The model with every word of its printed text rewritten for iteration `salt`. */
export function unseenModel(model: DocumentModel, salt: number): DocumentModel {
  return {
    ...model,
    cover: {
      ...model.cover,
      kicker: rewriteWords(model.cover.kicker, salt),
      title: rewriteWords(model.cover.title, salt),
      facts: model.cover.facts.map((f) => ({ label: rewriteWords(f.label, salt), value: rewriteWords(f.value, salt) })),
      footnote: rewriteWords(model.cover.footnote, salt),
    },
    footerText: rewriteWords(model.footerText, salt),
    blocks: model.blocks.map((b) => block(b, salt)),
  };
}

/**
 * The request with every text the buyer writes rewritten for iteration `salt` (buyer, title,
 * context, lots, justifications, sites, award criteria); the catalogue's texts stay as they are,
 * as they do for a real buyer.
 */
export function unseenRequest(request: Record<string, any>, salt: number): Record<string, any> {
  const r = structuredClone(request);
  const w = (text: string) => rewriteWords(text, salt);
  r.buyer.name = w(r.buyer.name);
  r.buyer.address = w(r.buyer.address);
  r.title = w(r.title);
  r.reference = `${r.reference}-${salt}`;
  if (r.context) r.context = w(r.context);
  for (const lot of r.lots ?? []) {
    lot.title = w(lot.title);
    lot.deliverySites = lot.deliverySites?.map(w);
    for (const o of lot.overrides ?? []) if (o.justification) o.justification = w(o.justification);
    for (const c of lot.customRequirements ?? []) {
      c.label = w(c.label);
      c.requirement = w(c.requirement);
    }
  }
  for (const c of r.awardCriteria ?? []) {
    c.name = w(c.name);
    for (const s of c.subCriteria ?? []) s.name = w(s.name);
  }
  return r;
}
