/**
 * The fixed parts of a Cahier Word package around word/document.xml: content types, package and
 * document relationships (all internal: no external target, no macro or embedded part), the
 * styles, the numbering definitions, the settings and the document properties.
 *
 * Styles are Word's built-in ones where Word has one (Title, Heading 1–3, List Paragraph, TOC
 * Heading, toc 1–3, footer), so the navigation pane, the outline and the table of contents work
 * as in any Word document; Cahier's own (cover, table text) are based on Normal.
 */
import type { DocumentMeta } from '#src/core/documents/blocks.ts';
import { APP_PROPERTIES_OPEN, coreDates, CORE_PROPERTIES_OPEN } from '#src/adapters/render/office-package.ts';
import { XML_DECLARATION } from '#src/adapters/render/xml-text.ts';
import { escapeAttribute, textElement, val } from './wordml.ts';

export const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
export const R_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const RELS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const WORD_ML = 'application/vnd.openxmlformats-officedocument.wordprocessingml';

/** Twips (1/20 pt): A4 portrait with 2 cm margins. */
export const PAGE = { width: 11906, height: 16838, margin: 1134, headerFooter: 567 } as const;
export const TEXT_WIDTH = PAGE.width - 2 * PAGE.margin;
/** Hanging indent that holds the heading number, in twips. */
const HEADING_NUMBER_WIDTH = 794;

export const COLORS = { text: '1B1F23', accent: '1F3A5F', muted: '5B6670', grid: 'B4BEC8', headerFill: 'E3E9F0' } as const;
const FONTS = { body: 'Calibri', code: 'Consolas' } as const;

/** Numbering instances (w:numId) of numbering.xml: headings, bullets, then one per ordered list. */
export const NUM = { headings: 1, bullet: 2, firstOrdered: 3 } as const;
const ABSTRACT = { headings: 1, bullet: 2, ordered: 3 } as const;

/** The footer's relationship id in word/_rels/document.xml.rels, referenced by the section. */
export const FOOTER_RELATIONSHIP = 'rId4';

