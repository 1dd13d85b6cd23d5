import { describe, expect, it } from 'vitest';
import { administrativeCourtOf, DEPARTMENTS_COVERED, departmentOfPostcode } from '#src/core/law/administrative-courts.ts';

describe('administrative court of a buyer (CJA R221-3)', () => {
  it('covers every metropolitan département once', () => {
    const expected = [...Array.from({ length: 95 }, (_, i) => String(i + 1).padStart(2, '0')).filter((d) => d !== '20'), '2A', '2B'].sort();
    expect([...DEPARTMENTS_COVERED].sort()).toEqual(expected);
  });

  it('reads the last postcode of an address, Corsica and overseas included', () => {
    expect(administrativeCourtOf('Mairie, 2 place de l’Église, 26420 Saint-Julien-des-Combes')).toBe('Tribunal administratif de Grenoble');
    expect(administrativeCourtOf('Hôtel du Département, 93000 Bobigny')).toBe('Tribunal administratif de Montreuil');
    expect(administrativeCourtOf('1 rue Jeanne-d’Arc, 45000 Orléans')).toBe('Tribunal administratif d’Orléans');
    expect(administrativeCourtOf('Cours Napoléon, 20000 Ajaccio')).toBe('Tribunal administratif de Bastia');
    expect(administrativeCourtOf('Rue de Paris, 97400 Saint-Denis')).toBe('Tribunal administratif de La Réunion');
    expect(administrativeCourtOf('92 boulevard, 13001 Marseille')).toBe('Tribunal administratif de Marseille');
    expect(departmentOfPostcode('20200')).toBe('2B');
    expect(administrativeCourtOf('Mairie')).toBeUndefined();
    expect(administrativeCourtOf(undefined)).toBeUndefined();
  });
});
