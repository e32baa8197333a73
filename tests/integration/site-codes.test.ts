/**
 * A site's own code (CDS_CLINICAL_CONFIG) reaches every query the service makes: discovery shows it in the
 * prefetch templates (an EHR fetches what discovery says) and the FHIR fallback asks the real FHIR server
 * (Medplum, as the demo runs it) for it, so a session coded only with it gives its card. Before the templates
 * were filled from the code sets, the rules knew the code but the query filtered the session out: no card.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFhirServer, type RunningFhirServer } from '../../src/demo/fhir-server';
import { DEFAULT_CODE_SETS, SYSTEM } from '../../src/rules/code-sets';
import { buildBotoxAdministration, buildPatient, PATIENT_ID, resetIds } from '../helpers/fhir-builders';
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

/** 155 U for chronic migraine 85 days before 2026-11-15, coded only with the site's code: re-treatment due. */
function chart(): { resourceType: 'Bundle'; entry: { resource: { resourceType: string } }[] } {
  resetIds();
  const administration = buildBotoxAdministration({ date: '2026-08-22', units: 155, reasonIcd10: 'G43.709' });
  const siteCoded = { ...administration, medicationCodeableConcept: { coding: [SITE_CODE] } };
  return { resourceType: 'Bundle', entry: [{ resource: buildPatient() }, { resource: siteCoded }] };
}

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
  fhir = await startFhirServer({ seed: [chart()], requiredToken: TOKEN });
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
