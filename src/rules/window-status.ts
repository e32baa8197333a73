/**
 * Status arithmetic shared by daily and count windows (ICHD-3 1.3 criteria A and C as bounds).
 */
import type { ThresholdStatus, WindowStatus } from './model';

/**
 * met when the lower bound reaches the threshold; not-met when even the upper bound falls short.
 * @param lower - days known to qualify
 * @param upper - days that could qualify if every unknown day did
 */
export function boundStatus(lower: number, upper: number, threshold: number): ThresholdStatus {
  if (lower >= threshold) return 'met';
  if (upper < threshold) return 'not-met';
  return 'unknown';
}

/** ICHD-3 1.3 needs both criterion A (headache days) and C (migraine days). */
export function combinedStatus(headache: ThresholdStatus, migraine: ThresholdStatus): WindowStatus {
  if (headache === 'not-met' || migraine === 'not-met') return 'does-not-qualify';
  if (headache === 'met' && migraine === 'met') return 'qualifies';
  return 'indeterminate';
}
