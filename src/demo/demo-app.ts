/**
 * The demo's single express app: the demo page, its two small JSON helpers and the read-only FHIR
 * proxy in front, the real CDS service (exactly as composed for production) behind.
 * Demo tooling only.
 */
import path from 'node:path';
import express from 'express';
import type { CdsApp } from '../app';
import { createFhirProxy } from './fhir-proxy';
import type { ScenarioTable } from './scenarios';
import { CHRONIC_MIGRAINE_BOTOX_ID } from '../services/chronic-migraine-botox';

export interface DemoAppDeps {
  readonly cdsApp: CdsApp;
  readonly scenarios: ScenarioTable;
  /** The real FHIR base URL: the page sends it as `fhirServer`, the service fetches from it. */
  readonly fhirBaseUrl: string;
  /** demo/public */
  readonly publicDir: string;
}

export function createDemoApp(deps: DemoAppDeps): express.Application {
  const app = express();
  app.disable('x-powered-by');

  app.get('/', (_req, res) => res.redirect(302, '/demo/'));
  app.get('/demo/config.json', (_req, res) => {
    res.json({
      fhirBaseUrl: deps.fhirBaseUrl,
      fhirProxyBase: '/demo/fhir',
      serviceId: CHRONIC_MIGRAINE_BOTOX_ID,
      asOf: deps.scenarios.asOf,
    });
  });
  app.get('/demo/scenarios.json', (_req, res) => res.json(deps.scenarios.scenarios));
  app.use('/demo/fhir', createFhirProxy(deps.fhirBaseUrl));
  // maxAge 0: always revalidate, the page is edited while the demo runs. serve-static also redirects
  // `/demo` → `/demo/` (a separate `/demo` route would loop: express matches it for `/demo/` too).
  app.use('/demo', express.static(deps.publicDir, { index: 'index.html', maxAge: 0 }));
  // Everything else (discovery, hooks, feedback, health, 404s) is the service itself.
  app.use(deps.cdsApp);
  return app;
}

/** demo/public, found from this file so it works from src/demo (ts-jest) and dist/demo (node). */
export const DEFAULT_PUBLIC_DIR = path.resolve(__dirname, '../../demo/public');
