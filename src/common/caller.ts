/**
 * Who is calling: the seam between client authentication (src/auth), the HTTP edge (src/http) and the
 * service kernel (src/cds), kept here so none of them imports another for a type.
 */

/** Who called, for logs (spec best practice: log `iss`, `tenant`, `jti`, never the JWT). */
export interface VerifiedClient {
  readonly iss: string;
  readonly tenant?: string;
  readonly jti?: string;
  /** The client's registry entry (src/auth sets it): which `fhirServer`s this caller may send us to. */
  readonly client?: { readonly fhirServers: readonly string[]; readonly timezone?: string };
}

/**
 * The JWT check the HTTP edge delegates to (structurally the `JwtVerifier` of `src/auth`).
 * `verify` resolves with the caller, or rejects with an AppError 401 (any other error is a bug → 500).
 */
export interface ClientVerifier {
  /**
   * @param authorizationHeader - the raw `Authorization` header (never log it).
   * @param audience - the exact endpoint URL the JWT `aud` must hold, e.g. `https://cds.example.org/cds-services/x`.
   */
  verify(authorizationHeader: string | undefined, audience: string): Promise<VerifiedClient>;
  /**
   * The registered `iss` the header's token names, decoded but NOT verified (undefined when it names
   * no registered client or is not a JWT). Only for admission control's per-client share, decided
   * before the signature is checked: a forged token can then take that client's share only while
   * it is being refused (README, Security).
   */
  claimedClient?(authorizationHeader: string | undefined): string | undefined;
}
