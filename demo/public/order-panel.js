// The demo EHR's "sign order" panel: a draft onabotulinumtoxinA order the user edits (planned date,
// units), sent to the real `botox-order-sign` service as an EHR fires `order-sign`, with the cards
// rendered like the chart's. Accepting a suggestion applies its action to the draft: the too-early
// card's `update` replaces the draft (same id, new date), as an EHR would.
import { renderCards } from './cards.js';
import { buildPrefetch } from './fhir.js';
import { exchangeText, postHook } from './hook-call.js';

const ORDER_SERVICE = 'botox-order-sign';
const DRAFT_ID = 'demo-botox-draft';
const J0585 = {
  system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
  code: 'J0585',
  display: 'Injection, onabotulinumtoxinA, 1 unit',
};
const CHRONIC_MIGRAINE = {
  system: 'http://hl7.org/fhir/sid/icd-10-cm',
  code: 'G43.709',
  display: 'Chronic migraine without aura',
};

const $ = (id) => document.getElementById(id);

/** The draft MedicationRequest as the form describes it (a blank units field means "no dose stated"). */
export function draftFrom(patientId, plannedDate, units) {
  const draft = {
    resourceType: 'MedicationRequest',
    id: DRAFT_ID,
    status: 'draft',
    intent: 'order',
    medicationCodeableConcept: { coding: [J0585], text: 'onabotulinumtoxinA (Botox)' },
    subject: { reference: `Patient/${patientId}` },
    reasonCode: [{ coding: [CHRONIC_MIGRAINE] }],
  };
  if (Number.isFinite(units) && units > 0)
    draft.dosageInstruction = [
      {
        text: `${units} Units IM`,
        doseAndRate: [{ doseQuantity: { value: units, unit: 'U', system: 'http://unitsofmeasure.org', code: 'U' } }],
      },
    ];
  if (plannedDate) draft.dispenseRequest = { validityPeriod: { start: plannedDate } };
  return draft;
}

/** Planned date and units of a draft (MedicationRequest or ServiceRequest), for the form. */
function fieldsOf(resource) {
  const date =
    resource?.dispenseRequest?.validityPeriod?.start ??
    resource?.occurrenceDateTime ??
    resource?.occurrencePeriod?.start;
  const dose = resource?.dosageInstruction?.[0]?.doseAndRate?.[0]?.doseQuantity?.value;
  return {
    date: typeof date === 'string' ? date.slice(0, 10) : undefined,
    units: typeof dose === 'number' ? dose : undefined,
  };
}

/**
 * @param config - the demo config (FHIR base, asOf)
 * @param newId - hookInstance source
 * @param reader - the page's FHIR reader (fhir.js), for prefetch
 * @param prefetchOn - whether the page's "Send prefetch" toggle is on
 */
export function createOrderPanel({ config, newId, reader, prefetchOn }) {
  const state = { patientId: undefined, draft: undefined, generation: 0, templates: undefined, base: '' };

  /** The order service's prefetch templates, from discovery (read once). */
  async function templates() {
    if (state.templates === undefined) {
      const response = await fetch('/cds-services', { headers: { accept: 'application/json' } });
      const discovery = await response.json();
      state.templates = discovery.services.find((s) => s.id === ORDER_SERVICE)?.prefetch ?? {};
    }
    return state.templates;
  }

  function setStatus(text) {
    $('order-status').textContent = text;
  }

  function showDraft() {
    const { date, units } = fieldsOf(state.draft);
    $('order-date').value = date ?? '';
    $('order-units').value = units === undefined ? '' : String(units);
    $('order-draft').textContent = JSON.stringify(state.draft, null, 2);
  }

  function readForm() {
    const units = $('order-units').value.trim() === '' ? undefined : Number($('order-units').value);
    state.draft = draftFrom(state.patientId, $('order-date').value, units);
  }

  async function sendFeedback(items) {
    const response = await fetch(`${state.base}/cds-services/${ORDER_SERVICE}/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ feedback: items }),
    });
    return { status: response.status, text: (await response.text()).slice(0, 300) };
  }

  /** Applies an accepted suggestion's actions to the draft: an update or create of a Botox order replaces it. */
  function apply(suggestion) {
    const changed = (suggestion.actions ?? []).filter(
      (a) => (a.type === 'update' && a.resource?.id === state.draft?.id) || a.type === 'create',
    );
    if (changed.length === 0) return false;
    const { date, units } = fieldsOf(changed[0].resource);
    if (changed[0].type === 'update') state.draft = changed[0].resource;
    else state.draft = draftFrom(state.patientId, date, units ?? fieldsOf(state.draft).units);
    showDraft();
    setStatus(`Applied “${suggestion.label}” to the draft: planned ${date ?? 'today'}. Sign again to re-check.`);
    return true;
  }

  async function sign(event) {
    event?.preventDefault();
    if (!state.patientId) return;
    readForm();
    showDraft();
    const generation = ++state.generation;
    const context = {
      userId: 'Practitioner/demo',
      patientId: state.patientId,
      draftOrders: { resourceType: 'Bundle', type: 'collection', entry: [{ resource: state.draft }] },
    };
    const request = { hook: 'order-sign', hookInstance: newId(), fhirServer: config.fhirBaseUrl, context };
    const cards = $('order-cards');
    cards.setAttribute('aria-busy', 'true');
    setStatus('Calling order-sign…');
    try {
      if (prefetchOn()) {
        const { userId, patientId } = context;
        ({ prefetch: request.prefetch } = await buildPrefetch(reader, await templates(), { userId, patientId }));
      }
      $('order-request').textContent = JSON.stringify(request, null, 2);
      const exchange = await postHook(`${state.base}/cds-services/${ORDER_SERVICE}`, request);
      const { response, text, ms } = exchange;
      if (generation !== state.generation) return;
      $('order-response').textContent = exchangeText(exchange);
      if (!response.ok) {
        cards.replaceChildren();
        setStatus(`order-sign answered HTTP ${response.status}: ${text.slice(0, 300)}`);
        return;
      }
      const body = JSON.parse(text);
      renderCards(cards, body.cards, sendFeedback, apply);
      setStatus(`order-sign answered in ${ms} ms, ${body.cards?.length ?? 0} card(s).`);
    } catch (err) {
      if (generation === state.generation) setStatus(`order-sign failed: ${err.message}`);
    } finally {
      if (generation === state.generation) cards.setAttribute('aria-busy', 'false');
    }
  }

  $('order-form').addEventListener('submit', sign);

  return {
    /**
     * A chart was opened: a fresh draft for this patient, planned on the clinic's today with the label dose.
     * @param base - the service base of the patient's clinic ('' or e.g. /demo/clinic/1)
     * @param today - that clinic's date
     */
    openPatient(patientId, base = '', today = config.asOf) {
      state.patientId = patientId;
      state.base = base;
      state.generation++;
      state.draft = draftFrom(patientId, today, 155);
      $('order-sign').disabled = !patientId;
      $('order-cards').replaceChildren();
      $('order-request').textContent = '';
      $('order-response').textContent = '';
      showDraft();
      setStatus('Edit the draft and sign it: the EHR then calls order-sign.');
    },
    /** A suggestion accepted on a chart card ("Order re-treatment") becomes the draft. */
    apply,
  };
}
