/**
 * `chronic-migraine-botox` (patient-view): the patient's FHIR data → facts → rules → cards.
 * Only the clinical composition lives here; loading, validation and the clock are the kernel's.
 */
import { renderCard } from '../cards/render';
import type { ServiceFactory, ServiceModule } from '../cds/service-module';
import { evaluate, extractFacts, type Finding } from '../rules';

export const CHRONIC_MIGRAINE_BOTOX_ID = 'chronic-migraine-botox';

export const chronicMigraineBotox: ServiceFactory = ({ clinical }): ServiceModule<'patient-view', Finding> => {
  const { thresholds, codeSets, preventives } = clinical;
  return {
    id: CHRONIC_MIGRAINE_BOTOX_ID,
    hook: 'patient-view',
    evaluate: (patient, _context, clock) =>
      evaluate(
        extractFacts(Object.values(patient).flat(), clock, codeSets, thresholds, preventives),
        clock,
        thresholds,
      ),
    render: (finding, ctx) => renderCard(finding, { newId: ctx.newId, thresholds }),
  };
};
