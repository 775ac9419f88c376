import { createServer, type Server, type ServerResponse } from 'node:http';
import { redactConfig, redactURL } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createApp } from './app.js';
import type { Logger } from '../log.js';

/** A running gateway. */
export interface RunningGateway {
  server: Server;
  /** The bound address, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** Graceful shutdown (see `stopGracefully`). */
  close(): Promise<void>;
}

/** How often a shutdown closes connections that have gone idle since it began. */
const SWEEP_MS = 50;

/**
 * Stops accepting connections, lets requests under way finish for up to `boundMs` (then cuts what is
 * left), and only then stops the outbox: everything a caller was told "OK" for is already stored, and
 * whatever is still pending stays stored for the next start. IM servers keep their connections alive,
 * so a connection is closed as soon as it has no request under way, and every answer given meanwhile
 * says `Connection: close`: the shutdown ends when the work does, not when `boundMs` runs out.
 */
export async function stopGracefully(server: Server, boundMs: number, closeRest: () => Promise<void>): Promise<void> {
  server.on('request', (_req, res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  });
  const drained = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const sweeper = setInterval(() => server.closeIdleConnections(), SWEEP_MS);
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, boundMs);
  });
  await Promise.race([drained, bound]);
  clearTimeout(timer);
  clearInterval(sweeper);
  await closeRest();
}

/** Starts the gateway on the configured host and port. */
export async function startGateway(config: Config, logger: Logger): Promise<RunningGateway> {
  const gateway = createApp({ config, logger });
  const limit = config.server.requestTimeoutMs;
  // Node looks for connections past these timeouts only every `connectionsCheckingInterval` (30 s by
  // default), so it is made short enough for the limit to hold.
  const server = createServer(
    { requestTimeout: limit, headersTimeout: limit, connectionsCheckingInterval: Math.min(1_000, limit) },
    gateway.app.callback(),
  ).listen(config.server.port, config.server.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  // Callbacks arrive on keep-alive connections; let them idle longer than typical client pools.
  server.keepAliveTimeout = 65_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const url = `http://${config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host}:${port}`;
  logger.info({ url, config: redactConfig(config) }, 'imbridge listening');
  if (!config.tencent.callbackToken || !config.tencent.sdkAppId) {
    logger.warn(
      'Tencent callbacks are not fully authenticated: set tencent.sdkAppId and tencent.callbackToken (README, Security)',
    );
  }
  if (!config.openim.pathSecret && config.openim.allowedIPs.length === 0) {
    logger.warn(
      'OpenIM callbacks are not authenticated: set openim.pathSecret and/or openim.allowedIPs (README, Security)',
    );
  }
  if (gateway.pipeline.shadow) {
    logger.warn(
      'SHADOW MODE: no downstream configured (DOWNSTREAM_URL). imbridge answers every callback with allow/OK itself and only logs the translations.',
    );
  } else if (gateway.outbox) {
    logger.info({ outbox: redactURL(config.outbox.url), ...(await gateway.outbox.store.depth()) }, 'outbox open');
  }
  return { server, url, close: () => stopGracefully(server, config.shutdownMs, () => gateway.close()) };
}
