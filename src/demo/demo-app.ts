/**
 * The demo's single express app: the demo page, its two small JSON helpers and the read-only FHIR
 * proxy in front, the real CDS service (exactly as composed for production) behind.
 * Demo tooling only.
 */
import path from 'node:path';
import express from 'express';
import type { CdsApp } from '../app';
import type { AppConfig } from '../config';
import type { Logger } from '../logger';
import { createChartRoute } from './chart-route';
import { createFhirProxy } from './fhir-proxy';
import type { Scenario, ScenarioTable } from './scenarios';
import { CHRONIC_MIGRAINE_BOTOX_ID } from '../services/chronic-migraine-botox';

/**
 * One clinic the demo runs the service for: the fixtures' default clock at the root, and one more per
 * scenario clock (a Pacific clinic late in the evening) under `base`, as a multi-site EHR would have.
 */
export interface DemoSite {
  /** '' for the default site, else e.g. `/demo/clinic/1`: the page sends that site's patients' hooks there. */
  readonly base: string;
  readonly cdsApp: CdsApp;
  readonly config: AppConfig;
  readonly patientIds: ReadonlySet<string>;
}

export interface DemoAppDeps {
  /** The first is the default site, mounted at the root. */
  readonly sites: readonly [DemoSite, ...DemoSite[]];
  readonly scenarios: ScenarioTable;
  readonly logger: Logger;
  /** The real FHIR base URL: the page sends it as `fhirServer`, the service fetches from it. */
  readonly fhirBaseUrl: string;
  /** demo/public */
  readonly publicDir: string;
}

export function createDemoApp(deps: DemoAppDeps): express.Application {
  const app = express();
  app.disable('x-powered-by');
  const [root, ...others] = deps.sites;
  const siteOf = (s: Scenario): DemoSite => others.find((site) => site.patientIds.has(s.patientId)) ?? root;

  app.get('/', (_req, res) => res.redirect(302, '/demo/'));
  app.get('/demo/config.json', (_req, res) => {
    res.json({
      fhirBaseUrl: deps.fhirBaseUrl,
      fhirProxyBase: '/demo/fhir',
      serviceId: CHRONIC_MIGRAINE_BOTOX_ID,
      asOf: deps.scenarios.asOf,
    });
  });
  app.get('/demo/scenarios.json', (_req, res) =>
    res.json(deps.scenarios.scenarios.map((s) => ({ ...s, serviceBase: siteOf(s).base }))),
  );
  app.use('/demo/fhir', createFhirProxy(deps.fhirBaseUrl));
  app.use(
    '/demo/chart',
    createChartRoute({
      scenarios: deps.scenarios,
      fhirBaseUrl: deps.fhirBaseUrl,
      configFor: (s) => siteOf(s).config,
      logger: deps.logger,
    }),
  );
  for (const site of others) app.use(site.base, site.cdsApp);
  // maxAge 0: always revalidate, the page is edited while the demo runs. serve-static also redirects
  // `/demo` → `/demo/` (a separate `/demo` route would loop: express matches it for `/demo/` too).
  app.use('/demo', express.static(deps.publicDir, { index: 'index.html', maxAge: 0 }));
  // Everything else (discovery, hooks, feedback, health, 404s) is the service itself.
  app.use(root.cdsApp);
  return app;
}

/** demo/public, found from this file so it works from src/demo (ts-jest) and dist/demo (node). */
export const DEFAULT_PUBLIC_DIR = path.resolve(__dirname, '../../demo/public');
