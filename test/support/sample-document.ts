/**
 * A realistic, deterministic CCTP-like DocumentModel for renderer tests and benchmarks:
 * chapters with paragraphs (bold, italic and code runs), lists, requirement tables
 * (ID / Exigence / Seuil / Niveau / Justificatif) with one detail sub-section per requirement,
 * French accents, "≥"/"≤" thresholds and Intl fr-FR amounts (which contain U+202F).
 * No randomness: the same options always give the same model.
 */
import type { Block, DocumentModel, HeadingBlock, Run } from '#src/core/documents/blocks.ts';

export interface SampleOptions {
  /** Total number of requirement rows, spread over the technical sections. */
  requirementRows: number;
  /** Number of technical sections (one requirement table each); default 5. */
  sections?: number;
}

const money = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });

/** "1 234,50 €" with U+202F as thousands separator and U+00A0 before the euro sign. */
export const formatEuros = (amount: number): string => money.format(amount);

interface Category {
  readonly prefix: string;
  readonly title: string;
  readonly intro: string;
}

const CATEGORIES: readonly Category[] = [
  { prefix: 'TAB', title: 'Tablettes des élèves', intro: 'Les tablettes sont destinées aux élèves du cycle 3 ; elles sont utilisées en classe et, le cas échéant, à domicile.' },
  { prefix: 'PCP', title: 'Ordinateurs portables des enseignants', intro: 'Chaque enseignant dispose d’un ordinateur portable relié au vidéoprojecteur ou à l’écran interactif de la classe.' },
  { prefix: 'CHG', title: 'Classes mobiles et chariots de recharge', intro: 'Les chariots assurent le stockage sécurisé, la recharge et la synchronisation des équipements mobiles.' },
  { prefix: 'WIF', title: 'Bornes d’accès sans fil', intro: 'Le réseau sans fil couvre les salles de classe, la bibliothèque et la salle polyvalente de chaque école.' },
  { prefix: 'ENI', title: 'Écrans numériques interactifs', intro: 'Les écrans remplacent les tableaux blancs interactifs en fin de vie ; ils sont fixés au mur ou sur pied réglable.' },
  { prefix: 'MDM', title: 'Gestion de flotte (MDM)', intro: 'La solution de gestion de flotte permet le déploiement des applications et la sécurisation des terminaux.' },
  { prefix: 'SRV', title: 'Services d’installation et de formation', intro: 'Les prestations comprennent la livraison, la mise en service, la formation et l’accompagnement des équipes.' },
];

interface RequirementTemplate {
  readonly label: string;
  readonly text: string;
  readonly threshold: string;
  readonly proof: string;
}

const REQUIREMENTS: readonly RequirementTemplate[] = [
  { label: 'Stockage utilisateur', text: 'L’équipement dispose d’un espace de stockage utilisateur, hors système d’exploitation et applications préinstallées.', threshold: '≥ 32 Go', proof: 'Fiche technique du constructeur' },
  { label: 'Autonomie', text: 'L’autonomie en usage mixte (navigation, vidéo, bureautique) couvre une journée de classe sans recharge.', threshold: '≥ 8 h', proof: 'Rapport d’essai d’un laboratoire indépendant' },
  { label: 'Masse', text: 'La masse de l’équipement, coque de protection comprise, permet son transport par un élève de cycle 3.', threshold: '≤ 1,2 kg', proof: 'Fiche technique et attestation du titulaire' },
  { label: 'Diagonale de l’écran', text: 'L’écran permet la lecture de documents et l’usage d’applications pédagogiques en pleine page.', threshold: '≥ 10 pouces', proof: 'Fiche technique du constructeur' },
  { label: 'Mémoire vive', text: 'La mémoire vive permet l’exécution simultanée du navigateur, d’une application de lecture et d’un outil de prise de notes.', threshold: '≥ 4 Go', proof: 'Fiche technique du constructeur' },
  { label: 'Débit Wi-Fi', text: 'L’équipement est compatible avec la norme IEEE 802.11ax et atteint le débit indiqué en conditions de classe.', threshold: '≥ 600 Mbit/s', proof: 'Certificat Wi-Fi Alliance' },
  { label: 'Niveau sonore', text: 'Le niveau sonore en fonctionnement ne gêne pas l’activité de la classe, ventilation comprise.', threshold: '≤ 35 dB(A)', proof: 'Déclaration ECMA-370 (TED)' },
  { label: 'Durée de garantie', text: 'La garantie couvre les pièces, la main-d’œuvre et le déplacement, avec retour sur site de l’équipement réparé.', threshold: '≥ 3 ans', proof: 'Conditions générales de garantie' },
  { label: 'Indice de réparabilité', text: 'L’indice de réparabilité affiché conformément à la réglementation française atteint au moins le seuil indiqué.', threshold: '≥ 7,5 / 10', proof: 'Fiche de l’indice de réparabilité' },
  { label: 'Délai d’intervention', text: 'Le titulaire intervient sur site dans le délai indiqué à compter de la déclaration d’incident sur le portail.', threshold: '≤ 2 jours ouvrés', proof: 'Engagement de service signé' },
];

