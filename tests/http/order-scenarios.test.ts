/**
 * Every order fixture request (fixtures/order-scenarios.json) sent to its service over HTTP: the cards
 * are exactly the scenario's expected topics, and the too-early ones carry the move-date update.
 */
import type { Card } from '../../src/cds/types';
import { ORDER_SERVICE_OF, type OrderScenario } from '../../scripts/order-fixtures';
import { fixture } from '../helpers/fixtures';
import { post, useStartedApp } from '../helpers/start-app';

const scenarios = fixture<OrderScenario[]>('order-scenarios.json');

describe('order fixture requests over HTTP', () => {
  const app = useStartedApp({ env: { CDS_CLOCK_DATE: '2026-11-15' }, real: {} });

  test('When the fixtures are read, then both hooks are covered', () => {
    expect(new Set(scenarios.map((s) => s.hook))).toEqual(new Set(['order-sign', 'order-select']));
  });

  test.each(scenarios.map((s) => [s.name, s] as const))(
    'When %s is sent, then its cards are as listed',
    async (name, s) => {
      const res = await post(
        `${app().baseUrl}/cds-services/${ORDER_SERVICE_OF[s.hook]}`,
        fixture(`requests/${name}.json`),
      );
      expect(res.status).toBe(200);
      const cards = res.body.cards as Card[];
      expect(cards.map((c) => c.source.topic?.code)).toEqual(s.expectedTopics);
      for (const card of cards.filter((c) => c.source.topic?.code === 'botox-order-too-early'))
        expect(card.suggestions?.[0]?.actions?.[0]?.type).toBe('update');
    },
  );
});
