/**
 * Process entry, the only module with process-wide side effects: reads the environment, listens on
 * PORT, and shuts down gracefully on SIGTERM/SIGINT.
 */
import { composeApp } from './compose';
import { ConfigError, loadConfig } from './config';
import { createHttpServer } from './http/server-timeouts';
import { createLogger, type Logger } from './logger';
import { RegistryError } from './cds/registry';
import { installGracefulShutdown } from './shutdown';

/** Kubernetes waits 30 s by default; we promise to be gone well within 10 s. */
const SHUTDOWN_GRACE_MS = 8000;

function listenFailure(code: string | undefined, port: number): string {
  switch (code) {
    case 'EADDRINUSE':
      return `port ${port} is already in use`;
    case 'EACCES':
      return `no permission to listen on port ${port}`;
    default:
      return `cannot listen on port ${port}`;
  }
}

/** A listen failure (port in use, no permission) is fatal: one clear line, exit 1, never "listening". */
function onListenError(logger: Logger, port: number, err: NodeJS.ErrnoException): never {
  logger.fatal({ port, code: err.code }, `migraine-botox-cds cannot start: ${listenFailure(err.code, port)}`);
  logger.flush();
  process.exit(1);
}

function main(): void {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Invalid configuration:\n${err.problems.map((p) => `  - ${p}`).join('\n')}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config);
  let app;
  try {
    app = composeApp(config, logger);
  } catch (err) {
    if (err instanceof RegistryError) {
      logger.fatal({ problems: err.problems }, 'invalid CDS service definitions');
      process.exit(1);
    }
    throw err;
  }

  const port = config.port;
  const server = createHttpServer(app, config);
  // Without this a port in use was logged as "listening" and the process exited 0 (express 5's
  // app.listen hands the error to its callback, which ignored it).
  server.once('error', (err: NodeJS.ErrnoException) => onListenError(logger, port, err));
  server.listen(port, () => {
    logger.info({ port, auth: config.auth }, 'migraine-botox-cds listening');
  });

  installGracefulShutdown(server, app, logger, { graceMs: SHUTDOWN_GRACE_MS, exit: (code) => process.exit(code) });
}

main();
