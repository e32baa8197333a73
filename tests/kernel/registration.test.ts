/** Start-up pairing of definitions and modules, and the per-hook context checks, without HTTP. */
import { contextProblems } from '../../src/cds/hooks';
import { registerServices } from '../../src/cds/kernel';
import { RegistryError } from '../../src/cds/registry';
import type { ServiceModule } from '../../src/cds/service-module';
import { problemsOf as problemsOfError } from '../helpers/problems';

const problemsOf = (fn: () => unknown): readonly string[] => problemsOfError(fn, RegistryError);
const deps = {
  clock: (timeZone: string) => ({ instant: 0, timeZone }),
  timeZone: 'UTC',
  newId: () => 'id',
  gatewayFactory: () => ({}) as never,
  fhir: { timeoutMs: 1, maxPages: 1, maxResponseBytes: 1024, maxCallBytes: 1024 },
};
const moduleOf = (id: string, hook: ServiceModule['hook']): ServiceModule => ({
  id,
  hook,
  evaluate: () => [],
  render: () => ({ uuid: 'x', summary: 'x', indicator: 'info', source: { label: 'x' } }),
});

describe('registerServices', () => {
  test('When modules and definitions disagree in several ways, then every problem is listed at once', () => {
    const definitions = [
      { id: 'a', hook: 'patient-view', description: 'A' },
      { id: 'b', hook: 'order-sign', description: 'B' },
      { id: 'c', hook: 'patient-view', description: 'C' },
    ];
    const modules = [
      moduleOf('a', 'patient-view'),
      moduleOf('a', 'patient-view'),
      moduleOf('b', 'order-select'),
      moduleOf('d', 'order-sign'),
    ];

    expect(problemsOf(() => registerServices(definitions, modules, deps))).toEqual([
      "service module 'a' is registered twice",
      "service 'b' answers 'order-select' but its definition says 'order-sign'",
      "service 'c' has no handler",
      "handler 'd' has no definition in cds-services/",
    ]);
  });

  test('When each definition has its module, then each id resolves', () => {
    const registry = registerServices(
      [{ id: 'a', hook: 'order-sign', description: 'A' }],
      [moduleOf('a', 'order-sign')],
      deps,
    );
    expect(registry.get('a')?.definition.hook).toBe('order-sign');
  });
});

describe('contextProblems', () => {
  const base = { userId: 'Practitioner/1', patientId: 'p' };
  const bundle = { resourceType: 'Bundle', entry: [{ resource: { resourceType: 'MedicationRequest', id: 'm' } }] };

  test.each([
    ['patient-view', base, []],
    ['patient-view', { patientId: 'p' }, ['/context/userId is required']],
    ['order-sign', { ...base, draftOrders: bundle }, []],
    ['order-sign', base, ['/context/draftOrders is required']],
    [
      'order-sign',
      { ...base, draftOrders: { resourceType: 'Bundle', entry: [{}] } },
      ['/context/draftOrders/entry/0/resource is required'],
    ],
    ['order-select', { ...base, draftOrders: bundle, selections: ['MedicationRequest/m'] }, []],
    ['order-select', { ...base, draftOrders: bundle }, ['/context/selections is required']],
    [
      'order-select',
      { ...base, draftOrders: bundle, selections: ['m'] },
      ['/context/selections/0 must match pattern "^[A-Za-z]{1,64}/[A-Za-z0-9.-]{1,64}$"'],
    ],
  ] as const)('When a %s context is %j, then the problems are %j', (hook, context, problems) => {
    expect(contextProblems(hook, context)).toEqual(problems);
  });
});
