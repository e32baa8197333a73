/**
 * The service places "today" in the caller's zone: CDS_TIMEZONE by default, the verified client's
 * registry `timezone` when it has one (a multi-site EHR), at the instant of the call.
 */
import path from 'node:path';
import pino from 'pino';
import { clockFor } from '../../src/clock';
import { createServiceHandler } from '../../src/cds/kernel';
import { loadServiceDefinition } from '../../src/cds/registry';
import { chronicMigraineBotox } from '../../src/services/chronic-migraine-botox';
import { DEFAULT_CODE_SETS, DEFAULT_THRESHOLDS } from '../../src/rules';
import type { CdsResponse } from '../../src/cds/types';
import { buildBotoxProcedure, buildPatient, resetIds } from '../helpers/fhir-builders';
import { REPO_ROOT, SERVICE_ID } from '../helpers/start-app';

const definition = loadServiceDefinition(path.join(REPO_ROOT, 'cds-services'), SERVICE_ID, DEFAULT_CODE_SETS);

function handlerAt(instant: string, timeZone: string) {
  const module = chronicMigraineBotox({ clinical: { thresholds: DEFAULT_THRESHOLDS, codeSets: DEFAULT_CODE_SETS } });
  return createServiceHandler(module, {
    clock: clockFor({ clockInstant: instant }),
    timeZone,
    newId: () => 'id',
    gatewayFactory: () => {
      throw new Error('no FHIR in this test');
    },
    fhir: { timeoutMs: 1000, maxPages: 1, maxResponseBytes: 1024 * 1024, maxCallBytes: 4 * 1024 * 1024 },
  })(definition);
}

/** A cycle on 2026-08-30: 77 days before 2026-11-15 (due), 76 before 2026-11-14 (not yet). */
function request() {
  resetIds();
  return {
    hook: 'patient-view',
    hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea',
    context: { userId: 'Practitioner/1', patientId: 'patient-1' },
    prefetch: {
      patient: buildPatient(),
      headacheObservations: null,
      botoxAdministrations: null,
      conditions: null,
      medicationRequests: null,
      medicationStatements: null,
      allergyIntolerances: null,
      botoxProcedures: {
        resourceType: 'Bundle',
        type: 'searchset',
        entry: [{ resource: buildBotoxProcedure('2026-08-30') }],
      },
    },
  } as never;
}

const ctx = (timezone?: string) => ({
  logger: pino({ level: 'silent' }),
  signal: new AbortController().signal,
  ...(timezone === undefined
    ? {}
    : { caller: { iss: 'https://ehr.example.org', client: { fhirServers: [], timezone } } }),
});

const topics = async (p: Promise<CdsResponse>) => (await p).cards.map((c) => c.source.topic?.code);

test.each([
  // 2026-11-15T05:00Z is the 15th in UTC and in Tokyo, but still the 14th in Chicago.
  ['UTC', undefined, ['botox-retreatment-due']],
  ['America/Chicago', undefined, []],
  ['America/Chicago', 'Asia/Tokyo', ['botox-retreatment-due']],
  ['UTC', 'America/Chicago', []],
] as const)(
  'When CDS_TIMEZONE is %s and the client zone is %p at 05:00Z, then the cards are %p',
  async (zone, clientZone, expected) => {
    const handle = handlerAt('2026-11-15T05:00:00Z', zone);
    expect(await topics(handle(request(), ctx(clientZone) as never))).toEqual(expected);
  },
);
