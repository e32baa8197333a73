// The demo EHR: pick a synthetic patient, draw their headache diary, and fire `patient-view` at the
// real CDS service exactly as an EHR would (fhirServer = the real FHIR base URL, no prefetch unless
// the toggle is on), then render the cards.
import { renderCards } from './cards.js';
import { legendText, renderChart, renderTable } from './chart.js';
import { medicationRows, renderMedicationTable } from './preventives.js';
import { buildPrefetch, createFhirReader } from './fhir.js';
import { exchangeText, postHook } from './hook-call.js';
import { createOrderPanel } from './order-panel.js';

const $ = (id) => document.getElementById(id);
const state = { config: null, scenarios: [], reader: null, discovery: null, generation: 0, orders: null };

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // Non-secure contexts lack randomUUID; build a v4 UUID from getRandomValues.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

async function getJson(url) {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return response.json();
}

function setStatus(text) {
  $('status').textContent = text;
}

function showError(container, text) {
  container.replaceChildren();
  const p = document.createElement('p');
  p.className = 'error';
  p.setAttribute('role', 'alert');
  p.textContent = text;
  container.append(p);
}

function showScenario(scenario) {
  $('scenario-info').hidden = false;
  $('scenario-description').textContent = scenario.description;
  const clock = $('scenario-clock');
  clock.hidden = scenario.clock === undefined;
  clock.textContent = scenario.clock
    ? `Judged by a clinic in ${scenario.clock.timeZone} at ${scenario.clock.instant} (its date: ${scenario.asOf}); its hooks go to ${scenario.serviceBase}/cds-services.`
    : '';
  const topics = $('scenario-topics');
  topics.replaceChildren();
  if (scenario.expectedTopics.length === 0) topics.textContent = 'none (no card)';
  scenario.expectedTopics.forEach((t, k) => {
    const code = document.createElement('span');
    code.className = 'topic';
    code.textContent = t;
    topics.append(...(k > 0 ? [', ', code] : [code]));
  });
}

/** The site (service base) that judges this patient: '' or a clinic with its own clock (src/demo/demo-app.ts). */
const serviceBase = (patientId) => state.scenarios.find((s) => s.patientId === patientId)?.serviceBase ?? '';

async function drawDiary(patientId, generation) {
  const host = $('chart-host');
  try {
    // The service's own reading of the diary: the page draws it and computes nothing.
    const chart = await getJson(`/demo/chart/${encodeURIComponent(patientId)}`);
    if (generation !== state.generation) return; // another patient was chosen meanwhile
    host.replaceChildren(renderChart(chart));
    document.body.dataset.chart = patientId; // lets tests wait for this patient's chart
    const legend = $('chart-legend');
    legend.replaceChildren(document.createTextNode(legendText(chart) + ' '));
    for (const [cls, text] of [
      ['headache', 'headache days'],
      ['migraine', 'migraine days'],
      ['injection', 'Botox migraine cycle'],
      ['injection-other', 'toxin for another indication (not a cycle)'],
    ]) {
      const swatch = document.createElement('span');
      swatch.className = `swatch ${cls}`;
      swatch.setAttribute('aria-hidden', 'true');
      legend.append(swatch, text);
    }
    legend.append('. Dashed lines: ICHD-3 thresholds (15 headache / 8 migraine days a month).');
    $('chart-table').replaceChildren(renderTable(chart));
  } catch (err) {
    if (generation === state.generation) showError(host, `Could not read the diary: ${err.message}`);
  }
}

/** Prior preventives beside the diary: the record's prescriptions, statements and intolerances. */
async function drawMedications(patientId, generation) {
  const host = $('medications');
  const subject = encodeURIComponent(`Patient/${patientId}`);
  try {
    const r = state.reader;
    const [requests, statements, allergies] = await Promise.all([
      r.searchAll(`MedicationRequest?subject=${subject}&_count=100`).then(r.resources),
      r.searchAll(`MedicationStatement?subject=${subject}&_count=100`).then(r.resources),
      r.searchAll(`AllergyIntolerance?patient=${subject}&_count=100`).then(r.resources),
    ]);
    if (generation !== state.generation) return;
    host.replaceChildren(renderMedicationTable(medicationRows(requests, statements, allergies)));
  } catch (err) {
    if (generation === state.generation) showError(host, `Could not read the medication history: ${err.message}`);
  }
}

