// One CDS Hooks call as the demo EHR makes it (the chart's patient-view and the order panel's
// order-sign): POST the request, read the answer, time the round trip.

/** @returns {Promise<{ response: Response, text: string, ms: number }>} */
export async function postHook(url, request) {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(request),
  });
  const text = await response.text();
  return { response, text, ms: Math.round(performance.now() - started) };
}

/** The exchange as the page's "response" panel shows it. */
export function exchangeText({ response, text, ms }) {
  return `HTTP ${response.status} in ${ms} ms\n\n${text}`;
}
