/**
 * The HTTP server with Node's timeouts from configuration (README "Operations"). Slow-header and
 * slow-body clients are cut at `headersTimeout`/`requestTimeout`; idle keep-alive sockets live
 * `keepAliveTimeout`, which must outlast the load balancer's idle timeout, or the LB reuses a socket we
 * are closing and its request gets a reset.
 */
import http from 'node:http';
import type { RequestListener } from 'node:http';
import type { AppConfig } from '../config';

/** Node checks header/request timeouts only this often (default 30 s, which would make a 10 s limit ~40 s). */
const MAX_CHECK_INTERVAL_MS = 1000;

export type HttpTimeouts = Pick<AppConfig, 'httpHeadersTimeoutMs' | 'httpRequestTimeoutMs' | 'httpKeepAliveTimeoutMs'>;

/** Creates (does not start) the server for `app`. */
export function createHttpServer(app: RequestListener, config: HttpTimeouts): http.Server {
  return http.createServer(
    {
      headersTimeout: config.httpHeadersTimeoutMs,
      requestTimeout: config.httpRequestTimeoutMs,
      keepAliveTimeout: config.httpKeepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(MAX_CHECK_INTERVAL_MS, config.httpHeadersTimeoutMs),
    },
    app,
  );
}
