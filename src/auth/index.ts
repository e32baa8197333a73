/**
 * EHR (CDS Client) authentication: client registry + bearer JWT verifier.
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
export { AuthError, AUTH_ERROR_MESSAGE, type AuthFailureReason } from './errors';
export {
  ClientRegistryError,
  loadClientRegistry,
  parseClientRegistry,
  type ClientRegistryOptions,
} from './client-registry';
export { isFhirServerAllowed } from './fhir-server-allowlist';
export { createJwtVerifier, VERIFIER_DEFAULTS } from './jwt-verifier';
export type {
  ClientConfig,
  ClientRegistry,
  JwtVerifier,
  JwtVerifierOptions,
  SigningAlgorithm,
  VerifiedCaller,
} from './types';
