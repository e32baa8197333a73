/**
 * JSON Schema of the client registry file (`config/clients*.json`). Unknown keys are refused
 * so a typo (`jwksURL`) fails at start-up instead of silently weakening a check.
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */

export const SIGNING_ALGORITHMS = ['ES384', 'RS384', 'ES256', 'RS256'] as const;
export const DEFAULT_ALGORITHMS = ['ES384', 'RS384'] as const;
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 3600;

const url = { type: 'string', format: 'uri', maxLength: 2048 } as const;

/** One client entry as written in the file (before defaults). */
export interface ClientFileEntry {
  iss: string;
  jwksUrl: string;
  /** Pinned public JWK Set (inline); with it (or jwksFile) no JWKS is ever fetched for this client. */
  jwks?: { keys: unknown[] };
  /** Pinned public JWK Set in a file, relative to the registry file. */
  jwksFile?: string;
  jkuAllowlist?: string[];
  tenant?: string;
  algorithms?: (typeof SIGNING_ALGORITHMS)[number][];
  fhirServers: string[];
  maxTokenLifetimeSeconds?: number;
  label?: string;
  /** IANA zone of this EHR's clinics (a multi-site EHR); overrides CDS_TIMEZONE for its calls. */
  timezone?: string;
  _comment?: string;
}

export interface ClientFile {
  _comment?: string;
  clients: ClientFileEntry[];
}

export const CLIENT_FILE_SCHEMA = {
  type: 'object',
  required: ['clients'],
  additionalProperties: false,
  properties: {
    _comment: { type: 'string' },
    clients: {
      type: 'array',
      items: {
        type: 'object',
        required: ['iss', 'jwksUrl', 'fhirServers'],
        additionalProperties: false,
        properties: {
          _comment: { type: 'string' },
          iss: { ...url, minLength: 1 },
          jwksUrl: url,
          jwks: { type: 'object', required: ['keys'], properties: { keys: { type: 'array' } } },
          jwksFile: { type: 'string', minLength: 1, maxLength: 1024 },
          jkuAllowlist: { type: 'array', items: url, uniqueItems: true },
          tenant: { type: 'string', minLength: 1, maxLength: 256 },
          algorithms: {
            type: 'array',
            minItems: 1,
            uniqueItems: true,
            items: { type: 'string', enum: [...SIGNING_ALGORITHMS] },
          },
          fhirServers: { type: 'array', minItems: 1, uniqueItems: true, items: url },
          // Replay entries live this long; a day is already far beyond the one-hour best practice.
          maxTokenLifetimeSeconds: { type: 'integer', minimum: 1, maximum: 86_400 },
          label: { type: 'string', maxLength: 200 },
          timezone: { type: 'string', minLength: 1, maxLength: 64 },
        },
      },
    },
  },
} as const;
