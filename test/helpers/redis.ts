import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

let server: ChildProcess | undefined;
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
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = probe.address() as { port: number };
      probe.close(() => resolve(p));
    });
  });
  server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  // The test process must be able to end while this Redis still runs; it is killed on the way out.
  server.unref();
  process.on('exit', () => server?.kill());
  url = `redis://127.0.0.1:${port}`;
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
      return url;
    } catch {
      probe.disconnect();
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error('redis-server did not start');
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
