/**
 * The school levels a purchase equips (funding programmes and some requirements depend on them).
 * No zod here: the web app imports these functions, and its bundle leaves zod out.
 */
export const SCHOOL_LEVELS = ['primary', 'college', 'lycee'] as const;
export type SchoolLevel = (typeof SCHOOL_LEVELS)[number];

/** « écoles », « collèges », « lycées ». */
export const SCHOOL_LEVEL_LABELS: Record<SchoolLevel, string> = { primary: 'écoles', college: 'collèges', lycee: 'lycées' };

/** The school levels a buyer type equips when the request does not say (C3: an EPLE is a collège or a lycée). */
export function defaultSchoolLevels(type: string): SchoolLevel[] {
  switch (type) {
    case 'municipality':
    case 'intercommunal':
      return ['primary'];
    case 'department':
      return ['college'];
    case 'region':
      return ['lycee'];
    case 'school':
      return ['college', 'lycee'];
    default:
      return [];
  }
}

/** The school levels a buyer equips: those its request names, else its type's default. */
export function schoolLevelsOf(buyer: { type: string; schoolLevels?: readonly SchoolLevel[] | undefined }): SchoolLevel[] {
  return buyer.schoolLevels ? [...buyer.schoolLevels] : defaultSchoolLevels(buyer.type);
}
