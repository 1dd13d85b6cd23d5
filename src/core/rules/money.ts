/**
 * Rounds euros to the cent, half away from zero, without binary floating-point surprises:
 * the value in cents is first cut to 12 significant digits, so 99.995 € (stored as
 * 99.99499999…) rounds to 100,00 € as a person would compute it, on every platform.
 */
export function roundCents(euros: number): number {
  const cents = Number((euros * 100).toPrecision(12));
  const rounded = Math.sign(cents) * Math.round(Math.abs(cents));
  return rounded / 100 + 0; // `+ 0` turns -0 into 0
}
