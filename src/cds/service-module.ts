/**
 * What a CDS service is made of on this kernel (architecture.md §6.5): its discovery definition is data
 * (`cds-services/<id>.json`), its logic is pure. A module never sees express, a FHIR client or the network:
 * the kernel validates the hook's context, loads the patient's data (prefetch or FHIR), reads the clock
 * and hands the module plain values.
 */
import type { FhirResource } from 'fhir/r4';
import type { IdSource } from '../cards/card-table';
import type { ClinicalConfig } from '../clinical-config';
import type { ClinicClock as RulesClinicClock } from '../rules/clinic-calendar';
import type { HookContexts, HookName } from './hooks';
import type { Card } from './types';

/**
 * The patient's resources, per prefetch key of the service's definition, already checked by the kernel:
 * complete (every page), never about another patient, each key present (`[]` when there is no data).
 */
export type PatientData = Readonly<Record<string, readonly FhirResource[]>>;

/**
 * The clock a module sees: the call's instant and the clinic's IANA zone (what the rules take, see
 * src/rules/clinic-calendar.ts), plus the calendar date "today" they give, for modules that need only that.
 */
export interface ClinicClock extends RulesClinicClock {
  readonly now: Date;
  /** ISO calendar date (YYYY-MM-DD) of `instant` in `timeZone`: the clinic's today, never the UTC date. */
  readonly today: string;
}

/** What rendering needs from the kernel: card uuids (CDS Hooks 2.0: they come back in feedback). */
export interface RenderContext extends IdSource {
  /** The hook context's patient (every hook has one): a suggestion that creates a resource names it as subject. */
  readonly patientId?: string;
}

/** Anything a module concludes; `kind` is the card's stable `source.topic.code`. */
export interface ServiceFinding {
  readonly kind: string;
}

/** What a module says about a call before any data is loaded (see {@link ServiceModule.screen}). */
export interface ScreenResult {
  /** Client errors beyond the hook's schema (answered 400, before any FHIR request). */
  readonly problems: readonly string[];
  /** False when nothing in the context concerns this service (e.g. no toxin order): `{"cards": []}` at once. */
  readonly needsPatientData: boolean;
}

/**
 * One CDS service. `id` and `hook` must match its definition file (checked at start-up).
 * Methods are pure: same inputs, same output; no clock, environment, network or logging.
 */
export interface ServiceModule<H extends HookName = HookName, F extends ServiceFinding = ServiceFinding> {
  readonly id: string;
  readonly hook: H;
  /** The patient's data and the hook's (validated) context → findings, in the order the cards are shown. */
  evaluate(patient: PatientData, context: HookContexts[H], clock: ClinicClock): readonly F[];
  /**
   * Optional: checks the (schema-valid) context before the patient's data is loaded, so bad input is a 400
   * and an irrelevant call (an order-sign with no order this service judges) costs no FHIR request.
   */
  screen?(context: HookContexts[H], clock: ClinicClock): ScreenResult;
  /** One finding → one card. */
  render(finding: F, ctx: RenderContext): Card;
}

/** What a module is built from at start-up (validated configuration). */
export interface ServiceSettings {
  readonly clinical: ClinicalConfig;
}

/** Builds a module from the settings; `compose` keeps the list of these (src/services/index.ts). */
export type ServiceFactory = (settings: ServiceSettings) => ServiceModule;
