/**
 * JSON Schemas for what clients send us, compiled once at import. There is no official JSON Schema
 * for CDS Hooks 2.0 (cds-hooks.md §3), so these follow the spec text. Unknown members are
 * allowed everywhere: "clients and servers SHALL ignore unexpected elements" (Da Vinci CRD).
 * @see https://cds-hooks.hl7.org/2.0/#http-request
 * @see https://cds-hooks.hl7.org/2.0/#feedback
 */
import type { ValidateFunction } from 'ajv';
import type { CdsRequest, FeedbackItem } from '../cds/types';
import { createAjv, formatAjvErrors } from '../common/ajv';

const ajv = createAjv();
const text = { type: 'string', minLength: 1 };

/** @see https://cds-hooks.hl7.org/2.0/#coding */
const coding = {
  type: 'object',
  required: ['code', 'system'],
  properties: { code: text, system: text, display: { type: 'string' } },
};

const cdsRequestSchema = {
  type: 'object',
  required: ['hook', 'hookInstance', 'context'],
  properties: {
    hook: text,
    hookInstance: text,
    // Spec: fhirServer is a base URL (https in production); a bare URN is no use to a FHIR client.
    fhirServer: { type: 'string', format: 'uri', pattern: '^https?://' },
    fhirAuthorization: {
      type: 'object',
      required: ['access_token', 'token_type'],
      properties: { access_token: text, token_type: text },
    },
    context: {
      type: 'object',
      required: ['patientId', 'userId'],
      properties: { patientId: text, userId: text },
    },
    // Values may be anything, including null ("no data", spec 2.0 §Prefetch).
    prefetch: { type: 'object' },
  },
  // cds-r-1: "If fhirAuthorization is provided, this field [fhirServer] is REQUIRED."
  dependencies: { fhirAuthorization: ['fhirServer'] },
};

const feedbackSchema = {
  type: 'object',
  required: ['feedback'],
  properties: {
    feedback: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['card', 'outcome', 'outcomeTimestamp'],
        properties: {
          card: text,
          outcome: { type: 'string', enum: ['accepted', 'overridden'] },
          outcomeTimestamp: { type: 'string', format: 'date-time' },
          acceptedSuggestions: {
            type: 'array',
            items: { type: 'object', required: ['id'], properties: { id: text } },
          },
          overrideReason: {
            type: 'object',
            properties: { reason: coding, userComment: { type: 'string' } },
          },
        },
        // Spec: acceptedSuggestions is REQUIRED for accepted outcomes.
        if: { properties: { outcome: { const: 'accepted' } } },
        then: { required: ['acceptedSuggestions'] },
      },
    },
  },
};

/** The body of `POST /cds-services/feedback`. */
export interface FeedbackRequest {
  readonly feedback: readonly FeedbackItem[];
}

export const validateCdsRequest: ValidateFunction<CdsRequest> = ajv.compile<CdsRequest>(cdsRequestSchema);
export const validateFeedback: ValidateFunction<FeedbackRequest> = ajv.compile<FeedbackRequest>(feedbackSchema);

/**
 * Client-safe problems of the last validation, e.g. `/context/patientId must be string`.
 * @param validate - a validator that just returned false.
 */
export function validationProblems(validate: ValidateFunction): string[] {
  return formatAjvErrors(validate.errors);
}
