/** The other-patient filter's reference normalisation, at every spelling the attack run found. */
import type { FhirResource } from 'fhir/r4';
import { patientIdOf, verdictFor } from '../../src/cds/patient-filter';

describe('patientIdOf', () => {
  test.each([
    ['Patient/B', 'B'],
    ['Patient/B/', 'B'],
    ['Patient/B?x=1', 'B'],
    ['Patient/B#frag', 'B'],
    ['Patient/B/_history/2', 'B'],
    ['Patient/B/_history/2/', 'B'],
    ['https://ehr.example/fhir/Patient/B', 'B'],
    ['https://ehr.example/fhir/Patient/B/', 'B'],
    ['https://ehr.example/fhir/Patient/B/_history/7?_format=json', 'B'],
    ['urn:uuid:1234', undefined],
    ['#contained-1', undefined],
    ['Patient?identifier=x|1', undefined],
    ['Patient/', undefined],
    ['Patient/..', undefined],
    ['Patient/B/extra', undefined],
    ['Group/B', undefined],
    ['Patient/B%2F', undefined],
    ['patient/B', undefined],
  ])('%s → %s', (reference, id) => {
    expect(patientIdOf(reference)).toBe(id);
  });
});

describe('verdictFor', () => {
  const obs = (subject: unknown): FhirResource =>
    ({ resourceType: 'Observation', status: 'final', code: {}, subject }) as FhirResource;
  test.each<[unknown, string]>([
    [undefined, 'keep'],
    [{ reference: 'Patient/A' }, 'keep'],
    [{ reference: 'Patient/A/' }, 'keep'],
    [{ reference: 'Patient/B/' }, 'other-patient'],
    [{ reference: 'Patient/B?x=1' }, 'other-patient'],
    [{ reference: 'https://x/fhir/Patient/B/' }, 'other-patient'],
    [{ reference: 'Patient/B/_history/2' }, 'other-patient'],
    [{ identifier: { value: 'mrn-1' } }, 'unresolved'],
    [{ display: 'Pat Example' }, 'unresolved'],
    [{ reference: '#p1' }, 'unresolved'],
    ['Patient/A', 'unresolved'],
  ])('subject %j → %s', (subject, verdict) => {
    expect(verdictFor(obs(subject), 'A')).toBe(verdict);
  });

  test('When subject names A but patient names B, then the resource is dropped', () => {
    const r = { ...obs({ reference: 'Patient/A' }), patient: { reference: 'Patient/B' } } as FhirResource;
    expect(verdictFor(r, 'A')).toBe('other-patient');
  });
});
