import { formatCount, formatInteger } from '#src/core/model/format.ts';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { Block, DocumentModel } from './blocks.ts';
import { coverFacts, documentMeta } from './cover.ts';

/** One file of the consultation file (DCE) as its bordereau lists it. */
export interface DceEntry {
  /** File name in the zip, as buyers name them: « 03_CCAP.pdf ». */
  name: string;
  /** What the piece is, in French. */
  title: string;
  /** Contractual pieces bind the holder once signed; informative ones explain the consultation. */
  role: 'contractual' | 'informative';
  mediaType: string;
  size: number;
  /** Hex SHA-256 of the file's bytes. */
  sha256: string;
}

export const ROLE_LABELS: Record<DceEntry['role'], string> = { contractual: 'Contractuelle', informative: 'Informative' };

/**
 * The « bordereau des pièces » of a DCE: every file of the zip but itself and the JSON manifest,
 * with its role, size and SHA-256, so a bidder checks that the file received is the one published.
 * Built as blocks, not from a template: it is a table of data.
 */
export function buildBordereauDocument(tender: ResolvedTender, entries: readonly DceEntry[]): DocumentModel {
  const { request } = tender;
  const blocks: Block[] = [
    { type: 'heading', level: 1, number: '1', text: 'Pièces du dossier de consultation', anchor: 'sec-1' },
    {
      type: 'paragraph',
      runs: [
        {
          text: `Le dossier de consultation comprend ${formatCount(entries.length, 'fichier', 'fichiers')}, listés ci-dessous avec leur empreinte SHA-256, qui permet de vérifier qu’un fichier reçu est identique à celui publié. Les pièces contractuelles engagent le titulaire une fois le marché signé ; les pièces informatives présentent la consultation.`,
        },
      ],
    },
    {
      type: 'table',
      header: [[{ text: 'N°' }], [{ text: 'Fichier' }], [{ text: 'Pièce' }], [{ text: 'Nature' }], [{ text: 'Taille (octets)' }]],
      rows: entries.map((e, i) => [[{ text: String(i + 1) }], [{ text: e.name, noBreak: true }], [{ text: e.title }], [{ text: ROLE_LABELS[e.role] }], [{ text: formatInteger(e.size) }]]),
      align: ['right', 'left', 'left', 'left', 'right'],
    },
    { type: 'heading', level: 1, number: '2', text: 'Empreintes SHA-256', anchor: 'sec-2' },
    {
      type: 'table',
      header: [[{ text: 'Fichier' }], [{ text: 'SHA-256' }]],
      rows: entries.map((e) => [[{ text: e.name }], [{ text: e.sha256, code: true }]]),
      align: ['left', 'left'],
    },
  ];
  return {
    meta: documentMeta(tender, {
      title: `Bordereau des pièces — ${request.title}`,
      subject: `Bordereau des pièces du dossier de consultation — ${request.buyer.name}`,
      keywords: ['DCE', 'bordereau des pièces', 'dossier de consultation'],
    }),
    cover: {
      kicker: 'Dossier de consultation des entreprises — bordereau des pièces',
      title: request.title,
      facts: coverFacts(tender, { framework: false }),
      footnote: 'Le fichier manifest.json du dossier reprend ces informations sous une forme lisible par machine.',
    },
    footerText: request.reference ? `DCE ${request.reference}` : `DCE — ${request.buyer.name}`,
    blocks,
  };
}
