/**
 * Each jest test file gets its own copy of nock, but all files in a worker share node's `http`
 * module: an interceptor left attached by one file re-emits socket errors in the next one without a
 * listener and crashes the worker. Detach it after every file.
 */
import nock from 'nock';

afterAll(() => {
  nock.cleanAll();
  nock.restore();
});