export const CONTENT_TYPES =
  `${XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  `<Override PartName="/word/document.xml" ContentType="${WORD_ML}.document.main+xml"/>` +
  `<Override PartName="/word/styles.xml" ContentType="${WORD_ML}.styles+xml"/>` +
  `<Override PartName="/word/numbering.xml" ContentType="${WORD_ML}.numbering+xml"/>` +
  `<Override PartName="/word/settings.xml" ContentType="${WORD_ML}.settings+xml"/>` +
  `<Override PartName="/word/footer1.xml" ContentType="${WORD_ML}.footer+xml"/>` +
  '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
  '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>' +
  '</Types>';

const relationships = (list: ReadonlyArray<readonly [id: string, type: string, target: string]>): string =>
  `${XML_DECLARATION}<Relationships xmlns="${RELS_NS}">${list.map(([id, type, target]) => `<Relationship Id="${id}" Type="${type}" Target="${target}"/>`).join('')}</Relationships>`;

export const PACKAGE_RELATIONSHIPS = relationships([
  ['rId1', `${R_NS}/officeDocument`, 'word/document.xml'],
  ['rId2', 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties', 'docProps/core.xml'],
  ['rId3', `${R_NS}/extended-properties`, 'docProps/app.xml'],
]);

export const DOCUMENT_RELATIONSHIPS = relationships([
  ['rId1', `${R_NS}/styles`, 'styles.xml'],
  ['rId2', `${R_NS}/numbering`, 'numbering.xml'],
  ['rId3', `${R_NS}/settings`, 'settings.xml'],
  [FOOTER_RELATIONSHIP, `${R_NS}/footer`, 'footer1.xml'],
]);

export const APP_PROPERTIES =
  `${XML_DECLARATION}${APP_PROPERTIES_OPEN}<Application>Cahier</Application></Properties>`;

const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

function checkLanguage(language: string): string {
  if (!LANGUAGE_TAG.test(language)) throw new RangeError(`not a language tag: "${language}"`);
  return language;
}

/**
 * docProps/core.xml: title, subject, author, keywords, the cover's kicker as description, both
 * dates at the model's `createdAt` (reproducible output), and the language (BCP 47), which file
 * managers, indexers and accessibility checkers read there.
 */
export function coreProperties(meta: DocumentMeta, description: string): string {
  return (
    `${XML_DECLARATION}${CORE_PROPERTIES_OPEN}` +
    textElement('dc:title', undefined, meta.title) +
    textElement('dc:subject', undefined, meta.subject) +
    textElement('dc:creator', undefined, meta.author) +
    textElement('cp:keywords', undefined, meta.keywords.join(', ')) +
    textElement('dc:description', undefined, description) +
    '<cp:lastModifiedBy>Cahier</cp:lastModifiedBy><cp:revision>1</cp:revision>' +
    coreDates(meta.createdAt) +
    `<dc:language>${checkLanguage(meta.language)}</dc:language></cp:coreProperties>`
  );
}

/** word/settings.xml: Word 2013+ layout (no compatibility mode), the document language for theme fonts and proofing, the French decimal comma. */
export function settings(language: string): string {
  return (
    `${XML_DECLARATION}<w:settings xmlns:w="${W_NS}"><w:defaultTabStop w:val="720"/>` +
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>' +
    `<w:themeFontLang w:val="${checkLanguage(language)}"/><w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/></w:settings>`
  );
}

const fonts = (font: string): string => `<w:rFonts w:ascii="${font}" w:hAnsi="${font}" w:eastAsia="${font}" w:cs="${font}"/>`;
const size = (halfPoints: number): string => `<w:sz w:val="${halfPoints}"/><w:szCs w:val="${halfPoints}"/>`;
const BOLD = '<w:b/><w:bCs/>';
const ITALIC = '<w:i/><w:iCs/>';

/** Run properties of a code run (Consolas 9 pt): the font, then the size, which come apart in a w:rPr. */
export const CODE_FONTS = fonts(FONTS.code);
export const CODE_SIZE = size(18);
export { BOLD, ITALIC };

interface StyleOptions {
  id: string;
  name: string;
  basedOn?: string;
  next?: string;
  quickFormat?: boolean;
  pPr?: string;
  rPr?: string;
}

function paragraphStyle(style: StyleOptions): string {
  return (
    `<w:style w:type="paragraph" w:styleId="${style.id}"><w:name w:val="${escapeAttribute(style.name)}"/>` +
    (style.basedOn ? val('w:basedOn', style.basedOn) : '') +
    (style.next ? val('w:next', style.next) : '') +
    (style.quickFormat ? '<w:qFormat/>' : '') +
    (style.pPr ? `<w:pPr>${style.pPr}</w:pPr>` : '') +
    (style.rPr ? `<w:rPr>${style.rPr}</w:rPr>` : '') +
    '</w:style>'
  );
}

const spacing = (s: { before?: number; after?: number; line?: number }): string =>
  `<w:spacing${s.before === undefined ? '' : ` w:before="${s.before}"`}${s.after === undefined ? '' : ` w:after="${s.after}"`}${s.line === undefined ? '' : ` w:line="${s.line}" w:lineRule="auto"`}/>`;

function headingStyle(level: 1 | 2 | 3, halfPoints: number, before: number, after: number): string {
  return paragraphStyle({
    id: `Heading${level}`,
    name: `heading ${level}`,
    basedOn: 'Normal',
    next: 'Normal',
    quickFormat: true,
    pPr:
      `<w:keepNext/><w:keepLines/><w:tabs><w:tab w:val="left" w:pos="${HEADING_NUMBER_WIDTH}"/></w:tabs>${spacing({ before, after })}` +
      `<w:ind w:left="${HEADING_NUMBER_WIDTH}" w:hanging="${HEADING_NUMBER_WIDTH}"/><w:outlineLvl w:val="${level - 1}"/>`,
    rPr: `${fonts(FONTS.body)}${BOLD}${val('w:color', COLORS.accent)}${size(halfPoints)}`,
  });
}

function tocStyle(level: 1 | 2 | 3): string {
  const indent = (level - 1) * 340 + HEADING_NUMBER_WIDTH;
  return paragraphStyle({
    id: `TOC${level}`,
    name: `toc ${level}`,
    basedOn: 'Normal',
    next: 'Normal',
    pPr:
      `<w:tabs><w:tab w:val="left" w:pos="${indent}"/><w:tab w:val="right" w:leader="dot" w:pos="${TEXT_WIDTH}"/></w:tabs>` +
      `${spacing({ before: level === 1 ? 120 : 0, after: 40 })}<w:ind w:left="${indent}" w:hanging="${HEADING_NUMBER_WIDTH}"/>`,
    ...(level === 1 ? { rPr: BOLD } : {}),
  });
}

/** word/styles.xml: defaults (Calibri 10 pt, the document language), then every style the body uses. */
export function styles(language: string): string {
  return (
    `${XML_DECLARATION}<w:styles xmlns:w="${W_NS}">` +
    `<w:docDefaults><w:rPrDefault><w:rPr>${fonts(FONTS.body)}${val('w:color', COLORS.text)}${size(20)}${val('w:lang', checkLanguage(language))}</w:rPr></w:rPrDefault>` +
    `<w:pPrDefault><w:pPr>${spacing({ after: 120, line: 264 })}</w:pPr></w:pPrDefault></w:docDefaults>` +
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>' +
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>' +
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>' +
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>' +
    paragraphStyle({
      id: 'Title',
      name: 'Title',
      basedOn: 'Normal',
      next: 'Normal',
      quickFormat: true,
      pPr: spacing({ before: 240, after: 480, line: 240 }),
      rPr: `${fonts(FONTS.body)}${BOLD}${val('w:color', COLORS.accent)}${size(48)}`,
    }) +
    headingStyle(1, 30, 360, 160) +
    headingStyle(2, 25, 260, 120) +
    headingStyle(3, 22, 200, 100) +
    paragraphStyle({ id: 'ListParagraph', name: 'List Paragraph', basedOn: 'Normal', quickFormat: true, pPr: spacing({ after: 60 }) }) +
    paragraphStyle({
      id: 'TOCHeading',
      name: 'TOC Heading',
      basedOn: 'Normal',
      next: 'Normal',
      quickFormat: true,
      pPr: spacing({ before: 0, after: 240 }),
      rPr: `${fonts(FONTS.body)}${BOLD}${val('w:color', COLORS.accent)}${size(30)}`,
    }) +
    tocStyle(1) +
    tocStyle(2) +
    tocStyle(3) +
    paragraphStyle({
      id: 'CoverKicker',
      name: 'Cover Kicker',
      basedOn: 'Normal',
      next: 'Normal',
      pPr: spacing({ before: 2400, after: 120 }),
      rPr: `<w:caps/>${val('w:color', COLORS.muted)}${size(24)}`,
    }) +
    paragraphStyle({
      id: 'CoverNote',
      name: 'Cover Note',
      basedOn: 'Normal',
      next: 'Normal',
      pPr: spacing({ before: 960 }),
      rPr: `${ITALIC}${val('w:color', COLORS.muted)}${size(16)}`,
    }) +
    paragraphStyle({
      id: 'TableText',
      name: 'Table Text',
      basedOn: 'Normal',
      next: 'TableText',
      pPr: spacing({ before: 40, after: 40, line: 240 }),
      rPr: size(17),
    }) +
    paragraphStyle({ id: 'Footer', name: 'footer', basedOn: 'Normal', pPr: spacing({ after: 0 }), rPr: `${val('w:color', COLORS.muted)}${size(16)}` }) +
    '</w:styles>'
  );
}

const level = (ilvl: number, format: 'decimal' | 'bullet', text: string, left: number, hanging: number, suffix = ''): string =>
  `<w:lvl w:ilvl="${ilvl}"><w:start w:val="1"/><w:numFmt w:val="${format}"/>${suffix}<w:lvlText w:val="${text}"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="${left}" w:hanging="${hanging}"/></w:pPr></w:lvl>`;

/**
 * word/numbering.xml: the headings' multilevel list (« 4 », « 4.2 », « 4.2.1 », each followed by
 * a tab), the bullet list, and the ordered list with one instance per list of the document, each
 * restarting at 1.
 */
export function numbering(orderedLists: number): string {
  const headings = ([1, 2, 3] as const)
    .map((l) => level(l - 1, 'decimal', Array.from({ length: l }, (_, i) => `%${i + 1}`).join('.'), HEADING_NUMBER_WIDTH, HEADING_NUMBER_WIDTH, '<w:suff w:val="tab"/>'))
    .join('');
  const ordered = Array.from(
    { length: orderedLists },
    (_, i) => `<w:num w:numId="${NUM.firstOrdered + i}"><w:abstractNumId w:val="${ABSTRACT.ordered}"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>`,
  ).join('');
  return (
    `${XML_DECLARATION}<w:numbering xmlns:w="${W_NS}">` +
    `<w:abstractNum w:abstractNumId="${ABSTRACT.headings}"><w:multiLevelType w:val="multilevel"/>${headings}</w:abstractNum>` +
    `<w:abstractNum w:abstractNumId="${ABSTRACT.bullet}"><w:multiLevelType w:val="singleLevel"/>${level(0, 'bullet', '•', 454, 227)}</w:abstractNum>` +
    `<w:abstractNum w:abstractNumId="${ABSTRACT.ordered}"><w:multiLevelType w:val="singleLevel"/>${level(0, 'decimal', '%1.', 454, 340)}</w:abstractNum>` +
    `<w:num w:numId="${NUM.headings}"><w:abstractNumId w:val="${ABSTRACT.headings}"/></w:num>` +
    `<w:num w:numId="${NUM.bullet}"><w:abstractNumId w:val="${ABSTRACT.bullet}"/></w:num>` +
    ordered +
    '</w:numbering>'
  );
}
