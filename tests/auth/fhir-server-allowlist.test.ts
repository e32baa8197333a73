/**
 * `fhirServer` allowlist: exact origin + path prefix (SSRF guard for FHIR callbacks).
 * @see https://cds-hooks.hl7.org/2.0/#fhir-resource-access
 */
import { isFhirServerAllowed } from '../../src/auth/client-registry';

const client = {
  fhirServers: ['https://ehr.example.org/fhir/r4/', 'http://localhost:8080/fhir', 'https://10.1.2.3/fhir'],
};

describe('isFhirServerAllowed', () => {
  it.each([
    ['the allowlisted base', 'https://ehr.example.org/fhir/r4', true],
    ['the base with a trailing slash', 'https://ehr.example.org/fhir/r4/', true],
    ['a sub-path of the base', 'https://ehr.example.org/fhir/r4/tenant-a', true],
    ['an upper-case host and explicit default port (normalised)', 'https://EHR.example.org:443/fhir/r4', true],
    ['an explicitly listed loopback http origin', 'http://localhost:8080/fhir', true],
    ['an explicitly listed private address', 'https://10.1.2.3/fhir/x', true],
    ['another origin', 'https://evil.example/fhir/r4', false],
    ['a look-alike host suffix', 'https://ehr.example.org.evil.example/fhir/r4', false],
    ['another port', 'https://ehr.example.org:8443/fhir/r4', false],
    ['http for an https entry', 'http://ehr.example.org/fhir/r4', false],
    ['https for an http entry', 'https://localhost:8080/fhir', false],
    ['a sibling path sharing the prefix string', 'https://ehr.example.org/fhir/r4-admin', false],
    ['a parent path', 'https://ehr.example.org/fhir', false],
    ['a loopback host that is not listed', 'https://127.0.0.1/fhir/r4', false],
    ['localhost on an unlisted port', 'http://localhost:9999/fhir', false],
    ['IPv6 loopback', 'http://[::1]:8080/fhir', false],
    ['an unlisted private address', 'https://192.168.0.10/fhir/r4', false],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data', false],
    ['userinfo that puts the real host last', 'https://ehr.example.org@evil.example/fhir/r4', false],
    ['userinfo on the right host', 'https://user:pw@ehr.example.org/fhir/r4', false],
    ['.. traversal out of the base', 'https://ehr.example.org/fhir/r4/../../admin', false],
    ['encoded ..%2f traversal', 'https://ehr.example.org/fhir/r4/..%2f..%2fadmin', false],
    ['encoded %2e%2e segment', 'https://ehr.example.org/fhir/r4/%2e%2e/%2e%2e/admin', false],
    [
      'a ;-parameter escape (servlet containers route /fhir/r4/..;/admin to /admin)',
      'https://ehr.example.org/fhir/r4/..;/admin',
      false,
    ],
    ['a ; path parameter anywhere', 'https://ehr.example.org/fhir/r4;jsessionid=x', false],
    ['an upper-case %2F', 'https://ehr.example.org/fhir/r4/..%2F..%2Fadmin', false],
    ['a double-encoded %252e%252e', 'https://ehr.example.org/fhir/r4/%252e%252e/admin', false],
    ['an encoded backslash', 'https://ehr.example.org/fhir/r4/..%5cadmin', false],
    ['a raw backslash', 'https://ehr.example.org/fhir/r4\\..\\..\\admin', false],
    ['a tab the URL parser would drop', 'https://ehr.example.org/fhir/r4/.\t./admin', false],
    ['a single . segment', 'https://ehr.example.org/fhir/r4/./x', false],
    ['a query string', 'https://ehr.example.org/fhir/r4?x=https://evil.example', false],
    ['a fragment', 'https://ehr.example.org/fhir/r4#frag', false],
    ['a non-http scheme', 'file:///etc/passwd', false],
    ['not a URL', 'ehr.example.org/fhir/r4', false],
  ])('When the fhirServer is %s (%s), then allowed is %s', (_label, url, allowed) => {
    expect(isFhirServerAllowed(client, url)).toBe(allowed);
  });

  it('When .. would resolve back inside the base, then it is still refused (one policy: no dot segments)', () => {
    expect(isFhirServerAllowed(client, 'https://ehr.example.org/fhir/r4/a/../b')).toBe(false);
  });

  it('When the client has no entries, then nothing is allowed', () => {
    expect(isFhirServerAllowed({ fhirServers: [] }, 'https://ehr.example.org/fhir/r4')).toBe(false);
  });
});
