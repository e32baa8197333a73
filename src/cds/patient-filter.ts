/**
 * The other-patient filter (pure): a resource is used for patient A only when its `subject`/`patient`
 * reference resolves, with certainty, to Patient A. References are normalised first (absolute URLs,
 * trailing slashes, `_history/<v>`, a query or fragment); anything that cannot be resolved to exactly one
 * Patient id (a contained `#ref`, an identifier-only or display-only reference, `Patient?identifier=…`,
 * an id that is not a FHIR id, a non-Patient subject) is dropped: fail closed, since using another
 * patient's diary for A is the worse error.
 * @see https://hl7.org/fhir/R4/references.html#literal
 */
import type { FhirResource } from 'fhir/r4';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** The Patient id a literal reference names, or undefined when it names none with certainty. */
export function patientIdOf(reference: string): string | undefined {
  if (reference.startsWith('#')) return undefined; // contained: not a Patient on the server
  let path = reference.split(/[?#]/, 1)[0] ?? '';
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
    try {
      path = new URL(path).pathname;
    } catch {
      return undefined;
    }
  }
  const segments = path.replace(/\/+$/, '').split('/');
  // `…/Patient/B/_history/2` → `…/Patient/B`
  if (segments.length >= 2 && segments[segments.length - 2] === '_history') segments.splice(-2, 2);
  const [type, id] = segments.slice(-2);
  if (type !== 'Patient' || id === undefined || !FHIR_ID.test(id) || /^\.+$/.test(id)) return undefined;
  return id;
}

export type Verdict = 'keep' | 'other-patient' | 'unresolved';

function fieldVerdict(field: unknown, patientId: string, sameRelative: string): Verdict {
  if (field === undefined) return 'keep';
  if (typeof field !== 'object' || field === null) return 'unresolved';
  const reference: unknown = (field as { reference?: unknown }).reference;
  if (reference === sameRelative) return 'keep'; // fast path: nearly every resource
  if (typeof reference !== 'string') return 'unresolved';
  const id = patientIdOf(reference);
  if (id === undefined) return 'unresolved';
  return id === patientId ? 'keep' : 'other-patient';
}

/**
 * Whether `resource` may be used for `patientId`. A Patient must be that patient (or carry no id); any
 * other resource's `subject` and `patient`, when present, must both resolve to it.
 */
export function verdictFor(resource: FhirResource, patientId: string): Verdict {
  if (resource.resourceType === 'Patient')
    return resource.id === undefined || resource.id === patientId ? 'keep' : 'other-patient';
  const sameRelative = `Patient/${patientId}`;
  const r = resource as { subject?: unknown; patient?: unknown };
  const subject = fieldVerdict(r.subject, patientId, sameRelative);
  if (subject !== 'keep') return subject;
  return fieldVerdict(r.patient, patientId, sameRelative);
}
