/**
 * Every fixture scenario through the real app over HTTP: prefetch as an EHR sends it, and the FHIR
 * fallback (no prefetch) against a nock-mocked FHIR server that checks the bearer token.
 */
import path from 'node:path';
import nock from 'nock';
import type { Bundle, FhirResource } from 'fhir/r4';
import type { CdsResponse } from '../../src/cds/types';
import { byClock, clockEnv, loadScenarios } from '../../src/demo/scenarios';
import { fixture } from '../helpers/fixtures';
import { REPO_ROOT, SERVICE_ID, useStartedApp, type StartedApp } from '../helpers/start-app';

const { asOf: AS_OF, scenarios } = loadScenarios(path.join(REPO_ROOT, 'fixtures'));
const FHIR_BASE = 'https://fhir.example.org';
const FHIR_PATH = '/r4';

const topicsOf = (body: CdsResponse): string[] => body.cards.map((c) => c.source.topic?.code ?? '?').sort();

async function callHook(app: StartedApp, body: unknown): Promise<{ status: number; body: CdsResponse }> {
  const res = await fetch(`${app.baseUrl}/cds-services/${SERVICE_ID}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as CdsResponse };
}

/** Serves one scenario's resources as an EHR's FHIR server would, only to the expected bearer token. */
function mockFhirServer(bundleName: string, token: string): nock.Scope {
  const resources = (fixture<Bundle>(`fhir/${bundleName}.bundle.json`).entry ?? []).map(
    (e) => e.resource as FhirResource,
  );
  const searchset = (type: string): Bundle => ({
    resourceType: 'Bundle',
    type: 'searchset',
    entry: resources.filter((r) => r.resourceType === type).map((resource) => ({ resource })),
  });
  return nock(FHIR_BASE, { reqheaders: { authorization: `Bearer ${token}` } })
    .get(/\/r4\/Patient\/[^?]+$/)
    .reply(
      200,
      resources.find((r) => r.resourceType === 'Patient'),
    )
    .get(/\/r4\/Observation\?/)
    .reply(200, searchset('Observation'))
    .get(/\/r4\/Procedure\?/)
    .reply(200, searchset('Procedure'))
    .get(/\/r4\/MedicationAdministration\?/)
    .reply(200, searchset('MedicationAdministration'))
    .get(/\/r4\/Condition\?/)
    .reply(200, searchset('Condition'))
    .get(/\/r4\/MedicationRequest\?/)
    .reply(200, searchset('MedicationRequest'))
    .get(/\/r4\/MedicationStatement\?/)
    .reply(200, searchset('MedicationStatement'))
    .get(/\/r4\/AllergyIntolerance\?/)
    .reply(200, searchset('AllergyIntolerance'));
}

// One service per clinic clock the scenarios are judged on (the pacific-* ones carry their own).
describe.each([...byClock(scenarios).values()].map((group) => [JSON.stringify(clockEnv(group[0])), group] as const))(
  'fixture scenarios over HTTP, clock %s',
  (_clock, group) => {
    const app = useStartedApp({ env: clockEnv(group[0]), real: {} });
    it.each(group.map((s) => [s.name, s] as const))(
      'When the EHR prefetches %s, then the cards are the expected topics',
      async (name, scenario) => {
        const { status, body } = await callHook(app(), fixture(`requests/${name}.json`));
        expect(status).toBe(200);
        expect(topicsOf(body)).toEqual([...scenario.expectedTopics].sort());
      },
    );
  },
);

describe('fixture requests over HTTP', () => {
  const app = useStartedApp({ env: { CDS_CLOCK_DATE: AS_OF }, real: {} });
  afterEach(() => nock.cleanAll());

  it('When nothing is prefetched, then the service reads the FHIR server with the bearer token and gives the same cards', async () => {
    const request = fixture<{ context: { patientId: string }; fhirAuthorization: { access_token: string } }>(
      'requests/prefetch-absent.json',
    );
    const scope = mockFhirServer(request.context.patientId, request.fhirAuthorization.access_token);
    const { status, body } = await callHook(app(), request);
    expect(status).toBe(200);
    expect(topicsOf(body)).toEqual(['chronic-migraine-candidate']);
    expect(scope.isDone()).toBe(true);
  });

  it('When nothing is prefetched and no fhirServer is given, then 412 names the missing keys', async () => {
    const { status, body } = await callHook(app(), fixture('requests/no-fhir-access.json'));
    expect(status).toBe(412);
    expect(body).toMatchObject({ error: 'precondition-failed' });
  });

  it('When the FHIR server answers 500, then the answer is 200 with no cards and a warning is logged', async () => {
    const request = fixture<object>('requests/prefetch-absent.json');
    nock(FHIR_BASE)
      .get(new RegExp(`^${FHIR_PATH}/`))
      .times(5)
      .reply(500, { resourceType: 'OperationOutcome' });
    const { status, body } = await callHook(app(), request);
    expect(status).toBe(200);
    expect(body.cards).toEqual([]);
    expect(
      app()
        .logs()
        .some((l) => l.msg === 'FHIR data unavailable; answering with no cards'),
    ).toBe(true);
  });

  it('When a card is returned, then it conforms to CDS Hooks 2.0 (uuid, summary ≤140, indicator, source with topic)', async () => {
    const { body } = await callHook(app(), fixture('requests/response-inadequate.json'));
    for (const card of body.cards) {
      expect(card.uuid).toMatch(/^[0-9a-f-]{36}$/);
      expect(card.summary.length).toBeLessThanOrEqual(140);
      expect(['info', 'warning', 'critical']).toContain(card.indicator);
      expect(card.source.label).toBeTruthy();
      expect(card.source.topic?.code).toBe('botox-response-inadequate');
    }
  });

  it('When a call is logged, then the log holds the hookInstance and topics but no patient data or token', async () => {
    const request = fixture<{ context: { patientId: string }; fhirAuthorization: { access_token: string } }>(
      'requests/prefetch-absent.json',
    );
    mockFhirServer(request.context.patientId, request.fhirAuthorization.access_token);
    await callHook(app(), request);
    await callHook(app(), fixture('requests/cm-candidate.json'));
    const text = app().logText();
    expect(text).toContain('chronic-migraine-candidate');
    expect(text).not.toContain(request.fhirAuthorization.access_token);
    expect(text).not.toContain('1980-05-17');
    expect(text).not.toMatch(/"valueBoolean"|Example|"given"/);
  });
});
