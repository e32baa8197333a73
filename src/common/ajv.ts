/**
 * One ajv factory and one error formatter for every boundary (HTTP bodies, env config,
 * clinical config, service definitions), so all of them report problems the same way.
 * @see https://ajv.js.org/api.html#validation-errors
 */
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';

/** Options every validator shares: report every problem at once (architecture §6.3 #4). */
export function createAjv(options: { coerceTypes?: boolean; useDefaults?: boolean } = {}): Ajv {
  // Strict catches schema typos; `required` inside `then` (conditional fields) is intended.
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, ...options });
  addFormats(ajv);
  return ajv;
}

/** Ajv's `instancePath` is a JSON Pointer; the root is the empty string. */
function pointer(path: string, child?: string): string {
  return child === undefined ? path || '/' : `${path}/${child}`;
}

/** One error as text; property names come from the schema, never from the data. */
function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const at = pointer(e.instancePath);
  switch (e.keyword) {
    case 'required':
      return `${pointer(e.instancePath, String(p.missingProperty))} is required`;
    case 'dependencies':
      return `${pointer(e.instancePath, String(p.missingProperty))} is required when ${String(p.property)} is present`;
    case 'additionalProperties':
      return `${pointer(e.instancePath, String(p.additionalProperty))} is not an allowed property`;
    case 'enum':
      return `${at} must be one of: ${(p.allowedValues as unknown[]).join(', ')}`;
    case 'minLength':
      return p.limit === 1 ? `${at} must not be empty` : `${at} ${e.message ?? 'is too short'}`;
    default:
      return `${at} ${e.message ?? 'is invalid'}`;
  }
}

/**
 * Turns ajv errors into short strings such as `/context/patientId must be string`.
 * Only schema facts (paths, types, allowed values) appear, never the submitted values,
 * so the result is safe to send to a client and to log.
 * @param errors - `validate.errors` after a failed validation.
 * @param prefix - text put before each path (e.g. a file name).
 */
export function formatAjvErrors(errors: readonly ErrorObject[] | null | undefined, prefix = ''): string[] {
  // `if` reports "must match then schema" next to the real (required) error: noise.
  const texts = (errors ?? []).filter((e) => e.keyword !== 'if').map((e) => prefix + describe(e));
  return [...new Set(texts)];
}