const LEVELS = ['Obligatoire', 'Apprécié', 'Obligatoire', 'Souhaitable'] as const;

const text = (t: string): Run => ({ text: t });
const bold = (t: string): Run => ({ text: t, bold: true });
const italic = (t: string): Run => ({ text: t, italic: true });
const code = (t: string): Run => ({ text: t, code: true });
const paragraph = (...runs: Run[]): Block => ({ type: 'paragraph', runs });

export function sampleDocument(opts: SampleOptions): DocumentModel {
  const sections = Math.max(1, Math.floor(opts.sections ?? 5));
  const rows = Math.max(0, Math.floor(opts.requirementRows));
  const blocks: Block[] = [];
  const counters = [0, 0, 0];
  const heading = (level: 1 | 2 | 3, title: string): void => {
    counters[level - 1]! += 1;
    counters.fill(0, level);
    const number = counters.slice(0, level).join('.');
    const block: HeadingBlock = { type: 'heading', level, number, text: title, anchor: `sec-${number.replace(/\./g, '-')}` };
    blocks.push(block);
  };

  heading(1, 'Objet et étendue du marché');
  blocks.push(
    paragraph(
      text('Le présent cahier des clauses techniques particulières (CCTP) a pour objet la fourniture, la livraison, l’installation et la maintenance d’'),
      bold('équipements numériques éducatifs'),
      text(' destinés aux écoles élémentaires de la commune. Il précise les exigences minimales, éliminatoires, et les exigences appréciées au titre du critère « valeur technique ».'),
    ),
    paragraph(
      text('Les caractéristiques sont exprimées sous forme de seuils : « ≥ 32 Go » signifie au moins 32 gigaoctets, « ≤ 1,2 kg » au plus 1,2 kilogramme. '),
      italic('Toute offre ne respectant pas une exigence obligatoire est écartée'),
      text(' ; la conformité est attestée par les justificatifs listés dans chaque tableau.'),
    ),
    {
      type: 'list',
      ordered: false,
      items: [
        [text('la fourniture des matériels décrits au chapitre 3, neufs et de dernière génération ;')],
        [text('la mise en service sur site, le paramétrage et l’enrôlement dans l’outil de gestion de flotte ;')],
        [text('la formation des enseignants et l’accompagnement des équipes pendant la première année ;')],
        [text('la garantie et la maintenance pendant toute la durée du marché, pièces et main-d’œuvre comprises.')],
      ],
    },
  );

  heading(1, 'Contexte et existant');
  heading(2, 'Établissements concernés');
  blocks.push(
    paragraph(
      text('La commune compte quatre écoles élémentaires et une école maternelle, soit 42 classes et environ 1 050 élèves. Les bâtiments, construits entre 1962 et 2011, présentent des murs épais qui contraignent la couverture sans fil : l’étude de couverture préalable est à la charge du titulaire.'),
    ),
    {
      type: 'table',
      header: [[text('École')], [text('Classes')], [text('Élèves')], [text('Budget prévisionnel')]],
      align: ['left', 'right', 'right', 'right'],
      rows: [
        ['École élémentaire Jean-Jaurès', 12, 298, 84_250.5],
        ['École élémentaire Marie-Curie', 10, 251, 71_900],
        ['École élémentaire Les Tilleuls', 8, 196, 55_430.75],
        ['École élémentaire du Centre (façade rénovée)', 7, 170, 49_875],
        ['École maternelle Œillets-et-Capucines', 5, 135, 22_615.2],
      ].map(([name, classes, pupils, budget]) => [[text(String(name))], [text(String(classes))], [text(String(pupils))], [text(formatEuros(Number(budget)))]]),
    },
  );
  heading(2, 'Infrastructure réseau existante');
  blocks.push(
    paragraph(
      text('Chaque école est raccordée en fibre optique (1 Gbit/s symétrique). Le cœur de réseau est un commutateur administrable ; les VLAN pédagogiques et administratifs sont séparés. Le serveur DHCP répond sur '),
      code('10.42.0.1/16'),
      text(' et le filtrage est assuré par le proxy académique.'),
    ),
  );

  heading(1, 'Exigences techniques');
  blocks.push(
    paragraph(
      text('Les tableaux suivants récapitulent les exigences par famille d’équipements. Le niveau '),
      bold('Obligatoire'),
      text(' désigne une exigence minimale ; les niveaux '),
      bold('Apprécié'),
      text(' et '),
      bold('Souhaitable'),
      text(' sont notés au titre de la valeur technique. Chaque exigence est ensuite détaillée avec ses modalités de vérification.'),
    ),
  );
  let row = 0;
  for (let s = 0; s < sections; s++) {
    const category = CATEGORIES[s % CATEGORIES.length]!;
    const count = Math.floor(rows / sections) + (s < rows % sections ? 1 : 0);
    const title = s < CATEGORIES.length ? category.title : `${category.title} — lot ${Math.floor(s / CATEGORIES.length) + 1}`;
    heading(2, title);
    blocks.push(paragraph(text(category.intro)));
    const requirements = Array.from({ length: count }, (_, i) => {
      const template = REQUIREMENTS[(row + i) % REQUIREMENTS.length]!;
      return { id: `${category.prefix}-${String(i + 1).padStart(2, '0')}`, template, level: LEVELS[(row + i) % LEVELS.length]! };
    });
    row += count;
    blocks.push({
      type: 'table',
      header: [[text('ID')], [text('Exigence')], [text('Seuil')], [text('Niveau')], [text('Justificatif')]],
      align: ['left', 'left', 'center', 'left', 'left'],
      rows: requirements.map(({ id, template, level }) => [
        [code(id)],
        [bold(`${template.label}. `), text(template.text)],
        [text(template.threshold)],
        [text(level)],
        [text(template.proof)],
      ]),
    });
    for (const { id, template, level } of requirements) {
      heading(3, `${id} — ${template.label}`);
      blocks.push(
        paragraph(
          text(`${template.text} Le seuil retenu est `),
          bold(template.threshold),
          text(` ; l’exigence est de niveau « ${level.toLowerCase()} ». Le candidat précise dans son mémoire technique la valeur atteinte par le modèle proposé, la méthode de mesure employée et, le cas échéant, les conditions d’essai (température, luminosité, réseau).`),
        ),
        paragraph(italic('Justificatif attendu : '), text(`${template.proof.toLowerCase()}, en français ou accompagné d’une traduction.`)),
      );
    }
  }

  heading(1, 'Services associés');
  heading(2, 'Livraison et mise en service');
  blocks.push(
    {
      type: 'list',
      ordered: true,
      items: [
        [text('Livraison sur rendez-vous, du lundi au vendredi entre 8 h et 16 h, hors vacances scolaires.')],
        [text('Déballage, installation et évacuation des emballages vers une filière de recyclage agréée.')],
        [text('Enrôlement de chaque équipement dans la console de gestion, avec le numéro d’inventaire '), code('INV-AAAA-NNNNN'), text('.')],
        [text('Recette contradictoire en présence du référent numérique de l’école.')],
      ],
    },
  );
  heading(2, 'Formation des enseignants');
  blocks.push(
    paragraph(
      text('Le titulaire propose au moins deux demi-journées de formation par école, animées par un formateur ayant une expérience de l’enseignement primaire. Les supports sont remis sous licence ouverte et en français.'),
    ),
  );

  heading(1, 'Garantie et maintenance');
  blocks.push(
    paragraph(
      text('La garantie court à compter de la recette. Les demandes sont déposées sur un portail accessible 24 h/24 ; chaque demande reçoit un identifiant de la forme '),
      code('RMA-2026-000123'),
      text('. '),
      bold('Aucun frais'),
      text(' n’est facturé pendant la période de garantie, '),
      italic('y compris le transport'),
      text('.'),
    ),
  );

  heading(1, 'Décomposition du prix');
  blocks.push(
    paragraph(text('Les montants ci-dessous sont indicatifs et exprimés toutes taxes comprises ; ils servent à la vérification de la cohérence des offres.')),
    {
      type: 'table',
      header: [[text('Poste')], [text('Quantité')], [text('Prix unitaire')], [text('Montant')]],
      align: ['left', 'right', 'right', 'right'],
      rows: [
        ['Tablette avec coque et stylet', 420, 389.9],
        ['Ordinateur portable enseignant', 48, 1_234.5],
        ['Chariot de recharge 32 places', 14, 2_890],
        ['Écran numérique interactif 75 pouces', 42, 4_150.75],
        ['Licence de gestion de flotte (3 ans)', 468, 36],
      ].map(([label, quantity, unit]) => [
        [text(String(label))],
        [text(String(quantity))],
        [text(formatEuros(Number(unit)))],
        [text(formatEuros(Number(quantity) * Number(unit)))],
      ]),
    },
    paragraph(text('Montant total indicatif : '), bold(formatEuros(420 * 389.9 + 48 * 1_234.5 + 14 * 2_890 + 42 * 4_150.75 + 468 * 36)), text('.')),
  );

  return {
    meta: {
      title: 'CCTP — Équipement numérique des écoles élémentaires',
      subject: 'Cahier des clauses techniques particulières',
      author: 'Commune de Saint-Léger-sur-Œuvre',
      keywords: ['CCTP', 'numérique éducatif', 'tablettes', 'écoles'],
      language: 'fr-FR',
      createdAt: '2026-03-02T09:30:00.000Z',
    },
    cover: {
      kicker: 'Cahier des clauses techniques particulières',
      title: 'Acquisition et maintenance d’équipements numériques pour les écoles élémentaires',
      facts: [
        { label: 'Acheteur', value: 'Commune de Saint-Léger-sur-Œuvre' },
        { label: 'Procédure', value: 'Procédure adaptée (articles L. 2123-1 et R. 2123-1 du code de la commande publique)' },
        { label: 'Référence', value: 'ENE-2026-014' },
        { label: 'Montant estimé', value: formatEuros(284_071.45) },
        { label: 'Exigences', value: `${rows} exigences en ${sections} sections` },
      ],
      footnote: 'Document généré par Cahier à partir des critères de référence du ministère ; il ne peut être modifié qu’après validation par l’acheteur.',
    },
    footerText: 'CCTP ENE-2026-014 — Équipement numérique des écoles',
    blocks,
  };
}
