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
    expect(JSON.parse(text)).toMatchObject({
      fhirAuthorization: '[redacted]',
      token: '[redacted]',
      req: { headers: { authorization: '[redacted]' } },
    });
  });

  test('When secrets sit in child bindings, arrays or an error, then they are redacted and the rest is kept', () => {
    const lines: string[] = [];
    const logger = createLogger({ logLevel: 'info' }, { write: (l: string) => void lines.push(l) });
    const err = Object.assign(new Error('boom'), { token: 'tok-5' });
    const original = { list: [{ jwt: 'jwt-3' }, 'plain'], err, safe: { a: 1 } };

    logger.child({ ctx: { access_token: 'tok-4' } }).info(original, 'msg');

    const text = lines.join('');
    for (const secret of ['tok-4', 'tok-5', 'jwt-3']) expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toMatchObject({
      list: [{ jwt: '[redacted]' }, 'plain'],
      err: { message: 'boom', token: '[redacted]' },
      safe: { a: 1 },
    });
    // The caller's object is never modified.
    expect(original.list[0]).toEqual({ jwt: 'jwt-3' });
    expect(err.token).toBe('tok-5');
  });

  test('When the level is warn, then info lines are dropped', () => {
    const lines: string[] = [];
    const logger = createLogger({ logLevel: 'warn' }, { write: (l: string) => void lines.push(l) });

    logger.info('hidden');
    logger.warn('shown');

    expect(lines).toHaveLength(1);
  });
});
