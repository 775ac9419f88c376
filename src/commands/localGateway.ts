import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { createApp, type Gateway } from '../gateway/app.js';
import { createLogger } from '../log.js';

/** A gateway of this version on 127.0.0.1 for a tool (replay, golden tests), with a scratch directory. */
export interface LocalGateway {
  url: string;
  gateway: Gateway;
  /** The scratch directory the config was made with (outbox, recording); the caller removes it. */
  dir: string;
  /** Closes the listener and the gateway (its outbox, recording, connections); the directory stays. */
  stop(): Promise<void>;
}

/** Starts a silent gateway on a free port of 127.0.0.1, its config made for a fresh scratch directory. */
export async function startLocalGateway(
  label: string,
  configFor: (dir: string) => Config,
  now?: () => number,
): Promise<LocalGateway> {
  const dir = mkdtempSync(join(tmpdir(), `imbridge-${label}-`));
  const gateway = createApp({ config: configFor(dir), logger: createLogger('silent'), now, processMetrics: false });
  const server: Server = gateway.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    gateway,
    dir,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
    },
  };
}
