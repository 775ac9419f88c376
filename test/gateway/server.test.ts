import { expect } from 'chai';
import { connect } from 'node:net';
import { configSchema } from '../../src/config/schema.js';
import { createLogger } from '../../src/log.js';
import { Agent, request } from 'undici';
import { startGateway, type RunningGateway } from '../../src/gateway/server.js';
import { Downstream } from '../helpers/downstream.js';
import { fixture } from '../helpers/fixtures.js';
import { outboxFile } from '../helpers/outbox.js';

/** What the server writes back to a client that sends `head` and then nothing more, and when it ends. */
function trickle(url: string, head: string): Promise<{ reply: string; ms: number }> {
  const { hostname, port } = new URL(url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let reply = '';
    const socket = connect(Number(port), hostname, () => socket.write(head));
    socket.on('data', (chunk) => (reply += chunk));
    socket.on('close', () => resolve({ reply, ms: performance.now() - started }));
    socket.on('error', reject);
    // A bound for the test itself, far past the limit under test.
    socket.setTimeout(10_000, () => socket.destroy());
  });
}

describe('server: callers that send too slowly', function () {
  this.timeout(20_000);
  let gateway: RunningGateway;
  before(async () => {
    const config = configSchema.validateSync({
      server: { host: '127.0.0.1', port: 0, requestTimeoutMs: 500 },
      logLevel: 'silent',
    });
    gateway = await startGateway(config, createLogger('silent'));
  });
  after(() => gateway.close());

  it('answers 408 and closes the connection once the body has not arrived within server.requestTimeoutMs', async () => {
    const { reply, ms } = await trickle(
      gateway.url,
      'POST /tencent?SdkAppid=1&CallbackCommand=Sns.CallbackFriendDelete HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"Pair',
    );
    expect(reply).to.match(/^HTTP\/1\.1 408 /);
    expect(ms).to.be.within(500, 3_000);
  });

  it('does the same for headers that never end', async () => {
    const { reply, ms } = await trickle(gateway.url, 'POST /tencent HTTP/1.1\r\nHost: x\r\n');
    expect(reply).to.match(/^HTTP\/1\.1 408 /);
    expect(ms).to.be.within(500, 3_000);
  });
});

describe('server: shutdown with callers that keep their connections alive', function () {
  this.timeout(20_000);

  it('ends as soon as the work under way is done, not when shutdownMs runs out', async () => {
    const backend = new Downstream(async () => {
      await new Promise((r) => setTimeout(r, 300));
      return { body: '{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0}' };
    });
    const backendURL = await backend.start();
    const config = configSchema.validateSync({
      server: { host: '127.0.0.1', port: 0 },
      logLevel: 'silent',
      shutdownMs: 8_000,
      downstream: { url: backendURL, format: 'openim' },
      outbox: { url: `sqlite:${outboxFile('shutdown')}` },
    });
    const gateway = await startGateway(config, createLogger('silent'));
    // IM servers' HTTP clients keep connections alive between callbacks.
    const agent = new Agent({ keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });
    try {
      const post = () =>
        request(`${gateway.url}/openim/callbackBeforeImportFriendsCommand`, {
          method: 'POST',
          body: fixture('openim', 'callbackBeforeImportFriendsCommand'),
          dispatcher: agent,
        });
      await (await post()).body.text();
      const underWay = post();
      await new Promise((r) => setTimeout(r, 50));
      const started = performance.now();
      await gateway.close();
      const ms = performance.now() - started;
      const res = await underWay;
      expect(res.statusCode, 'the callback under way was answered').to.equal(200);
      await res.body.text();
      expect(ms).to.be.lessThan(2_000);
    } finally {
      await agent.close();
      await backend.close();
    }
  });
});
