/**
 * A service that exists only in the tests: an order-select module registered beside the real ones through
 * the same list (src/services SERVICES), to prove the kernel holds more than one service. Its definition
 * is tests/kernel/test-order-echo.json, copied with the shipped ones into a temporary services folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderFromTable, type CardTable, type IdSource } from '../../src/cards/card-table';
import type { ServiceFactory, ServiceModule } from '../../src/cds/service-module';
import { REPO_ROOT } from '../helpers/start-app';

export const TEST_SERVICE_ID = 'test-order-echo';

type EchoFinding = { readonly kind: 'test-order-selected'; readonly selection: string; readonly onRecord: number };

const ECHO_CARDS: CardTable<EchoFinding, IdSource> = {
  'test-order-selected': {
    display: 'Test: order selected',
    indicator: 'info',
    source: { label: 'Test guideline', url: 'https://example.org/test' },
    links: [],
    overrideReasons: [],
    render: (finding) => ({ summary: `Selected ${finding.selection}; ${finding.onRecord} resources on record` }),
  },
};

/** One finding per selected order, with how many resources the kernel loaded for the patient. */
export const testOrderEcho: ServiceFactory = (): ServiceModule<'order-select', EchoFinding> => ({
  id: TEST_SERVICE_ID,
  hook: 'order-select',
  evaluate: (patient, context) => {
    const onRecord = Object.values(patient).flat().length;
    return context.selections.map((selection) => ({ kind: 'test-order-selected', selection, onRecord }));
  },
  render: (finding, ctx) => renderFromTable(ECHO_CARDS, finding, ctx),
});

/** A temporary services folder: every shipped definition plus the test service's. Remove it after use. */
export function servicesDirWithTestService(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cds-services-kernel-'));
  const shipped = path.join(REPO_ROOT, 'cds-services');
  for (const file of fs.readdirSync(shipped).filter((f) => f.endsWith('.json')))
    fs.copyFileSync(path.join(shipped, file), path.join(dir, file));
  fs.copyFileSync(path.join(__dirname, 'test-order-echo.json'), path.join(dir, 'test-order-echo.json'));
  return dir;
}
