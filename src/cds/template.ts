/**
 * Prefetch template token substitution (pure).
 * "Prefetch tokens MUST be delimited by {{ and }}, and MUST contain only the qualified path to a hook
 * context field or one of the following user identifiers: userPractitionerId, userPractitionerRoleId,
 * userPatientId, or userRelatedPersonId." "Only root-level fields with a primitive value within the
 * context object are eligible."
 * @see https://cds-hooks.hl7.org/2.0/#prefetch-tokens
 */
import { AppError } from '../common/app-error';
import type { CdsRequest } from './types';

/** User-identifier token → the resource type `context.userId` must name. */
const USER_TOKENS: Readonly<Record<string, string>> = {
  userPractitionerId: 'Practitioner',
  userPractitionerRoleId: 'PractitionerRole',
  userPatientId: 'Patient',
  userRelatedPersonId: 'RelatedPerson',
};

const TOKEN = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** FHIR `id`: 1–64 of A–Z a–z 0–9 - . (https://hl7.org/fhir/R4/datatypes.html#id). */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
/** A relative literal reference `Type/id`. */
const RELATIVE_REFERENCE = /^([A-Z][A-Za-z]{0,63})\/([^/]+)$/;

/** A FHIR id that cannot change the request's shape: `.` and `..` pass the id pattern but are path segments. */
function isSafeId(value: string): boolean {
  return FHIR_ID.test(value) && !/^\.+$/.test(value);
}

function isSafeReference(value: string): boolean {
  const match = RELATIVE_REFERENCE.exec(value);
  return match !== null && isSafeId(match[2] ?? '');
}

/**
 * The value a context field may put into a query: `userId` is a reference (`Practitioner/123`), fields
 * ending in `Id` are ids, any other field either. Anything else is refused before a request is built, so a
 * hostile value (`.`, `..`, `a/b`, `?x`, a lone surrogate) can never change which FHIR URL is read.
 */
function checkedValue(field: string, value: string, token: string): string {
  const shape = shapeOf(field);
  if (shape.accepts(value)) return value;
  throw unresolvable(token, `context.${field} is not ${shape.text} (id: 1–64 of A–Z a–z 0–9 - ., not . or ..)`);
}

const SHAPES = {
  reference: { accepts: isSafeReference, text: 'a FHIR reference Type/id' },
  id: { accepts: isSafeId, text: 'a FHIR id' },
  either: { accepts: (v: string) => isSafeId(v) || isSafeReference(v), text: 'a FHIR id or reference' },
} as const;

/** userId is a reference (Practitioner/123), other …Id fields a bare id, any other field either. */
function shapeOf(field: string): (typeof SHAPES)[keyof typeof SHAPES] {
  if (field === 'userId') return SHAPES.reference;
  return field.endsWith('Id') ? SHAPES.id : SHAPES.either;
}

function unresolvable(token: string, why: string): AppError {
  return new AppError('bad-request', 400, `prefetch token {{${token}}} cannot be resolved: ${why}`);
}

/** `context.X` with X a root-level primitive. Empty strings count as missing: `patient=` would match every patient. */
function contextValue(field: string, request: CdsRequest, token: string): string {
  if (!/^[A-Za-z_$][\w$]*$/.test(field)) throw unresolvable(token, 'only root-level context fields are allowed');
  const value: unknown = Object.hasOwn(request.context, field) ? request.context[field] : undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return checkedValue(field, String(value), token);
  if (typeof value === 'string' && value.length > 0) return checkedValue(field, value, token);
  throw unresolvable(
    token,
    value === undefined || value === null || value === ''
      ? 'context field is missing'
      : 'context field is not a primitive',
  );
}

/** `{{userPractitionerId}}` etc.: the id part of `context.userId` ("Practitioner/abc"), if the type matches. */
function userId(token: string, resourceType: string, request: CdsRequest): string {
  const userRef: unknown = request.context.userId;
  const match = typeof userRef === 'string' ? /^([A-Za-z]+)\/([^/]+)$/.exec(userRef) : null;
  if (match?.[1] !== resourceType) throw unresolvable(token, `context.userId is not a ${resourceType} reference`);
  const id = match[2] ?? '';
  if (!isSafeId(id)) throw unresolvable(token, `context.userId does not end in a FHIR id`);
  return id;
}

function resolveToken(token: string, request: CdsRequest): string {
  const userType = Object.hasOwn(USER_TOKENS, token) ? USER_TOKENS[token] : undefined;
  if (userType !== undefined) return userId(token, userType, request);
  if (token.startsWith('context.')) return contextValue(token.slice('context.'.length), request, token);
  throw unresolvable(token, 'not a context field or user identifier');
}

/**
 * Replaces every `{{…}}` token of a prefetch template with its URL-encoded value.
 * @param template - a prefetch template from the service definition, e.g. `Observation?patient={{context.patientId}}`
 * @param request - the hook request whose context supplies the values
 * @throws AppError 400 naming the first token that cannot be resolved
 */
export function fillTemplate(template: string, request: CdsRequest): string {
  return template.replace(TOKEN, (_whole, token: string) => encodeURIComponent(resolveToken(token, request)));
}
