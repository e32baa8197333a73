/**
 * Process entry, the only module with process-wide side effects: reads the environment, listens on
 * PORT, and shuts down gracefully on SIGTERM/SIGINT.
 */
import { composeApp } from './compose';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { RegistryError } from './cds/registry';
import { installGracefulShutdown } from './shutdown';

/** Kubernetes waits 30 s by default; we promise to be gone well within 10 s. */
const SHUTDOWN_GRACE_MS = 8000;

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

  const server = app.listen(config.port, () => {
    logger.info({ port: config.port, auth: config.auth }, 'migraine-botox-cds listening');
  });
  // Behind a load balancer, idle keep-alive sockets must outlive its idle timeout, or requests race the close.
  server.keepAliveTimeout = 65_000;

  installGracefulShutdown(server, app, logger, { graceMs: SHUTDOWN_GRACE_MS, exit: (code) => process.exit(code) });
}

main();
