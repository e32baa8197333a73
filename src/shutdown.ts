/**
 * Graceful shutdown: on SIGTERM/SIGINT stop being ready, stop accepting connections, let in-flight
 * calls finish, and exit; exit anyway (code 1) once the grace period passes. Extracted from
 * server.ts so it can be tested in-process with an injected `exit`.
 */
import type { Server } from 'node:http';
import type { CdsApp } from './app';
import type { Logger } from './logger';

export interface GracefulShutdownOptions {
  /** Longest wait for in-flight calls before forcing the exit (ms). */
  readonly graceMs: number;
  /** `process.exit` in production; a spy in tests. */
  readonly exit: (code: number) => void;
  /** Signals to listen to; default SIGTERM and SIGINT. Empty: only the returned trigger starts it. */
  readonly signals?: readonly NodeJS.Signals[];
}

export interface GracefulShutdown {
  /** Starts the shutdown as if `reason` (e.g. 'SIGTERM') arrived; later calls are ignored. */
  shutdown(reason: string): void;
  /** Removes the signal listeners (tests). */
  uninstall(): void;
}

export function installGracefulShutdown(
  server: Server,
  app: Pick<CdsApp, 'markNotReady'> & Partial<Pick<CdsApp, 'closeStores'>>,
  logger: Logger,
  options: GracefulShutdownOptions,
): GracefulShutdown {
  let stopping = false;
  let exited = false;
  const exitOnce = (code: number): void => {
    if (exited) return;
    exited = true;
    options.exit(code);
  };

  const shutdown = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal: reason }, 'shutting down: no new connections, finishing in-flight calls');
    // /ready → 503 so the load balancer drains this instance, even on keep-alive connections still open.
    app.markNotReady();
    const timer = setTimeout(() => {
      logger.warn('in-flight calls did not finish in time; exiting');
      server.closeAllConnections();
      exitOnce(1);
    }, options.graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      // In-flight calls are done: only now may the shared store (replay checks) go away.
      void Promise.resolve(app.closeStores?.())
        .catch(() => undefined)
        .then(() => {
          logger.info('shutdown complete');
          exitOnce(0);
        });
    });
    // Idle keep-alive sockets would otherwise hold close() for up to keepAliveTimeout.
    server.closeIdleConnections();
  };

  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const listeners = signals.map((signal) => {
    const listener = (): void => shutdown(signal);
    process.on(signal, listener);
    return [signal, listener] as const;
  });

  return {
    shutdown,
    uninstall: () => {
      for (const [signal, listener] of listeners) process.off(signal, listener);
    },
  };
}
