import * as z from 'zod';

/** The school levels a purchase equips (funding programmes and some requirements depend on it). */
export const SchoolLevelSchema = z.enum(['primary', 'college', 'lycee']);
export type SchoolLevel = z.infer<typeof SchoolLevelSchema>;

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
