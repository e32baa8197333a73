/**
 * How the loopback FHIR server (src/demo/fhir-server.ts) writes its answers: FHIR JSON with the status
 * noted in the request log, OperationOutcomes, Bundle entries with fullUrls, and the CapabilityStatement.
 *
 * Demo/test tooling only: never import this from the production service code.
 */
import type { ServerResponse } from 'node:http';
import { getStatus } from '@medplum/core';
import type { Bundle, CapabilityStatement, OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

/** Content type of every answer, errors included. */
export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** The part of a request-log entry that records the HTTP status sent. */
export interface SentStatus {
  status?: number;
}

/**
 * Sends `body` as FHIR JSON and records `status`.
 * Does nothing once the response has ended or its socket is gone (close(), or an error after the answer),
 * so a late error cannot write a second answer or overwrite the recorded status.
 */
export function send(
  res: ServerResponse,
  record: SentStatus,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.writableEnded || res.destroyed) {
    return;
  }
  record.status = status;
  res.writeHead(status, { 'Content-Type': FHIR_JSON, ...headers });
  res.end(JSON.stringify(body));
}

/** Sends an OperationOutcome (e.g. one from Medplum) with the HTTP status its issue code maps to. */
export function sendOutcome(
  res: ServerResponse,
  record: SentStatus,
  outcome: OperationOutcome,
  headers?: Record<string, string>,
): void {
  send(res, record, getStatus(outcome), outcome, headers);
}

/** A one-issue error OperationOutcome. */
export function outcome(code: string, text: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: code as OperationOutcomeIssue['code'], details: { text } }],
  };
}

/**
 * Gives each entry with a resource id a `fullUrl` under `baseUrl` (an entry's own fullUrl wins) and,
 * in a searchset, `search.mode = match`, as clients expect from a real server's Bundles.
 */
export function addFullUrls(bundle: Bundle, baseUrl: string): Bundle {
  return {
    ...bundle,
    entry: bundle.entry?.map((entry) => ({
      ...(entry.resource?.id ? { fullUrl: `${baseUrl}/${entry.resource.resourceType}/${entry.resource.id}` } : {}),
      ...entry,
      ...(bundle.type === 'searchset' ? { search: { mode: 'match' as const } } : {}),
    })),
  };
}

/** The `GET [base]/metadata` answer: read and type-level search on a fixed list of resource types. */
export function capabilityStatement(baseUrl: string, secured: boolean): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    software: { name: 'migraine-botox-cds local FHIR server (Medplum MemoryRepository)', version: '4.5.2' },
    implementation: { description: 'Loopback FHIR R4 server for tests and demo', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        ...(secured ? { security: { description: 'Bearer token required (Authorization: Bearer <token>)' } } : {}),
        resource: (
          [
            'Patient',
            'Observation',
            'Condition',
            'Procedure',
            'MedicationAdministration',
            'MedicationRequest',
            'MedicationStatement',
            'AllergyIntolerance',
            'Encounter',
          ] as const
        ).map((type) => ({
          type,
          interaction: [{ code: 'read' as const }, { code: 'search-type' as const }],
        })),
      },
    ],
  };
}
