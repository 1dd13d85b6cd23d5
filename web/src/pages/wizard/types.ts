import type { Criterion, Framework, Offer, ValidationResult } from '../../api.ts';
import type { Draft } from '../../draft.ts';
import type { LiveCheck } from '../../validation.ts';

export interface WizardCatalogue {
  /** Latest version of each framework. */
  frameworks: Framework[];
  offers: Offer[];
  /** The version the draft names, once loaded. */
  framework: Framework | undefined;
  /** Its pinned criteria by id. */
  criteria: Map<string, Criterion>;
}

export interface StepProps {
  draft: Draft;
  catalogue: WizardCatalogue;
  check: LiveCheck | undefined;
  /** The API's last answer on a complete request (estimate, findings); stale while the draft is incomplete or being checked. */
  validated: { result: ValidationResult; stale: boolean } | undefined;
  /** Applies a change to a copy of the draft. */
  update(change: (draft: Draft) => void): void;
  /** The API's message for a request path, once the field was visited or the step submitted. */
  error(path: string): string | undefined;
  touch(path: string): void;
}
