/**
 * The clinic clock at the edge: the instant of the call (real, or pinned for demos and tests) placed
 * in the clinic's zone. The rules get the result as data and never read the time themselves.
 */
import type { AppConfig } from './config';
import { noonOn, type ClinicClock } from './rules/clinic-calendar';

/** The clock for one call in `timeZone` (CDS_TIMEZONE, or the calling client's `timezone`). */
export type ClinicClockSource = (timeZone: string) => ClinicClock;

/**
 * CDS_CLOCK_INSTANT pins the instant; CDS_CLOCK_DATE pins "today" (noon of that date in the call's
 * zone, so the date holds in every zone); otherwise the real clock.
 * @param now - the real clock (tests inject one)
 */
export function clockFor(
  config: Pick<AppConfig, 'clockDate' | 'clockInstant'>,
  now: () => number = Date.now,
): ClinicClockSource {
  const { clockDate, clockInstant } = config;
  if (clockInstant !== undefined) {
    const instant = Date.parse(clockInstant);
    return (timeZone) => ({ instant, timeZone });
  }
  if (clockDate !== undefined) return (timeZone) => ({ instant: noonOn(clockDate, timeZone), timeZone });
  return (timeZone) => ({ instant: now(), timeZone });
}
