/**
 * The prefetch queries come from the code sets (src/cds/prefetch-codes.ts), checked against the real FHIR server
 * (Medplum, as the demo runs it), which filters by code as any server does:
 * - a site's own code (CDS_CLINICAL_CONFIG) reaches discovery (an EHR fetches what discovery says) and the FHIR
 *   fallback, so a session coded only with it gives its card; before, the rules knew the code but the query
 *   filtered the session out;
 * - the order services read every toxin procedure (spasticity CPT 64642 counts towards 400 U) and the
 *   breastfeeding status (LOINC 63895-7), which their hand-written queries left out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFhirServer, type RunningFhirServer } from '../../src/demo/fhir-server';
import { DEFAULT_CODE_SETS, SYSTEM } from '../../src/rules/code-sets';
import type { FhirResource } from 'fhir/r4';
import { BOTOX_ORDER_SIGN_ID } from '../../src/services/botox-orders';
import {
  buildBotoxAdministration,
  buildBotoxProcedure,
  buildPatient,
  PATIENT_ID,
  resetIds,
} from '../helpers/fhir-builders';
import { draftBundle, orderHookRequest, toxinMedicationRequest } from '../helpers/order-builders';
import {
  blockNetwork,
  fhirHookRequest,
  restoreNetwork,
  SERVICE_ID,
  startApp,
  type StartedApp,
} from '../helpers/start-app';

const TOKEN = 'site-codes-token';
// A made-up code standing for the site's RxNav-resolved one (no onabotulinumtoxinA CUI is shipped: README).
const SITE_CODE = { system: SYSTEM.RXNORM, code: '9999901', display: 'onabotulinumtoxinA (site code, test value)' };
const SITE_TOKEN = `${SYSTEM.RXNORM}|9999901`;

const ORDER_PATIENT = 'spastic-breastfeeding';
const bundleOf = (resources: readonly FhirResource[]) => ({
  resourceType: 'Bundle' as const,
  entry: resources.map((resource) => ({ resource })),
});

/** 155 U for chronic migraine 85 days before 2026-11-15, coded only with the site's code: re-treatment due. */
function siteCodedChart() {
  resetIds();
  const administration = buildBotoxAdministration({ date: '2026-08-22', units: 155, reasonIcd10: 'G43.709' });
  return bundleOf([buildPatient(), { ...administration, medicationCodeableConcept: { coding: [SITE_CODE] } }]);
}

/** 300 U for spasticity (CPT 64642) two weeks ago, and "currently breastfeeding" recorded last month. */
function orderChart() {
  const subject = { reference: `Patient/${ORDER_PATIENT}` };
  return bundleOf([
    buildPatient({ id: ORDER_PATIENT }),
    { ...buildBotoxProcedure('2026-11-01', '64642'), subject },
    buildBotoxAdministration({ date: '2026-11-01', units: 300, reasonIcd10: 'G81.10', patientId: ORDER_PATIENT }),
    {
      resourceType: 'Observation',
      id: 'breastfeeding-status',
      status: 'final',
      code: { coding: [{ system: SYSTEM.LOINC, code: '63895-7' }] },
      subject,
      effectiveDateTime: '2026-10-20',
      valueCodeableConcept: { coding: [{ system: SYSTEM.LOINC, code: 'LA29252-6' }] },
    },
  ]);
}

const fhirAccess = () => ({
  fhirServer: fhir.baseUrl,
  fhirAuthorization: {
    access_token: TOKEN,
    token_type: 'Bearer',
    expires_in: 300,
    scope: 'patient/*.read',
    subject: 'cds',
  },
});

let dir: string;
let fhir: RunningFhirServer;
const apps: StartedApp[] = [];

async function appWith(clinical: object | undefined): Promise<StartedApp> {
  const env: Record<string, string> = {
    CDS_CLOCK_DATE: '2026-11-15',
    CDS_LOG_LEVEL: 'silent',
    CDS_FHIR_TIMEOUT_MS: '10000',
    CDS_REQUEST_DEADLINE_MS: '20000',
  };
  if (clinical !== undefined) {
    env.CDS_CLINICAL_CONFIG = path.join(dir, `clinical-${apps.length}.json`);
    fs.writeFileSync(env.CDS_CLINICAL_CONFIG, JSON.stringify(clinical));
  }
  const app = await startApp({ env, real: {} });
  apps.push(app);
  return app;
}

const siteConfig = {
  codeSets: { onabotulinumtoxinA: { codes: [...DEFAULT_CODE_SETS.onabotulinumtoxinA.codes, SITE_CODE] } },
};

async function topicsFrom(app: StartedApp): Promise<string[]> {
  const res = await fetch(`${app.baseUrl}/cds-services/${SERVICE_ID}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fhirHookRequest(fhir.baseUrl, TOKEN, { patientId: PATIENT_ID })),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { cards: { source: { topic?: { code: string } } }[] };
  return body.cards.map((c) => c.source.topic?.code ?? '');
}

beforeAll(async () => {
  blockNetwork();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'site-codes-'));
  fhir = await startFhirServer({ seed: [siteCodedChart(), orderChart()], requiredToken: TOKEN });
}, 30_000);

afterAll(async () => {
  for (const app of apps) await app.close();
  await fhir?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  restoreNetwork();
});

test("When a site adds its RxNorm code, then every service's discovery template asks for it", async () => {
  const app = await appWith(siteConfig);

  const { services } = (await (await fetch(`${app.baseUrl}/cds-services`)).json()) as {
    services: { id: string; prefetch: Record<string, string> }[];
  };

  expect(services.map((s) => [s.id, s.prefetch.botoxAdministrations?.includes(SITE_TOKEN)])).toEqual(
    services.map((s) => [s.id, true]),
  );
});

test('When a site adds its RxNorm code, then the FHIR fallback asks for it and the session coded with it gives its card', async () => {
  const app = await appWith(siteConfig);
  const before = fhir.requests.length;

  const topics = await topicsFrom(app);

  const query = fhir.requests.slice(before).find((r) => r.path.includes('/MedicationAdministration?'));
  expect(query?.path).toContain(SITE_TOKEN);
  expect(topics).toEqual(['botox-retreatment-due']);
});

test('When the site has not configured the code, then the session is not read and no card shows (control)', async () => {
  const app = await appWith(undefined);

  expect(await topicsFrom(app)).toEqual([]);
});

test('When an order is signed with nothing prefetched, then spasticity toxin and the breastfeeding status are read from FHIR', async () => {
  const app = await appWith(undefined);
  const draft = toxinMedicationRequest({ units: 155, plannedDate: '2026-11-30', patientId: ORDER_PATIENT });
  const request = orderHookRequest({ hook: 'order-sign', draftOrders: draftBundle(draft), patientId: ORDER_PATIENT });

  const res = await fetch(`${app.baseUrl}/cds-services/${BOTOX_ORDER_SIGN_ID}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...request, prefetch: undefined, ...fhirAccess() }),
  });

  expect(res.status).toBe(200);
  const { cards } = (await res.json()) as { cards: { summary: string; source: { topic?: { code: string } } }[] };
  const topics = cards.map((c) => c.source.topic?.code);
  expect(topics).toEqual(expect.arrayContaining(['botox-order-cumulative-dose', 'botox-order-pregnancy']));
  expect(cards.find((c) => c.source.topic?.code === 'botox-order-cumulative-dose')?.summary).toContain('455 U');
});
