/**
 * "Order re-treatment": the suggestion on the due and overdue cards that creates the next cycle's draft
 * order, dated the earliest allowed day. The EHR shows it for the clinician to accept; accepting creates a
 * *draft* (CDS Hooks 2.0 §Action `create`), which the clinician completes and signs as any other order,
 * so it then passes the order-sign checks too.
 * @see https://cds-hooks.hl7.org/2.0/#action
 */
import type { MedicationRequest, ServiceRequest } from 'fhir/r4';
import type { RetreatmentOrderForm } from '../../clinical-config';
import type { Suggestion } from '../../cds/types';
import { SYSTEM, type CodeEntry, type CodeSets } from '../../rules/code-sets';
import type { IsoDate } from '../../rules/model';
import type { Thresholds } from '../../rules/thresholds';

export interface RetreatmentOrderPlan {
  readonly patientId: string;
  /** The earliest allowed day: last cycle + the interval, or today when that has passed. */
  readonly date: IsoDate;
  readonly lastCycleDate: IsoDate;
  readonly form: RetreatmentOrderForm;
}

const REASON = { text: 'Chronic migraine: onabotulinumtoxinA re-treatment (next cycle)' };

/** The first code of a set, the one an order is written with (sets list their preferred code first). */
function firstCode(codes: readonly CodeEntry[], what: string): CodeEntry {
  const code = codes[0];
  if (code === undefined) throw new Error(`code set ${what} is empty`); // refused by the configuration check
  return code;
}

function serviceRequest(plan: RetreatmentOrderPlan, codeSets: CodeSets, note: string): ServiceRequest {
  const cpt = firstCode(codeSets.migraineBotoxProcedure.codes, 'migraineBotoxProcedure');
  return {
    resourceType: 'ServiceRequest',
    status: 'draft',
    intent: 'order',
    code: { coding: [{ ...cpt }], text: 'OnabotulinumtoxinA chemodenervation for chronic migraine' },
    subject: { reference: `Patient/${plan.patientId}` },
    occurrenceDateTime: plan.date,
    reasonCode: [REASON],
    note: [{ text: note }],
  };
}

function medicationRequest(
  plan: RetreatmentOrderPlan,
  codeSets: CodeSets,
  t: Thresholds,
  note: string,
): MedicationRequest {
  const drug = firstCode(codeSets.onabotulinumtoxinA.codes, 'onabotulinumtoxinA');
  const units = t.migraineDoseMinUnits;
  return {
    resourceType: 'MedicationRequest',
    status: 'draft',
    intent: 'order',
    medicationCodeableConcept: { coding: [{ ...drug }], text: 'onabotulinumtoxinA (Botox)' },
    subject: { reference: `Patient/${plan.patientId}` },
    reasonCode: [REASON],
    dosageInstruction: [
      {
        text: `${units} Units intramuscularly, 31 sites × 5 Units (PREEMPT protocol)`,
        doseAndRate: [{ doseQuantity: { value: units, unit: 'U', system: SYSTEM.UCUM, code: 'U' } }],
      },
    ],
    dispenseRequest: { validityPeriod: { start: plan.date } },
    note: [{ text: note }],
  };
}

/**
 * The suggestion, with one `create` action.
 * @param plan - who, when, and which resource the site orders
 * @param newId - suggestion uuid (feedback names it in `acceptedSuggestions`)
 */
export function retreatmentOrderSuggestion(
  plan: RetreatmentOrderPlan,
  codeSets: CodeSets,
  t: Thresholds,
  newId: () => string,
): Suggestion {
  const note = `Next cycle from ${plan.date}: last cycle ${plan.lastCycleDate} + ${t.retreatmentIntervalDays} days (FDA label: every 12 weeks).`;
  const resource =
    plan.form === 'ServiceRequest' ? serviceRequest(plan, codeSets, note) : medicationRequest(plan, codeSets, t, note);
  const what = plan.form === 'ServiceRequest' ? 'procedure order (CPT 64615)' : `${t.migraineDoseMinUnits} U order`;
  return {
    label: `Order re-treatment for ${plan.date}`,
    uuid: newId(),
    isRecommended: true,
    actions: [
      {
        type: 'create',
        description: `Draft an onabotulinumtoxinA ${what} for ${plan.date}, the earliest allowed day`,
        resource,
      },
    ],
  };
}
