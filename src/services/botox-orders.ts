/**
 * `botox-order-sign` (order-sign) and `botox-order-select` (order-select): the onabotulinumtoxinA orders
 * in `draftOrders` → order checks → cards. order-sign judges every toxin order of the session;
 * order-select judges the ones in `selections` (the rest of the session still counts towards the
 * cumulative dose). Only the clinical composition lives here; validation, data and the clock are the kernel's.
 */
import { renderOrderCard, type OrderCardFinding } from '../cards/orders/render-order';
import type { OrderSelectContext, OrderSignContext } from '../cds/hooks';
import type { ClinicClock, ScreenResult, ServiceFactory, ServiceModule } from '../cds/service-module';
import { extractFacts } from '../rules';
import { compileCodeSets } from '../rules/code-match';
import { indicationLabel } from '../rules/cumulative-dose';
import type { PatientFacts } from '../rules/model';
import { readDraftOrders, selectedOrders, type DraftOrdersResult } from '../rules/orders/draft-orders';
import type { GivenToxinSession, ToxinOrder } from '../rules/orders/model';
import { checkOrders } from '../rules/orders/order-checks';
import type { ClinicalConfig } from '../clinical-config';

export const BOTOX_ORDER_SIGN_ID = 'botox-order-sign';
export const BOTOX_ORDER_SELECT_ID = 'botox-order-select';

type OrderContext = OrderSignContext | OrderSelectContext;

/** Every toxin session on record, any indication (issue 9's fact), for the cumulative ceiling. */
function givenSessions(facts: PatientFacts): GivenToxinSession[] {
  return facts.toxinSessions.map((session) => ({
    date: session.date,
    ...(session.doseUnits === undefined ? {} : { doseUnits: session.doseUnits }),
    indication: indicationLabel(session.indication, 'not stated'),
    evidence: session.sources.join(', '),
  }));
}

function createOrderModule<H extends 'order-sign' | 'order-select'>(
  id: string,
  hook: H,
  clinical: ClinicalConfig,
  judged: (orders: readonly ToxinOrder[], context: OrderContext) => readonly ToxinOrder[],
): ServiceModule<H, OrderCardFinding> {
  const { thresholds, codeSets, preventives } = clinical;
  const codes = compileCodeSets(codeSets);
  const read = (context: OrderContext, clock: ClinicClock): DraftOrdersResult =>
    readDraftOrders({
      draftOrders: context.draftOrders,
      patientId: context.patientId,
      today: clock.today,
      timeZone: clock.timeZone,
      codes,
    });
  return {
    id,
    hook,
    screen: (context, clock): ScreenResult => {
      const result = read(context, clock);
      return result.ok
        ? { problems: [], needsPatientData: judged(result.orders, context).length > 0 }
        : { problems: result.problems, needsPatientData: false };
    },
    evaluate: (patient, context, clock) => {
      const result = read(context, clock);
      if (!result.ok) return []; // unreachable: screen() answered 400
      const orders = judged(result.orders, context);
      if (orders.length === 0) return [];
      const facts = extractFacts(Object.values(patient).flat(), clock, codeSets, thresholds, preventives);
      const findings = checkOrders(orders, result.orders, {
        facts,
        given: givenSessions(facts),
        // LOINC 63895-7 status and ICD-10-CM Z39.1 (src/rules/indication-code-sets.ts).
        breastfeeding: facts.isBreastfeeding,
        today: clock.today,
        thresholds,
      });
      return findings.map((f) => ({ ...f, draft: result.resources[f.order.entryIndex] }));
    },
    render: (finding, ctx) => renderOrderCard(finding, { newId: ctx.newId, thresholds }),
  };
}

export const botoxOrderSign: ServiceFactory = ({ clinical }) =>
  createOrderModule(BOTOX_ORDER_SIGN_ID, 'order-sign', clinical, (orders) => orders);

export const botoxOrderSelect: ServiceFactory = ({ clinical }) =>
  createOrderModule(BOTOX_ORDER_SELECT_ID, 'order-select', clinical, (orders, context) =>
    'selections' in context ? selectedOrders(orders, context.selections) : [],
  );
