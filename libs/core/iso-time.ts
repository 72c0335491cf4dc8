/** ISO-8601 date-time with a required offset (Z or ±hh:mm); seconds and fractions optional. */
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/;

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * Epoch milliseconds of a strict ISO-8601 date-time, or null. Date.parse alone rolls
 * 2026-02-30 over to 2 March and reads a date without offset in the server's time zone.
 */
export function parseIsoWithOffset(raw: string): number | null {
  const m = ISO_WITH_OFFSET.exec(raw);
  if (!m) return null;
  const [year, month, day, hour, minute, second, offH, offM] = m.slice(1).map((v) => Number(v ?? 0));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59 || offH > 23 || offM > 59) return null;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? null : ms;
}
