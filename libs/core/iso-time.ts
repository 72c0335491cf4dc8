/** Years 0000–9999: where `toISOString` has its fixed 24-character form that the fast path builds. */
const MAX_FIXED_FORM = 253_402_300_800_000;

let cachedMinute = NaN;
let cachedPrefix = '';

/**
 * `new Date(ts).toISOString()`, several times faster on runs of nearby timestamps (a track of
 * 10,000 points spent most of its serialisation here): the `YYYY-MM-DDTHH:MM:` prefix is reused
 * while the minute is the same, and only seconds and milliseconds are formatted.
 */
export function isoTime(ts: number): string {
  if (!(ts >= 0 && ts < MAX_FIXED_FORM) || !Number.isInteger(ts)) return new Date(ts).toISOString();
  const minute = Math.floor(ts / 60_000);
  if (minute !== cachedMinute) {
    cachedMinute = minute;
    cachedPrefix = new Date(minute * 60_000).toISOString().slice(0, 17);
  }
  const withinMinute = ts - minute * 60_000;
  const seconds = Math.floor(withinMinute / 1000);
  const ms = withinMinute - seconds * 1000;
  return `${cachedPrefix}${seconds < 10 ? '0' : ''}${seconds}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
}