async function callHook(patientId, generation) {
  const cards = $('cards');
  const context = { userId: 'Practitioner/demo', patientId };
  const request = { hook: 'patient-view', hookInstance: uuid(), fhirServer: state.config.fhirBaseUrl, context };
  let notes = [];
  cards.setAttribute('aria-busy', 'true');
  try {
    if ($('send-prefetch').checked) {
      state.discovery ??= await getJson('/cds-services');
      const service = state.discovery.services.find((s) => s.id === state.config.serviceId);
      if (!service) throw new Error(`service ${state.config.serviceId} is not in discovery`);
      ({ prefetch: request.prefetch, notes } = await buildPrefetch(state.reader, service.prefetch, context));
    }
    $('hook-request').textContent = JSON.stringify(request, null, 2);
    const exchange = await postHook(
      `${serviceBase(patientId)}/cds-services/${encodeURIComponent(state.config.serviceId)}`,
      request,
    );
    const { response, text, ms } = exchange;
    if (generation !== state.generation) return;
    $('hook-response').textContent = exchangeText(exchange);
    if (!response.ok) {
      showError(cards, `CDS service answered HTTP ${response.status} ${response.statusText}\n${text.slice(0, 500)}`);
      setStatus(`Hook call failed (HTTP ${response.status}).`);
      return;
    }
    const body = JSON.parse(text);
    // "Order re-treatment" on a chart card becomes the draft of the sign-order panel.
    renderCards(
      cards,
      body.cards,
      (items) => sendFeedback(patientId, items),
      (s) => state.orders?.apply(s) ?? false,
    );
    const how = request.prefetch
      ? `with prefetch (${Object.keys(request.prefetch).length} keys)`
      : 'without prefetch: the service read the FHIR server';
    setStatus(
      `patient-view answered in ${ms} ms, ${body.cards?.length ?? 0} card(s), ${how}.${notes.length ? ` Prefetch notes: ${notes.join('; ')}` : ''}`,
    );
  } catch (err) {
    if (generation === state.generation) {
      showError(cards, `Hook call failed: ${err.message}`);
      setStatus('Hook call failed.');
    }
  } finally {
    if (generation === state.generation) cards.setAttribute('aria-busy', 'false');
  }
}

async function sendFeedback(patientId, items) {
  const response = await fetch(
    `${serviceBase(patientId)}/cds-services/${encodeURIComponent(state.config.serviceId)}/feedback`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ feedback: items }),
    },
  );
  return { status: response.status, text: (await response.text()).slice(0, 300) };
}

/** Opening a chart is what fires patient-view in an EHR. */
function openChart() {
  const patientId = $('patient-select').value;
  const generation = ++state.generation;
  $('reload').disabled = !patientId;
  if (!patientId) return;
  const scenario = state.scenarios.find((s) => s.patientId === patientId);
  if (scenario) showScenario(scenario);
  setStatus(`Opening the chart of ${patientId}…`);
  const loading = document.createElement('p');
  loading.className = 'muted';
  loading.textContent = 'Calling the CDS service…';
  $('cards').replaceChildren(loading);
  $('hook-request').textContent = '';
  $('hook-response').textContent = '';
  state.orders?.openPatient(patientId, serviceBase(patientId), scenario?.asOf ?? state.config.asOf);
  void drawDiary(patientId, generation);
  void drawMedications(patientId, generation);
  void callHook(patientId, generation);
}

async function init() {
  try {
    [state.config, state.scenarios] = await Promise.all([getJson('config.json'), getJson('scenarios.json')]);
  } catch (err) {
    showError($('cards'), `The demo could not start: ${err.message}`);
    return;
  }
  state.reader = createFhirReader(state.config);
  state.orders = createOrderPanel({
    config: state.config,
    newId: uuid,
    reader: state.reader,
    prefetchOn: () => $('send-prefetch').checked,
  });
  $('as-of').textContent = state.config.asOf;
  const select = $('patient-select');
  const placeholder = new Option('Choose a patient…', '');
  select.replaceChildren(
    placeholder,
    ...state.scenarios.map((s) => new Option(`${s.name} (${s.expectedTopics.join(', ') || 'no card'})`, s.patientId)),
  );
  select.addEventListener('change', openChart);
  $('reload').addEventListener('click', openChart);
  $('send-prefetch').addEventListener('change', () => {
    if (select.value) openChart();
  });
  const wanted = new URLSearchParams(window.location.search).get('patient');
  if (wanted && state.scenarios.some((s) => s.patientId === wanted)) {
    select.value = wanted;
    openChart();
  }
  document.body.dataset.ready = 'true'; // lets tests wait for initialisation
}

void init();
