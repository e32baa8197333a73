/**
 * `chronic-migraine-botox` (patient-view): the patient's FHIR data → facts → rules → cards.
 * Only the clinical composition lives here; loading, validation and the clock are the kernel's.
 * The due and overdue cards carry "Order re-treatment" (a `create` of the next cycle's draft order).
 */
import { DEFAULT_ORDER_SETTINGS } from '../clinical-config';
import { retreatmentOrderSuggestion, type RetreatmentOrderPlan } from '../cards/actions/retreatment-order';
import { renderCard } from '../cards/render';
import type { ClinicClock, ServiceFactory, ServiceModule } from '../cds/service-module';
import { evaluate, extractFacts, type Finding } from '../rules';

export const CHRONIC_MIGRAINE_BOTOX_ID = 'chronic-migraine-botox';

/** A finding, with the draft order to suggest when it is a due/overdue card. */
export type PatientViewFinding = Finding & { readonly reorder?: RetreatmentOrderPlan };

/**
 * The next cycle's plan for a due or overdue finding: dated the earliest allowed day (never in the past).
 * None when pregnancy is recorded: that is a specialist decision, not a routine re-order.
 */
function reorderPlan(
  finding: Finding,
  patientId: string,
  clock: ClinicClock,
  form: RetreatmentOrderPlan['form'],
): RetreatmentOrderPlan | undefined {
  if (finding.kind !== 'botox-retreatment-due' && finding.kind !== 'botox-retreatment-overdue') return undefined;
  if (finding.pregnant) return undefined;
  const date = finding.earliestNextCycle > clock.today ? finding.earliestNextCycle : clock.today;
  return { patientId, date, lastCycleDate: finding.lastCycle.date, form };
}

export const chronicMigraineBotox: ServiceFactory = ({
  clinical,
}): ServiceModule<'patient-view', PatientViewFinding> => {
  const { thresholds, codeSets, preventives } = clinical;
  const form = (clinical.orders ?? DEFAULT_ORDER_SETTINGS).retreatmentOrder;
  return {
    id: CHRONIC_MIGRAINE_BOTOX_ID,
    hook: 'patient-view',
    evaluate: (patient, context, clock) =>
      evaluate(
        extractFacts(Object.values(patient).flat(), clock, codeSets, thresholds, preventives),
        clock,
        thresholds,
      ).map((finding) => {
        const reorder = reorderPlan(finding, context.patientId, clock, form);
        return reorder === undefined ? finding : { ...finding, reorder };
      }),
    render: (finding, ctx) => {
      const card = renderCard(finding, {
        newId: ctx.newId,
        thresholds,
        ...(ctx.patientId === undefined ? {} : { patientId: ctx.patientId }),
      });
      if (finding.reorder === undefined) return card;
      const order = retreatmentOrderSuggestion(finding.reorder, codeSets, thresholds, ctx.newId);
      const suggestions = [order, ...(card.suggestions ?? [])];
      // selectionBehavior is required whenever suggestions are present (CDS Hooks 2.0); ordering the next
      // cycle and saving the prior-authorization summary are independent, so both may be accepted.
      return { ...card, suggestions, selectionBehavior: suggestions.length > 1 ? 'any' : 'at-most-one' };
    },
  };
};
