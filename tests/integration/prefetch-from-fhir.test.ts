/**
 * End to end over HTTP, for every named scenario: the service must reach the same cards whether it
 * reads the FHIR server itself (fhirServer + fhirAuthorization, no prefetch) or gets a prefetch that
 * an EHR built from our own discovery templates against that same server. Both against the real
 * loopback FHIR server (Medplum in-memory store) holding ALL fixture patients, so a query that is not
 * scoped to the patient would pick up someone else's data and change the cards.
 *
 * One file, one FHIR server: Medplum's definitions indexing costs ~1 s per jest module registry.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import nock from 'nock';
import { composeApp } from '../../src/compose';
import { loadConfig } from '../../src/config';
import { startFhirServer, type RunningFhirServer } from '../../src/demo/fhir-server';
import { byClock, clockEnv, loadScenarios, type Scenario } from '../../src/demo/scenarios';
import { createLogger } from '../../src/logger';
import { fhirHookRequest, SERVICE_ID } from '../helpers/start-app';

const REPO_ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(REPO_ROOT, 'fixtures');
const TOKEN = 'integration-token';
const { scenarios } = loadScenarios(FIXTURES);

interface Bundle {
  resourceType: 'Bundle';
  type?: string;
  total?: number;
  entry?: unknown[];
  link?: { relation: string; url: string }[];
}
interface HookResponse {
  cards: { summary?: string; detail?: string; source?: { topic?: { code?: string } } }[];
}

/** What each path must show for scenarios whose data is more than diary and sessions (read from FHIR, not guessed). */
const EXPECTED_DETAIL: Readonly<Record<string, readonly string[]>> = {
  'cm-candidate-three-failed-preventives': [
    '| Antiepileptic | topiramate |',
    'stopped: Paraesthesia and cognitive slowing',
    '| Tricyclic antidepressant | amitriptyline |',
    ': 3 documented (topiramate, propranolol, amitriptyline) — met.',
  ],
  'cm-candidate-one-preventive-month': ['| Antiepileptic | topiramate |', '30 days', '**only 1 of 3 documented**'],
  'cm-candidate-on-erenumab': ['**On CGRP-targeting therapy now:** erenumab'],
  'retreatment-due-hyperhidrosis-100u': [
    'Toxin for other indications in the last 12 weeks: hyperhidrosis 100 U',
    'Cumulative dose: 255 U in the 84 days',
  ],
  'cm-candidate-short-headaches': [],
  'cm-candidate-prior-auth': [
    '#### Prior-authorization summary',
    'Diagnosis: chronic migraine coded on the problem list',
    '- Beta-blocker: propranolol,',
    'Headache duration: >=4 h recorded on 48 of 54 headache days; not recorded on 6',
  ],
};

