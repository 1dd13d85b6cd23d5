/**
 * The offer deadline as the buyer types it (a date and a time in Paris, `datetime-local`) and as
 * the request states it (ISO 8601 with its UTC offset: 2026-11-06T12:00:00+01:00). The offset is
 * Paris's on that date (CET or CEST), whatever the time zone of the browser.
 */
const PARIS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** Paris's offset from UTC, in minutes, at the instant whose UTC wall time is `utcMillis`. */
function parisOffsetMinutes(utcMillis: number): number {
  const parts = Object.fromEntries(PARIS.formatToParts(new Date(utcMillis)).map((p) => [p.type, p.value]));
  const asParis = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  return Math.round((asParis - utcMillis) / 60_000);
}

/** « 2026-11-06T12:00 » (Paris) → « 2026-11-06T12:00:00+01:00 »; '' → undefined; anything else as typed (the API names it). */
export function deadlineFromField(local: string): string | undefined {
  if (local.trim() === '') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})$/.exec(local.trim());
  if (!m) return local.trim();
  const wall = Date.parse(`${m[1]}:00Z`);
  // The offset at the wall time read as UTC, then once more at the instant it gives (DST changes).
  const offset = parisOffsetMinutes(wall - parisOffsetMinutes(wall) * 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${m[1]}:00${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The field's value for a stated deadline: its wall time in Paris. */
export function deadlineToField(iso: string | undefined): string {
  if (!iso) return '';
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) return iso;
  const parts = Object.fromEntries(PARIS.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}
