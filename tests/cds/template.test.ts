import { fillTemplate } from '../../src/cds/template';
import type { CdsRequest } from '../../src/cds/types';
import { AppError } from '../../src/common/app-error';

const request = (context: Partial<CdsRequest['context']> = {}): CdsRequest => ({
  hook: 'patient-view',
  hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea',
  context: { patientId: 'patient-1', userId: 'Practitioner/doc-7', ...context },
});

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('fillTemplate', () => {
  test('When the template uses {{context.patientId}}, then the id is substituted', () => {
    expect(fillTemplate('Observation?patient={{context.patientId}}&_count=100', request())).toBe(
      'Observation?patient=patient-1&_count=100',
    );
  });

  test.each(['a b&c=d/e', '.', '..', '...', 'a/b', 'a?b', 'x'.repeat(65), 'é', '\ud800'])(
    'When a context id is %j (not a FHIR id, or a path segment), then 400 naming the field, before any request',
    (encounterId) => {
      expect(() => fillTemplate('Encounter/{{context.encounterId}}', request({ encounterId }))).toThrow(
        expect.objectContaining({
          status: 400,
          message: expect.stringContaining('context.encounterId is not a FHIR id'),
        }),
      );
    },
  );

  test.each([
    ['userId', 'Practitioner/..', 'a FHIR reference'],
    ['userId', 'Practitioner', 'a FHIR reference'],
    ['other', 'a b', 'a FHIR id or reference'],
  ])('When context.%s is %j, then 400 (%s expected)', (field, value, expected) => {
    expect(() => fillTemplate(`X?y={{context.${field}}}`, request({ [field]: value }))).toThrow(
      expect.objectContaining({ status: 400, message: expect.stringContaining(expected) }),
    );
  });

  test('When a context field holds a reference, then it is URL-encoded into the query', () => {
    expect(fillTemplate('PractitionerRole?practitioner={{context.userId}}', request())).toMatch(
      /^PractitionerRole\?practitioner=[A-Za-z]+%2F[A-Za-z0-9.-]+$/,
    );
  });

  test('When a token has spaces inside the braces, then it is still recognised', () => {
    expect(fillTemplate('Patient/{{ context.patientId }}', request())).toBe('Patient/patient-1');
  });

  test.each([
    ['userPractitionerId', 'Practitioner/doc-7', 'doc-7'],
    ['userPractitionerRoleId', 'PractitionerRole/role-1', 'role-1'],
    ['userPatientId', 'Patient/p-9', 'p-9'],
    ['userRelatedPersonId', 'RelatedPerson/rp-2', 'rp-2'],
  ])('When the template uses {{%s}} and userId is %s, then it becomes %s', (token, userId, expected) => {
    expect(fillTemplate(`X?u={{${token}}}`, request({ userId }))).toBe(`X?u=${expected}`);
  });

  test.each([
    ['{{userPatientId}}', 'userId names a Practitioner'],
    ['{{context.encounterId}}', 'the field is missing'],
    ['{{context.medication.id}}', 'the field is not root-level'],
    ['{{context.selections}}', 'the field is not a primitive'],
    ['{{context.empty}}', 'the field is an empty string'],
    ['{{patientId}}', 'the token is not a context path'],
  ])('When the template uses %s and %s, then it throws 400 naming the token', (token, _why) => {
    const error = errorOf(() => fillTemplate(`Observation?x=${token}`, request({ selections: ['a'], empty: '' })));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'bad-request', status: 400 });
    expect((error as AppError).message).toContain(token);
  });

  test('When the template has no tokens, then it is returned unchanged', () => {
    expect(fillTemplate('Observation?code=http://loinc.org|1234-5', request())).toBe(
      'Observation?code=http://loinc.org|1234-5',
    );
  });
});