let fhir: RunningFhirServer;
/** One service per clinic clock the scenarios are judged on (the pacific-* ones carry their own). */
const servers = new Map<string, http.Server>();
const serviceUrls = new Map<string, string>();
let templates: Record<string, string>;
const clockKey = (s: Scenario): string => JSON.stringify(clockEnv(s));

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  fhir = await startFhirServer({ seed: path.join(FIXTURES, 'fhir'), requiredToken: TOKEN, pageSize: 50 });
  // Larger FHIR budgets than production: the in-memory store scans every resource per search and CI
  // machines are shared; this test is about equivalence, not latency (the benchmark measures that).
  for (const [key, group] of byClock(scenarios)) {
    const config = loadConfig(
      {
        CDS_AUTH: 'off',
        ...clockEnv(group[0]),
        CDS_LOG_LEVEL: 'silent',
        CDS_FHIR_TIMEOUT_MS: '10000',
        CDS_REQUEST_DEADLINE_MS: '20000',
      },
      REPO_ROOT,
    );
    const server = http.createServer(composeApp(config, createLogger(config)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.set(key, server);
    serviceUrls.set(key, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
  const serviceUrl = [...serviceUrls.values()][0] ?? '?';

  // The EHR learns the prefetch templates from discovery, as in production.
  const discovery = (await (await fetch(`${serviceUrl}/cds-services`)).json()) as {
    services: { id: string; prefetch?: Record<string, string> }[];
  };
  templates = discovery.services.find((s) => s.id === SERVICE_ID)?.prefetch ?? {};
  expect(Object.keys(templates).length).toBeGreaterThan(0);
}, 30_000);

afterAll(async () => {
  for (const server of servers.values()) {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
  await fhir?.close();
  nock.cleanAll();
  nock.enableNetConnect();
});

/** The EHR side of prefetch tokens: only `{{context.patientId}}`-style context fields are needed here. */
function fill(template: string, context: Record<string, string>): string {
  return template.replace(/\{\{\s*context\.(\w+)\s*\}\}/g, (_m, field: string) => {
    const value = context[field];
    if (value === undefined) throw new Error(`template ${template}: no context.${field}`);
    return encodeURIComponent(value);
  });
}

async function fhirGet(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}`, accept: 'application/fhir+json' } });
  return { status: response.status, body: await response.json() };
}

/** Runs one prefetch query as an EHR would: reads as is (404 → null), searches with every page merged. */
async function runPrefetchQuery(query: string): Promise<unknown> {
  if (!query.includes('?')) {
    const { status, body } = await fhirGet(`${fhir.baseUrl}/${query}`);
    if (status === 404) return null;
    expect(status).toBe(200);
    return body;
  }
  const entries: unknown[] = [];
  let url: string | undefined = `${fhir.baseUrl}/${query}`;
  for (let pages = 0; url; pages++) {
    expect(pages).toBeLessThan(50);
    expect(url.startsWith(`${fhir.baseUrl}/`)).toBe(true);
    const { status, body } = await fhirGet(url);
    expect(status).toBe(200);
    const bundle = body as Bundle;
    entries.push(...(bundle.entry ?? []));
    url = bundle.link?.find((l) => l.relation === 'next')?.url;
  }
  return { resourceType: 'Bundle', type: 'searchset', total: entries.length, entry: entries };
}

/** Topic, summary and detail of every card, in topic order: what the clinician sees. */
type CardText = { topic: string; summary: string; detail: string };

async function callHook(scenario: Scenario, body: Record<string, unknown>): Promise<CardText[]> {
  const response = await fetch(`${serviceUrls.get(clockKey(scenario)) ?? '?'}/cds-services/${SERVICE_ID}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ hook: 'patient-view', hookInstance: crypto.randomUUID(), ...body }),
  });
  const text = await response.text();
  expect({ status: response.status, text: response.status === 200 ? '' : text }).toEqual({ status: 200, text: '' });
  return (JSON.parse(text) as HookResponse).cards
    .map((c) => ({ topic: c.source?.topic?.code ?? '<no topic>', summary: c.summary ?? '', detail: c.detail ?? '' }))
    .sort((a, b) => a.topic.localeCompare(b.topic));
}

function expectDetail(cards: readonly CardText[], scenario: string): void {
  const detail = cards.map((c) => c.detail).join('\n');
  for (const text of EXPECTED_DETAIL[scenario] ?? []) expect(detail).toContain(text);
}

describe.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
  const context = { userId: 'Practitioner/integration', patientId: scenario.patientId };
  const expected = [...scenario.expectedTopics].sort();
  let fromFhir: CardText[] | undefined;

  it('fhirServer + fhirAuthorization, no prefetch: the service reads FHIR itself', async () => {
    const before = fhir.requests.length;
    fromFhir = await callHook(scenario, fhirHookRequest(fhir.baseUrl, TOKEN, context));
    expect(fromFhir.map((c) => c.topic)).toEqual(expected);
    expectDetail(fromFhir, scenario.name);
    const made = fhir.requests.slice(before);
    expect(made.length).toBeGreaterThan(0);
    expect(made.filter((r) => !r.authorization || r.status !== 200)).toEqual([]);
  }, 60_000);

  it('prefetch built from the discovery templates, no fhirServer', async () => {
    const prefetch: Record<string, unknown> = {};
    for (const [key, template] of Object.entries(templates)) {
      prefetch[key] = await runPrefetchQuery(fill(template, context));
    }
    const cards = await callHook(scenario, { context, prefetch });
    expect(cards.map((c) => c.topic)).toEqual(expected);
    expectDetail(cards, scenario.name);
    // The same words either way, not only the same topics.
    if (fromFhir !== undefined) expect(cards).toEqual(fromFhir);
  }, 60_000);
});
