/**
 * Feedback analytics and shadow mode over HTTP. A card's feedback is counted by the topic found from
 * its uuid (cards sent are remembered), by outcome and by override reason (a code the card did not
 * offer counts as `other`, so labels stay bounded); accepted suggestions by label; the override
 * ratio per topic on /metrics. A service in CDS_SHADOW_SERVICES evaluates, logs and counts its cards
 * but answers {"cards": []}.
 */
import { randomUUID } from 'node:crypto';
import type { Card } from '../../src/cds/types';
import { RegistryError } from '../../src/cds/registry';
import { composeApp } from '../../src/compose';
import { ConfigError, loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createMetrics } from '../../src/metrics';
import {
  blockNetwork,
  hookRequest,
  post,
  REPO_ROOT,
  restoreNetwork,
  SERVICE_ID,
  startApp,
  type StartedApp,
} from '../helpers/start-app';

const card = (): Card => ({
  uuid: randomUUID(),
  summary: 'Consider onabotulinumtoxinA',
  indicator: 'info',
  source: { label: 'Test', topic: { system: 'urn:test', code: 'candidate' } },
  suggestions: [{ label: 'Refer to headache clinic', uuid: randomUUID(), actions: [] }],
  overrideReasons: [
    { system: 'urn:test', code: 'patient-declined', display: 'Patient declined' },
    { system: 'urn:test', code: 'not-appropriate', display: 'Not appropriate' },
  ],
});

const sample = (text: string, name: string, labels: Record<string, string>): number | undefined => {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && want.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
};

describe('feedback analytics', () => {
  let app: StartedApp;
  let sent: Card[] = [];
  beforeAll(async () => {
    blockNetwork();
    app = await startApp({
      metrics: createMetrics({ defaultMetrics: false }),
      handle: async () => {
        sent = [card()];
        return { cards: sent };
      },
    });
  });
  afterAll(async () => {
    await app.close();
    restoreNetwork();
  });
  const feedbackUrl = (): string => `${app.baseUrl}/cds-services/${SERVICE_ID}/feedback`;
  const now = '2026-11-15T10:00:00Z';
  const overridden = (uuid: string, code?: string) => ({
    card: uuid,
    outcome: 'overridden',
    outcomeTimestamp: now,
    ...(code && { overrideReason: { reason: { system: 'urn:test', code } } }),
  });

  test('When cards get feedback, then cds_feedback_total counts them by topic, outcome and reason; suggestions by label; the override ratio per topic', async () => {
    const cards: Card[] = [];
    for (let i = 0; i < 3; i++) {
      expect((await post(`${app.baseUrl}/cds-services/${SERVICE_ID}`, hookRequest())).status).toBe(200);
      cards.push(...sent);
    }
    const [a, b, c] = cards as [Card, Card, Card];
    const feedback = [
      overridden(a.uuid, 'patient-declined'),
      overridden(b.uuid, 'free-text-from-a-client'),
      {
        card: c.uuid,
        outcome: 'accepted',
        outcomeTimestamp: now,
        acceptedSuggestions: [{ id: c.suggestions![0].uuid }],
      },
      overridden(randomUUID()),
    ];
    expect((await post(feedbackUrl(), { feedback })).status).toBe(200);
    const text = await (await fetch(`${app.baseUrl}/metrics`)).text();
    const base = { service: SERVICE_ID, topic: 'candidate' };
    expect(sample(text, 'cds_feedback_total', { ...base, outcome: 'overridden', reason: 'patient-declined' })).toBe(1);
    expect(sample(text, 'cds_feedback_total', { ...base, outcome: 'overridden', reason: 'other' })).toBe(1);
    expect(sample(text, 'cds_feedback_total', { ...base, outcome: 'accepted', reason: 'none' })).toBe(1);
    expect(sample(text, 'cds_feedback_total', { service: SERVICE_ID, topic: 'unknown', outcome: 'overridden' })).toBe(
      1,
    );
    expect(text).not.toContain('free-text-from-a-client');
    expect(
      sample(text, 'cds_feedback_accepted_suggestions_total', { ...base, suggestion: 'Refer to headache clinic' }),
    ).toBe(1);
    expect(sample(text, 'cds_feedback_override_ratio', base)).toBeCloseTo(2 / 3);
    const logged = app.logs().filter((l) => l.msg === 'card feedback');
    expect(logged.map((l) => l.topic)).toEqual(['candidate', 'candidate', 'candidate', 'unknown']);
  });
});

describe('shadow mode (CDS_SHADOW_SERVICES)', () => {
  let app: StartedApp;
  beforeAll(async () => {
    blockNetwork();
    app = await startApp({
      env: { CDS_SHADOW_SERVICES: SERVICE_ID },
      metrics: createMetrics({ defaultMetrics: false }),
      handle: async () => ({ cards: [card()] }),
    });
  });
  afterAll(async () => {
    await app.close();
    restoreNetwork();
  });

  test('When a shadowed service evaluates a card, then it answers {"cards": []} but logs and counts the topic as shadow', async () => {
    const res = await post(`${app.baseUrl}/cds-services/${SERVICE_ID}`, hookRequest());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ cards: [] });
    const line = app.logs().find((l) => l.serviceId === SERVICE_ID && Array.isArray(l.topics));
    expect(line).toMatchObject({ shadow: true, topics: ['candidate'], status: 200 });
    const text = await (await fetch(`${app.baseUrl}/metrics`)).text();
    expect(sample(text, 'cds_shadow_cards_total', { service: SERVICE_ID, topic: 'candidate' })).toBe(1);
    expect(sample(text, 'cds_cards_total', { service: SERVICE_ID, topic: 'candidate' })).toBeUndefined();
  });

  test('When CDS_SHADOW_SERVICES names an unknown service, then start-up fails naming it; a malformed list is a config error', () => {
    const config = loadConfig({ CDS_AUTH: 'off', CDS_SHADOW_SERVICES: `${SERVICE_ID}, no-such-service` }, REPO_ROOT);
    expect(config.shadowServices).toEqual([SERVICE_ID, 'no-such-service']);
    const logger = createLogger(config, { write: () => undefined });
    expect(() => composeApp(config, logger)).toThrow(RegistryError);
    expect(() => composeApp(config, logger)).toThrow(/CDS_SHADOW_SERVICES names 'no-such-service'/);
    expect(() => loadConfig({ CDS_AUTH: 'off', CDS_SHADOW_SERVICES: 'a b;c' }, REPO_ROOT)).toThrow(ConfigError);
  });
});
