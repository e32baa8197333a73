import { createLogger } from '../../src/logger';

describe('createLogger', () => {
  test('When secrets appear in a log object, then they are redacted', () => {
    const lines: string[] = [];
    const logger = createLogger({ logLevel: 'info' }, { write: (l: string) => void lines.push(l) });

    logger.info({
      req: { headers: { authorization: 'Bearer jwt-value' } },
      fhirAuthorization: { access_token: 'tok-1' },
      nested: { access_token: 'tok-2', prefetch: { patient: 'Pat' } },
      token: 'tok-3',
      jwt: 'jwt-2',
    });

    const text = lines.join('');
    for (const secret of ['jwt-value', 'tok-1', 'tok-2', 'tok-3', 'jwt-2', 'Pat']) expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toMatchObject({ fhirAuthorization: '[redacted]', token: '[redacted]', req: { headers: { authorization: '[redacted]' } } });
  });

  test('When the level is warn, then info lines are dropped', () => {
    const lines: string[] = [];
    const logger = createLogger({ logLevel: 'warn' }, { write: (l: string) => void lines.push(l) });

    logger.info('hidden');
    logger.warn('shown');

    expect(lines).toHaveLength(1);
  });
});
