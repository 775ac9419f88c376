import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort } from './wait.js';

let url: string | undefined;

/**
 * A real Redis for the Redis outbox tests: `REDIS_URL` when set; otherwise a private `redis-server` on
 * a free port, started once and stopped when the test process exits. Undefined when there is no
 * redis-server on this machine (CI installs it; `.ci/run` refuses to run without it).
 */
export async function redisURL(): Promise<string | undefined> {
  if (process.env['REDIS_URL']) return process.env['REDIS_URL'];
  if (url) return url;
  if (spawnSync('redis-server', ['--version']).status !== 0) return undefined;
  const port = await freePort();
  spawnRedis(port);
  url = `redis://127.0.0.1:${port}`;
  await answering(url);
  return url;
}

/** A redis-server on `port` of 127.0.0.1, killed when the test process exits. */
function spawnRedis(port: number): ChildProcess {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  // The test process must be able to end while this Redis still runs; it is killed on the way out.
  child.unref();
  process.on('exit', () => child.kill());
  return child;
}

/** Resolves once the Redis at `url` answers (and is emptied). */
async function answering(url: string): Promise<void> {
  const { Redis } = await import('ioredis');
  for (let i = 0; i < 100; i++) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    // Refused connections are expected until redis-server listens; connect() rejects with them anyway,
    // and without a listener ioredis would also print each one as an "Unhandled error event".
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.flushall();
      await probe.quit();
      return;
    } catch {
      probe.disconnect();
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error('redis-server did not start');
}

/** A redis-server of one test's own, to stop and start again on the same port (an outage). */
export interface PrivateRedis {
  url: string;
  /** Kills it (SIGKILL): connections drop and are refused until `start`. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
}

/** Starts a private redis-server; undefined when there is none on this machine. */
export async function privateRedis(): Promise<PrivateRedis | undefined> {
  if (spawnSync('redis-server', ['--version']).status !== 0) return undefined;
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child = spawnRedis(port);
  await answering(url);
  return {
    url,
    async kill() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
    async start() {
      child = spawnRedis(port);
      await answering(url);
    },
  };
}

/** Registers the suite only when Redis is available; says loudly when it is not (and fails in CI). */
export function describeWithRedis(title: string, body: (url: () => string) => void): void {
  describe(title, function () {
    let u: string | undefined;
    before(async function () {
      u = await redisURL();
      if (!u) {
        if (process.env['CI']) throw new Error('redis-server is required in CI (.ci/run installs it)');
        console.warn(`  ! ${title}: redis-server is not installed here, skipped (apt-get install redis-server)`);
        this.skip();
      }
    });
    body(() => u!);
  });
}
