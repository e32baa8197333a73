import { SERVICE_ID, post, useStartedApp } from '../helpers/start-app';

describe('POST /cds-services/{id}/feedback', () => {
  const started = useStartedApp();
  const url = (id = SERVICE_ID): string => `${started().baseUrl}/cds-services/${id}/feedback`;

  test('When accepted and overridden feedback arrives, then 200 {} and each item is logged without the comment', async () => {
    const body = {
      feedback: [
        {
          card: 'card-1',
          outcome: 'accepted',
          acceptedSuggestions: [{ id: 'sugg-1' }],
          outcomeTimestamp: '2025-03-01T10:00:00Z',
        },
        {
          card: 'card-2',
          outcome: 'overridden',
          overrideReason: {
            reason: { system: 'urn:reasons', code: 'patient-declined', display: 'Patient declined' },
            userComment: 'Mrs Smith is pregnant',
          },
          outcomeTimestamp: '2025-03-01T10:01:00.52Z',
        },
      ],
    };

    const res = await post(url(), body);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    const items = started()
      .logs()
      .filter((l) => l.msg === 'card feedback');
    expect(items).toEqual([
      expect.objectContaining({
        serviceId: SERVICE_ID,
        card: 'card-1',
        outcome: 'accepted',
        acceptedSuggestions: ['sugg-1'],
      }),
      expect.objectContaining({
        card: 'card-2',
        outcome: 'overridden',
        overrideReason: { system: 'urn:reasons', code: 'patient-declined' },
        hasUserComment: true,
      }),
    ]);
    expect(started().logText()).not.toContain('Mrs Smith');
  });

  test('When feedback is invalid, then 400 lists every problem', async () => {
    const body = {
      feedback: [
        { card: 'card-1', outcome: 'accepted', outcomeTimestamp: 'yesterday' },
        { card: 'card-2', outcome: 'ignored', outcomeTimestamp: '2025-03-01T10:00:00Z' },
      ],
    };

    const res = await post(url(), body);

    expect(res.status).toBe(400);
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        '/feedback/0/acceptedSuggestions is required',
        '/feedback/0/outcomeTimestamp must match format "date-time"',
        '/feedback/1/outcome must be one of: accepted, overridden',
      ]),
    );
  });

  test('When the feedback array is missing, then 400', async () => {
    const res = await post(url(), {});

    expect(res.status).toBe(400);
    expect(res.body.details).toEqual(['/feedback is required']);
  });

  test('When the service id is unknown, then 404', async () => {
    const res = await post(url('other'), { feedback: [] });

    expect(res.status).toBe(404);
  });
});
