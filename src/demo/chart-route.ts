/**
 * `GET /demo/chart/:patientId`: the demo chart's data, read from the FHIR server exactly as the service
 * reads it without prefetch (its own prefetch templates, the kernel's loader and FHIR budgets) and judged
 * on the clock, zone and clinical configuration of the service that answers that patient's hook calls.
 * Demo tooling only.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import { clockFor } from '../clock';
import type { AppConfig } from '../config';
import { loadPatientData } from '../cds/patient-data';
import { loadServiceDefinition } from '../cds/registry';
import { createHttpFhirGateway } from '../fhir/http-gateway';
import type { Logger } from '../logger';
import { CHRONIC_MIGRAINE_BOTOX_ID } from '../services/chronic-migraine-botox';
import { chartData } from './chart-data';
import type { Scenario, ScenarioTable } from './scenarios';

export interface ChartRouteDeps {
  readonly scenarios: ScenarioTable;
  readonly fhirBaseUrl: string;
  /** The configuration of the service that judges `scenario` (its clock, zone, thresholds, code sets). */
  readonly configFor: (scenario: Scenario) => AppConfig;
  readonly logger: Logger;
}

/** A FHIR resource id (FHIR R4 `id`: 1–64 of `[A-Za-z0-9.-]`). The URL parameter is untrusted. */
const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;

export function createChartRoute(deps: ChartRouteDeps): express.Router {
  const router = express.Router();
  router.get('/:patientId', async (req, res) => {
    const patientId = req.params.patientId;
    if (!FHIR_ID.test(patientId)) {
      res.status(400).json({ error: 'bad-request', message: 'patient id must be a FHIR id ([A-Za-z0-9.-]{1,64})' });
      return;
    }
    // Only the synthetic patients of the scenario table: the demo is no general FHIR reader.
    const scenario = deps.scenarios.scenarios.find((s) => s.patientId === patientId);
    if (scenario === undefined) {
      res.status(404).json({ error: 'not-found', message: 'no such demo patient' });
      return;
    }
    const config = deps.configFor(scenario);
    // The templates as discovery serves them: {{codes:…}} filled from this site's code sets.
    const definition = loadServiceDefinition(config.servicesDir, CHRONIC_MIGRAINE_BOTOX_ID, config.clinical.codeSets);
    const request = {
      hook: 'patient-view',
      hookInstance: randomUUID(),
      fhirServer: deps.fhirBaseUrl,
      context: { userId: 'Practitioner/demo', patientId },
    };
    const fhir = {
      timeoutMs: config.fhirTimeoutMs,
      maxPages: config.fhirMaxPages,
      maxResponseBytes: config.fhirMaxResponseBytes,
      maxCallBytes: config.fhirMaxCallBytes,
    };
    const signal = AbortSignal.timeout(config.requestDeadlineMs);
    const patient = await loadPatientData(
      request,
      definition.prefetch ?? {},
      { gatewayFactory: createHttpFhirGateway, fhir },
      { logger: deps.logger, signal },
    );
    if (patient === undefined) {
      res.status(502).json({ error: 'fhir-unavailable', message: 'the FHIR server did not answer' });
      return;
    }
    if ((patient.patient ?? []).length === 0) {
      res.status(404).json({ error: 'not-found', message: 'no such patient on the FHIR server' });
      return;
    }
    // The service's own clock for this configuration (src/compose.ts; no client zone with CDS_AUTH=off).
    const clock = clockFor(config)(config.timeZone);
    res.json(chartData(patientId, patient, clock, config.clinical));
  });
  return router;
}
