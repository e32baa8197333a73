/**
 * The loopback FHIR server (Medplum MemoryRepository + FhirRouter behind node:http) used by
 * integration tests, the demo, the benchmark and security tests.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, FhirResource, Observation, OperationOutcome } from 'fhir/r4';
import { ensureFhirDefinitionsIndexed, startFhirServer } from '../../src/demo/fhir-server';
import type { FhirFault, FhirServerOptions, RunningFhirServer } from '../../src/demo/fhir-server';

const SNOMED = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const CPT = 'http://www.ama-assn.org/go/cpt';
const HCPCS = 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';

function diary(id: string, patientId: string, date: string, code = '25064002', system = SNOMED): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: date,
    code: { coding: [{ system, code }] },
    component: [{ code: { coding: [{ system: SNOMED, code: '37796009' }] }, valueBoolean: true }],
  };
}

function collection(resources: FhirResource[]): Bundle {
  return { resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) };
}

const SEED: Bundle[] = [
  collection([
    { resourceType: 'Patient', id: 'pat-a', birthDate: '1980-05-17', gender: 'female' },
    diary('obs-a1', 'pat-a', '2025-01-01'),
    diary('obs-a2', 'pat-a', '2025-01-02'),
    diary('obs-a3', 'pat-a', '2025-01-03'),
    diary('obs-a4', 'pat-a', '2025-01-04', '1234-5', LOINC),
    diary('obs-a5', 'pat-a', '2025-01-05', '25064002', 'http://example.org/not-snomed'),
    diary('obs-a6', 'pat-a', '2025-01-06', '9999-9', LOINC),
    {
      resourceType: 'Procedure',
      id: 'proc-a1',
      status: 'completed',
      subject: { reference: 'Patient/pat-a' },
      performedDateTime: '2024-10-01',
      code: { coding: [{ system: CPT, code: '64615' }] },
    },
    {
      resourceType: 'MedicationAdministration',
      id: 'medadm-a1',
      status: 'completed',
      subject: { reference: 'Patient/pat-a' },
      effectiveDateTime: '2024-10-01',
      medicationCodeableConcept: { coding: [{ system: HCPCS, code: 'J0585' }] },
    },
    {
      resourceType: 'Condition',
      id: 'cond-a1',
      subject: { reference: 'Patient/pat-a' },
      code: { coding: [{ system: SNOMED, code: '431237007' }] },
    },
  ]),
  collection([
    { resourceType: 'Patient', id: 'pat-b' },
    diary('obs-b1', 'pat-b', '2025-01-01'),
    diary('obs-b2', 'pat-b', '2025-01-02'),
  ]),
];

const CODE_LIST = `${SNOMED}|25064002,${LOINC}|1234-5`;

const servers: RunningFhirServer[] = [];
async function start(options: FhirServerOptions = {}): Promise<RunningFhirServer> {
  const server = await startFhirServer({ seed: SEED, ...options });
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function getJson<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
}

const ids = (bundle: Bundle): string[] => (bundle.entry ?? []).map((e) => e.resource?.id ?? '?');
const nextLink = (bundle: Bundle): string | undefined => bundle.link?.find((l) => l.relation === 'next')?.url;

describe('definitions indexing', () => {
  it('When indexing is requested again in the same process, then it is cached (no second ~1 s load)', () => {
    const first = ensureFhirDefinitionsIndexed();
    // The cached call reports 0 ms of indexing work (a timing assertion would be flaky on a shared machine).
    expect(ensureFhirDefinitionsIndexed()).toBe(0);
    if (first > 0) console.log(`FHIR R4 definitions indexed in ${first.toFixed(0)} ms`);
  });
});

describe('startFhirServer: reads and searches', () => {
  it('When a Patient is read by its seeded id, then the same id comes back as application/fhir+json', async () => {
    const server = await start();
    expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/fhir\/R4$/);
    const { status, body, headers } = await getJson<{ resourceType: string; id: string }>(
      `${server.baseUrl}/Patient/pat-a`,
    );
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('application/fhir+json');
    expect(body).toMatchObject({ resourceType: 'Patient', id: 'pat-a' });
  });

  it('When an unknown id or resource type is read, then 404 with an OperationOutcome', async () => {
    const server = await start();
    const missing = await getJson<OperationOutcome>(`${server.baseUrl}/Patient/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body.resourceType).toBe('OperationOutcome');
    const badType = await getJson<OperationOutcome>(`${server.baseUrl}/Bogus/1`);
    expect(badType.status).toBe(404);
    expect(badType.body.resourceType).toBe('OperationOutcome');
  });

  it.each([['pat-a'], ['Patient/pat-a']])(
    'When Observations are searched by patient=%s and a system|code list, then only that patient’s matching ones return',
    async (patient) => {
      const server = await start();
      const { status, body } = await getJson<Bundle>(
        `${server.baseUrl}/Observation?patient=${encodeURIComponent(patient)}&code=${encodeURIComponent(CODE_LIST)}&_count=200`,
      );
      expect(status).toBe(200);
      expect(body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 4 });
      expect(ids(body).sort()).toEqual(['obs-a1', 'obs-a2', 'obs-a3', 'obs-a4']);
      expect(body.entry?.[0]?.fullUrl).toBe(`${server.baseUrl}/Observation/obs-a1`);
      expect(nextLink(body)).toBeUndefined();
    },
  );

  it('When Procedure, MedicationAdministration and Condition are searched like the prefetch templates, then the seeded ones return', async () => {
    const server = await start();
    const proc = await getJson<Bundle>(
      `${server.baseUrl}/Procedure?patient=pat-a&code=${encodeURIComponent(`${CPT}|64615`)}`,
    );
    expect(ids(proc.body)).toEqual(['proc-a1']);
    const med = await getJson<Bundle>(
      `${server.baseUrl}/MedicationAdministration?patient=pat-a&code=${encodeURIComponent(`${HCPCS}|J0585`)}`,
    );
    expect(ids(med.body)).toEqual(['medadm-a1']);
    const cond = await getJson<Bundle>(`${server.baseUrl}/Condition?patient=pat-a`);
    expect(ids(cond.body)).toEqual(['cond-a1']);
    const none = await getJson<Bundle>(`${server.baseUrl}/Condition?patient=pat-b`);
    expect(none.body.total).toBe(0);
  });

  it('When searching with POST _search, then it behaves like GET', async () => {
    const server = await start();
    const { status, body } = await getJson<Bundle>(`${server.baseUrl}/Observation/_search`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ patient: 'pat-b', code: CODE_LIST }).toString(),
    });
    expect(status).toBe(200);
    expect(ids(body).sort()).toEqual(['obs-b1', 'obs-b2']);
  });

  it('When an unknown search parameter is used, then 400 instead of a silently empty result', async () => {
    const server = await start();
    const { status, body } = await getJson<OperationOutcome>(`${server.baseUrl}/Observation?nonsense=1`);
    expect(status).toBe(400);
    expect(body.resourceType).toBe('OperationOutcome');
  });

  it('When metadata is requested, then a FHIR 4.0.1 CapabilityStatement returns', async () => {
    const server = await start();
    const { status, body } = await getJson<{ resourceType: string; fhirVersion: string }>(`${server.baseUrl}/metadata`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' });
  });

  it('When seeded from a directory, then every *.bundle.json loads with its ids and other files are ignored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fhir-seed-'));
    try {
      writeFileSync(
        join(dir, 'one.bundle.json'),
        JSON.stringify(collection([{ resourceType: 'Patient', id: 'dir-p1' }])),
      );
      writeFileSync(
        join(dir, 'two.bundle.json'),
        JSON.stringify({ ...collection([diary('dir-o1', 'dir-p1', '2025-02-01')]), type: 'searchset' }),
      );
      writeFileSync(join(dir, 'notes.json'), '{ not a bundle');
      const server = await start({ seed: dir });
      expect((await fetch(`${server.baseUrl}/Patient/dir-p1`)).status).toBe(200);
      expect((await fetch(`${server.baseUrl}/Patient/pat-a`)).status).toBe(404);
      const { body } = await getJson<Bundle>(`${server.baseUrl}/Observation?patient=dir-p1`);
      expect(ids(body)).toEqual(['dir-o1']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('startFhirServer: paging', () => {
  it('When pageSize is 2, then next links are absolute, followable and end, and _count above the page size is capped', async () => {
    const server = await start({ pageSize: 2 });
    let url: string | undefined = `${server.baseUrl}/Observation?patient=pat-a&_count=200`;
    const pages: string[][] = [];
    while (url) {
      const { status, body }: { status: number; body: Bundle } = await getJson<Bundle>(url);
      expect(status).toBe(200);
      expect(body.total).toBe(6);
      expect(body.entry?.length).toBeLessThanOrEqual(2);
      pages.push(ids(body));
      url = nextLink(body);
      if (url) {
        expect(url.startsWith(`${server.baseUrl}/Observation?`)).toBe(true);
        expect(new URL(url).searchParams.get('patient')).toBe('pat-a');
        expect(new URL(url).searchParams.get('_count')).toBe('2');
      }
      expect(pages.length).toBeLessThan(10);
    }
    expect(pages).toEqual([
      ['obs-a1', 'obs-a2'],
      ['obs-a3', 'obs-a4'],
      ['obs-a5', 'obs-a6'],
    ]);
  });

  it('When the default page size applies, then a self link carries _count=50&_offset=0', async () => {
    const server = await start();
    const { body } = await getJson<Bundle>(`${server.baseUrl}/Observation?patient=pat-a`);
    const self = new URL(body.link?.find((l) => l.relation === 'self')?.url ?? '');
    expect(self.searchParams.get('_count')).toBe('50');
    expect(self.searchParams.get('_offset')).toBe('0');
  });
});

describe('startFhirServer: auth, latency, request log', () => {
  it('When a bearer token is required, then requests without or with a wrong token get 401 and the right token gets 200', async () => {
    const server = await start({ requiredToken: 's3cret' });
    const none = await getJson<OperationOutcome>(`${server.baseUrl}/Patient/pat-a`);
    expect(none.status).toBe(401);
    expect(none.body.resourceType).toBe('OperationOutcome');
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await fetch(`${server.baseUrl}/Patient/pat-a`, { headers: { Authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const ok = await fetch(`${server.baseUrl}/Patient/pat-a`, { headers: { Authorization: 'Bearer s3cret' } });
    expect(ok.status).toBe(200);
    const metadata = await fetch(`${server.baseUrl}/metadata`);
    expect(metadata.status).toBe(200);
    expect(server.requests.map((r) => [r.method, r.path, r.authorization, r.status])).toEqual([
      ['GET', '/fhir/R4/Patient/pat-a', false, 401],
      ['GET', '/fhir/R4/Patient/pat-a', true, 401],
      ['GET', '/fhir/R4/Patient/pat-a', true, 200],
      ['GET', '/fhir/R4/metadata', false, 200],
    ]);
  });

  it('When latencyMs is set, then every response is delayed by at least that much', async () => {
    const server = await start({ latencyMs: 120 });
    const started = performance.now();
    const res = await fetch(`${server.baseUrl}/Patient/pat-a`);
    await res.json();
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });
});

describe('startFhirServer: injected faults', () => {
  function faultOnce(kind: FhirFault): FhirServerOptions['fault'] {
    return (req) => (req.index === 1 ? kind : undefined);
  }

  it.each<[FhirFault, number]>([
    ['unauthorized', 401],
    ['forbidden', 403],
    ['not-found', 404],
    ['too-many', 429],
    ['server-error', 500],
  ])(
    'When the fault is %s, then the status is %i with an OperationOutcome, and the next request is normal',
    async (kind, status) => {
      const server = await start({ fault: faultOnce(kind) });
      const faulted = await getJson<OperationOutcome>(`${server.baseUrl}/Patient/pat-a`);
      expect(faulted.status).toBe(status);
      expect(faulted.body.resourceType).toBe('OperationOutcome');
      if (kind === 'too-many') expect(faulted.headers.get('retry-after')).toBe('1');
      expect((await fetch(`${server.baseUrl}/Patient/pat-a`)).status).toBe(200);
      expect(server.requests[0]?.fault).toBe(kind);
    },
  );

  it('When the fault is garbage, then the body claims FHIR JSON but does not parse', async () => {
    const server = await start({ fault: faultOnce('garbage') });
    const res = await fetch(`${server.baseUrl}/Observation?patient=pat-a`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/fhir+json');
    await expect(res.json()).rejects.toThrow();
  });

  it('When the fault is hang, then the request does not complete until close()', async () => {
    const server = await start({ fault: () => 'hang' });
    let settled = false;
    const pending = fetch(`${server.baseUrl}/Patient/pat-a`).finally(() => {
      settled = true;
    });
    await new Promise((r) => setTimeout(r, 250));
    expect(settled).toBe(false);
    await server.close();
    await expect(pending).rejects.toThrow();
  });

  it('When the fault is hang-body, then headers arrive but the body never ends until close()', async () => {
    const server = await start({ fault: () => 'hang-body' });
    const res = await fetch(`${server.baseUrl}/Observation?patient=pat-a`);
    expect(res.status).toBe(200);
    let settled = false;
    const body = res.text().finally(() => {
      settled = true;
    });
    await new Promise((r) => setTimeout(r, 250));
    expect(settled).toBe(false);
    await server.close();
    await expect(body).rejects.toThrow();
  });

  it('When the fault is loop-next, then the next link is the URL just requested', async () => {
    const server = await start({ fault: () => 'loop-next' });
    const url = `${server.baseUrl}/Observation?patient=pat-a&code=${encodeURIComponent(CODE_LIST)}`;
    const first = await getJson<Bundle>(url);
    expect(nextLink(first.body)).toBe(url);
    const again = await getJson<Bundle>(nextLink(first.body)!);
    expect(nextLink(again.body)).toBe(url);
  });

  it('When the fault is foreign-next, then the next link points at http://other.invalid/', async () => {
    const server = await start({ fault: () => 'foreign-next', pageSize: 2 });
    const { body } = await getJson<Bundle>(`${server.baseUrl}/Observation?patient=pat-a`);
    const next = nextLink(body) ?? '';
    expect(next.startsWith('http://other.invalid/fhir/R4/Observation?')).toBe(true);
    expect(new URL(next).searchParams.get('_offset')).toBe('2');
  });

  it('When close() is called twice, then it resolves both times', async () => {
    const server = await start();
    await server.close();
    await expect(server.close()).resolves.toBeUndefined();
  });
});
