/** Page geometry, sizes and colours of the PDF layout (points; 1 mm ≈ 2.835 pt). */
import type { FaceName } from './fonts.ts';

export const PAGE = {
  /** A4 portrait. */
  width: 595.28,
  height: 841.89,
  margins: { top: 62, bottom: 68, left: 57, right: 57 },
} as const;

export const CONTENT_WIDTH = PAGE.width - PAGE.margins.left - PAGE.margins.right;

export const COLORS = {
  text: '#1b1f23',
  accent: '#1f3a5f',
  muted: '#5b6670',
  rule: '#9aa7b4',
  grid: '#b4bec8',
  headerFill: '#e3e9f0',
} as const;

export interface TextStyle {
  readonly size: number;
  readonly lineHeight: number;
}

export const BODY = { size: 10, lineHeight: 14, paragraphGap: 7 } as const;

export const LIST = { indent: 6, labelGap: 6, itemGap: 2.5, gapAfter: 7 } as const;

export interface HeadingStyle extends TextStyle {
  readonly face: FaceName;
  readonly color: string;
  readonly before: number;
  readonly after: number;
}

export const HEADINGS: Readonly<Record<1 | 2 | 3, HeadingStyle>> = {
  1: { size: 15, lineHeight: 19, face: 'bold', color: COLORS.accent, before: 18, after: 8 },
  2: { size: 12.5, lineHeight: 16, face: 'bold', color: COLORS.accent, before: 13, after: 6 },
  3: { size: 10.5, lineHeight: 14, face: 'bold', color: COLORS.text, before: 9, after: 4 },
};

/** Lines of body text that must fit under a heading, else the heading moves to the next page. */
export const KEEP_WITH_NEXT_LINES = 3;

export const TABLE = {
  size: 8.5,
  lineHeight: 11,
  padX: 4,
  padY: 3.5,
  gapBefore: 3,
  gapAfter: 10,
  gridWidth: 0.5,
  /** Narrowest column, and the widest a single unbreakable word may make a column (share of the table). */
  minColumn: 22,
  maxWordShare: 0.35,
  /** A header taller than this share of the page is not repeated (it would crowd out the rows). */
  maxRepeatedHeaderShare: 0.3,
} as const;

export const TOC = {
  title: 'Sommaire',
  titleSize: 15,
  titleLineHeight: 19,
  titleAfter: 14,
  size: 10,
  lineHeight: 14,
  level1Gap: 5,
  /** Spacing tried when the last contents page would be nearly empty. */
  compactLineHeight: 12.5,
  compactLevel1Gap: 2,
  /** A last contents page filled to less than this share is nearly empty. */
  minLastPageShare: 0.25,
  level2Indent: 16,
  numberGap: 6,
  leaderGap: 4,
} as const;

export const FOOTER = {
  size: 8,
  /** Baseline distance from the bottom edge of the page. */
  baselineFromBottom: 34,
  ruleFromBottom: 48,
  gap: 16,
} as const;
