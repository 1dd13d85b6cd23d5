import { ValidationError } from '#src/core/model/errors.ts';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { RulesOutcome } from '#src/core/rules/evaluate.ts';
import type { DocumentModel } from './blocks.ts';
import { consultationFacts, contractTerms, type CcapContext } from './ccap-context.ts';
import { processesPersonalData } from './cctp-context.ts';
import { coverFacts, documentMeta } from './cover.ts';
import { parseMarkup } from './markup.ts';
import type { TemplateRenderer } from './templates.ts';

/** The catalogue criterion stating where the data is hosted; the annex prints its threshold in force. */
const HOSTING_CRITERION = 'mdm.hosting';

export interface DpaContext extends Pick<CcapContext, 'title' | 'reference' | 'buyer' | 'consultationDate' | 'procedure'> {
  contract: CcapContext['contract'];
  singleLot: boolean;
  lots: Array<{
    number: number;
    title: string;
    /** What the lot's processing is for, from its items. */
    services: string[];
    /** « Union européenne », from the lot's hosting requirement, with its reference; null when the lot has none. */
    hosting: { value: string; reference: string } | null;
  }>;
  breachNotification: string | null;
}

/** Whether the file needs the annex: a lot processes personal data (DOMAIN.md C18). */
export function needsDataProcessingAnnex(tender: ResolvedTender): boolean {
  return tender.lots.some(processesPersonalData);
}

const SERVICES: Record<string, string> = {
  mdm: 'la gestion de la flotte d’équipements (inscription, inventaire, déploiement d’applications et de réglages, verrouillage et effacement à distance) et l’assistance aux utilisateurs',
  'server-storage': 'l’hébergement et la mise à disposition de ressources pédagogiques et des comptes qui y accèdent',
};

export function buildDpaContext(tender: ResolvedTender): DpaContext {
  const { request } = tender;
  const hours = request.administrative?.breachNotificationHours;
  return {
    ...consultationFacts(tender),
    contract: contractTerms(tender),
    singleLot: tender.lots.length === 1,
    lots: tender.lots.filter(processesPersonalData).map((lot) => {
      const hosting = lot.requirements.find((r) => r.criterion?.id === HOSTING_CRITERION);
      return {
        number: lot.number,
        title: lot.title,
        services: [...new Set(lot.lines.map((l) => SERVICES[l.item.category]).filter((s): s is string => s !== undefined))],
        hosting: hosting && hosting.metric.type === 'enum' ? { value: hosting.metric.value, reference: hosting.reference } : null,
      };
    }),
    breachNotification: hours === undefined ? null : `${hours} heures`,
  };
}

/**
 * The data-processing annex to the CCAP (GDPR art. 28), for the lots whose items process pupils'
 * or staff's personal data; a file without such a lot has none (the generation refuses the format).
 */
export function buildDpaDocument(tender: ResolvedTender, _rules: RulesOutcome, engine: TemplateRenderer): DocumentModel {
  const { request } = tender;
  if (!needsDataProcessingAnnex(tender)) {
    throw new ValidationError([{ path: 'formats', message: 'no lot processes personal data (fleet management, hosting): the file has no data-processing annex; leave out dpa' }]);
  }
  return {
    meta: documentMeta(tender, {
      title: `Annexe RGPD — ${request.title}`,
      subject: `Annexe au CCAP relative à la protection des données personnelles (article 28 du RGPD) — ${request.buyer.name}`,
      keywords: ['RGPD', 'sous-traitance de données', 'article 28', 'annexe au CCAP'],
    }),
    cover: {
      kicker: 'Annexe au CCAP — protection des données personnelles',
      title: request.title,
      facts: coverFacts(tender, { framework: false }),
      footnote: 'Pièce contractuelle : elle fixe les obligations du titulaire en qualité de sous-traitant au sens de l’article 28 du RGPD.',
    },
    footerText: request.reference ? `Annexe RGPD ${request.reference}` : `Annexe RGPD — ${request.buyer.name}`,
    blocks: parseMarkup(engine.render('annexe-rgpd', buildDpaContext(tender))),
  };
}
