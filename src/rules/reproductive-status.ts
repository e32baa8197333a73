/**
 * Pregnancy and breastfeeding, read so that they end. A pregnancy problem-list entry that nobody
 * resolved must not mean "pregnant" forever (issue 9 #6): a pregnancy ends with an abatement, an
 * inactive clinical status, or one gestation (t.pregnancyStatusLookbackDays) after its onset or
 * recorded date. FDA label 8.1–8.2: no adequate human data in pregnancy or lactation, so either makes
 * Botox a specialist decision rather than a routine recommendation.
 */
import type { Condition, Observation } from 'fhir/r4';
import type { CompiledCodeSets } from './code-match';
import { clinicDateOf } from './clinic-calendar';
import { daysBetween } from './dates';
import type { IsoDate, ReproductiveEvidence } from './model';
import type { Thresholds } from './thresholds';
import { fieldOf, referenceTo, type Untrusted } from './untrusted';

/** The latest pregnancy and breastfeeding evidence seen so far; a status Observation's latest value wins. */
export class ReproductiveStatusReader {
  private pregnancyCondition: ReproductiveEvidence | undefined;
  private lactationCondition: ReproductiveEvidence | undefined;
  private pregnancyStatus: { date: IsoDate; positive: boolean; evidence: string } | undefined;
  private lactationStatus: { date: IsoDate; positive: boolean; evidence: string } | undefined;

  constructor(
    private readonly asOf: IsoDate,
    private readonly timeZone: string,
    private readonly codes: CompiledCodeSets,
    private readonly t: Thresholds,
  ) {}

  /** An active (already status-checked) Condition: pregnancy or lactation, unless it has ended. */
  addCondition(condition: Untrusted<Condition>): void {
    const { codes, t } = this;
    if (codes.pregnancyCondition.matches(condition.code)) {
      const found = this.current(condition, 'pregnancy-condition', t.pregnancyStatusLookbackDays);
      this.pregnancyCondition = latest(this.pregnancyCondition, found);
    }
    if (codes.lactationCondition.matches(condition.code)) {
      const found = this.current(condition, 'lactation-condition', t.breastfeedingLookbackDays);
      this.lactationCondition = latest(this.lactationCondition, found);
    }
  }

  /** A countable Observation dated `date` (on or before today); pregnancy / breastfeeding status only. */
  addObservation(obs: Untrusted<Observation>, date: IsoDate): boolean {
    const { codes } = this;
    const evidence = referenceTo('Observation', obs.id) ?? 'Observation';
    if (codes.pregnancyStatusObservation.matches(obs.code)) {
      const positive = codes.pregnantValue.matches(obs.valueCodeableConcept);
      this.pregnancyStatus = latestStatus(this.pregnancyStatus, { date, positive, evidence });
      return true;
    }
    if (codes.lactationStatusObservation.matches(obs.code)) {
      const positive = codes.lactatingValue.matches(obs.valueCodeableConcept);
      this.lactationStatus = latestStatus(this.lactationStatus, { date, positive, evidence });
      return true;
    }
    return false;
  }

  pregnancy(): ReproductiveEvidence | undefined {
    return (
      this.pregnancyCondition ??
      this.fromStatus(this.pregnancyStatus, 'pregnancy-status', this.t.pregnancyStatusLookbackDays)
    );
  }

  breastfeeding(): ReproductiveEvidence | undefined {
    return (
      this.lactationCondition ??
      this.fromStatus(this.lactationStatus, 'lactation-status', this.t.breastfeedingLookbackDays)
    );
  }

  private fromStatus(
    status: { date: IsoDate; positive: boolean; evidence: string } | undefined,
    kind: ReproductiveEvidence['kind'],
    lookbackDays: number,
  ): ReproductiveEvidence | undefined {
    if (!status?.positive) return undefined;
    if ((daysBetween(status.date, this.asOf) ?? Infinity) > lookbackDays) return undefined;
    return { kind, date: status.date, evidence: status.evidence };
  }

  /** The Condition as current evidence, or `undefined` when it has abated or is older than `lookbackDays`. */
  private current(
    condition: Untrusted<Condition>,
    kind: ReproductiveEvidence['kind'],
    lookbackDays: number,
  ): ReproductiveEvidence | undefined {
    if (hasAbated(condition, this.asOf, this.timeZone)) return undefined;
    const evidence = referenceTo('Condition', condition.id) ?? 'Condition';
    const date =
      clinicDateOf(condition.onsetDateTime, this.timeZone) ??
      clinicDateOf(fieldOf(condition.onsetPeriod, 'start'), this.timeZone) ??
      clinicDateOf(condition.recordedDate, this.timeZone);
    // Undated: kept (the cautious reading), and the card says it is undated.
    if (date === undefined) return { kind, evidence };
    const age = daysBetween(date, this.asOf);
    if (age === undefined || age > lookbackDays) return undefined;
    return { kind, date, evidence };
  }
}

/**
 * R4 `abatement[x]`: a dateTime on or before today, or any Age / Period / Range / string, means it ended.
 * A future abatement date (an expected end) does not.
 */
function hasAbated(condition: Untrusted<Condition>, asOf: IsoDate, timeZone: string): boolean {
  if (condition.abatementDateTime !== undefined) {
    const date = clinicDateOf(condition.abatementDateTime, timeZone);
    return date !== undefined && date <= asOf;
  }
  return (
    condition.abatementAge !== undefined ||
    condition.abatementPeriod !== undefined ||
    condition.abatementRange !== undefined ||
    condition.abatementString !== undefined
  );
}

function latest(
  a: ReproductiveEvidence | undefined,
  b: ReproductiveEvidence | undefined,
): ReproductiveEvidence | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return (b.date ?? '') > (a.date ?? '') ? b : a;
}

/** A later status replaces an earlier one; on a same-day tie the positive one wins (the cautious reading). */
function latestStatus<S extends { date: IsoDate; positive: boolean }>(prev: S | undefined, next: S): S {
  if (prev === undefined || next.date > prev.date) return next;
  if (next.date === prev.date && next.positive && !prev.positive) return next;
  return prev;
}
