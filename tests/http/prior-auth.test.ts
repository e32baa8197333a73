/**
 * The full prior-authorization case over HTTP: the candidacy card is read in five seconds (summary within
 * the limit, detail leading with the decision) and carries the payer summary and one save-to-chart suggestion
 * whose DocumentReference is about the context patient.
 */
import type { DocumentReference } from 'fhir/r4';
import type { CdsResponse } from '../../src/cds/types';
import { MAX_SUMMARY_LENGTH } from '../../src/cards/markdown';
import { fixture } from '../helpers/fixtures';
import { SERVICE_ID, useStartedApp } from '../helpers/start-app';

describe('cm-candidate-prior-auth over HTTP', () => {
  const app = useStartedApp({ env: { CDS_CLOCK_DATE: '2026-11-15' }, real: {} });

  async function cards(): Promise<CdsResponse['cards']> {
    const res = await fetch(`${app().baseUrl}/cds-services/${SERVICE_ID}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fixture('requests/cm-candidate-prior-auth.json')),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as CdsResponse).cards;
  }

  it('When the chart opens, then one candidacy card fits the summary limit and leads with the decision', async () => {
    const [card, ...rest] = await cards();
    expect(rest).toEqual([]);
    expect(card?.source.topic?.code).toBe('chronic-migraine-candidate');
    expect(card?.summary.length).toBeLessThanOrEqual(MAX_SUMMARY_LENGTH);
    expect(card?.summary).toContain('3 preventives tried');
    const firstParagraph = card?.detail?.split('\n\n')[0] ?? '';
    expect(firstParagraph).toMatch(/^\*\*Decision:\*\* offer onabotulinumtoxinA/);
    expect(firstParagraph).toContain('preventives failed or not tolerated: 3');
  });

  it('When the card is rendered, then the summary block closes the detail and the suggestion saves it for this patient', async () => {
    const [card] = await cards();
    expect(card?.detail?.trimEnd().endsWith('````')).toBe(true);
    expect(card?.selectionBehavior).toBe('at-most-one');
    const doc = card?.suggestions?.[0]?.actions?.[0]?.resource as DocumentReference;
    expect(doc.subject?.reference).toBe('Patient/cm-candidate-prior-auth');
    const text = Buffer.from(doc.content[0]?.attachment.data ?? '', 'base64').toString('utf8');
    expect(card?.detail).toContain(text);
    expect(text).toContain('Diagnosis: chronic migraine coded on the problem list');
  });
});
