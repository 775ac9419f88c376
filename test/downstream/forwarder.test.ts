import { expect } from 'chai';
import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deadline } from '../../src/downstream/deadline.js';
import { Forwarder } from '../../src/downstream/forwarder.js';
import { useBackend } from '../helpers/downstream.js';

const never = new AbortController().signal;

/** What a promise rejects with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  return promise.then(
    () => expect.fail('resolved, expected a rejection'),
    (err: Error) => err,
  );
}

describe('forwarder: one downstream request and its reply, through axios and undici', () => {
  const { backend, url } = useBackend((req) =>
    req.url === '/slow'
      ? { body: '{}', delayMs: 2_000 }
      : { status: 201, headers: { 'x-seen': req.method }, body: `${req.method} ${req.body}` },
  );
  const forwarder = new Forwarder();
  after(() => forwarder.close());

  it('merges each request into axios defaults that already have its keys (a new key would cost a hidden class per call)', async () => {
    const seen: string[][] = [];
    const probe = new Forwarder();
    // What axios's merge starts from, and what send() hands it.
    const http = probe['http'];
    const request = http.request.bind(http);
    http.request = (config) => {
      seen.push(Object.keys(config));
      return request(config);
    };
    const defaults = Object.keys(probe['http'].defaults);
    await probe.send({ method: 'POST', url: `${url()}/hook`, headers: {}, body: '{}' }, never);
    await probe.close();
    expect(seen).to.have.length(1);
    expect(defaults).to.include.members(['method', 'url', 'data', 'signal', 'headers']);
    expect(seen[0]!.filter((k) => !defaults.includes(k))).to.deep.equal([]);
  });

  it('sends exactly the method, headers and body it is given, and returns status, headers and body text', async () => {
    const reply = await forwarder.send(
      {
        method: 'POST',
        url: `${url()}/hook?x=1`,
        headers: { 'content-type': 'application/json', 'x-sig': 'abc' },
        body: '{"a":"é"}',
      },
      never,
    );
    expect(reply).to.include({ status: 201, body: 'POST {"a":"é"}' });
    expect(reply.headers['x-seen']).to.equal('POST');
    const [got] = await backend.waitFor(1);
    expect(got).to.include({ method: 'POST', url: '/hook?x=1', body: '{"a":"é"}' });
    expect(got!.headers).to.include({ 'content-type': 'application/json', 'x-sig': 'abc' });
  });

  it('rejects once the signal aborts, and the next request goes through', async () => {
    const budget = deadline(50);
    const started = performance.now();
    const sent = forwarder.send({ method: 'POST', url: `${url()}/slow`, headers: {}, body: '{}' }, budget.signal);
    expect(await rejection(sent)).to.include({ code: 'ERR_CANCELED' });
    expect(performance.now() - started).to.be.below(1_000);
    budget.clear();
    const reply = await forwarder.send({ method: 'POST', url: `${url()}/after`, headers: {}, body: 'x' }, never);
    expect(reply.body).to.equal('POST x');
  });

  it('sends nothing for a signal that has already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(
      await rejection(
        forwarder.send({ method: 'POST', url: `${url()}/hook`, headers: {}, body: '{}' }, controller.signal),
      ),
    ).to.include({
      code: 'ERR_CANCELED',
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(backend.received).to.have.length(0);
  });

  it('leaves no listener on a signal it shares with other requests once each request is over', async () => {
    // The outbox hands one signal to every delivery that starts in the same few milliseconds.
    const shared = new AbortController().signal;
    const replies = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        forwarder.send({ method: 'POST', url: `${url()}/hook`, headers: {}, body: `${i}` }, shared),
      ),
    );
    expect(replies.map((r) => r.body)).to.deep.equal(['POST 0', 'POST 1', 'POST 2', 'POST 3', 'POST 4']);
    await rejection(forwarder.send({ method: 'POST', url: 'http://127.0.0.1:1/', headers: {}, body: '{}' }, shared));
    expect(getEventListeners(shared, 'abort')).to.have.length(0);
  });

  it('rejects, naming the cause, when nothing listens at the address', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    expect(
      await rejection(
        forwarder.send({ method: 'POST', url: `http://127.0.0.1:${port}/`, headers: {}, body: '{}' }, never),
      ),
    ).to.include({ code: 'ECONNREFUSED' });
  });
});

describe('forwarder: a reply longer than replyLimitBytes', () => {
  const { url } = useBackend((req) => ({ body: req.url === '/big' ? 'x'.repeat(300_000) : 'small' }));
  const forwarder = new Forwarder({ replyLimitBytes: 100_000 });
  after(() => forwarder.close());

  it('fails the request, naming the limit, and the next request goes through', async () => {
    const err = await rejection(
      forwarder.send({ method: 'POST', url: `${url()}/big`, headers: {}, body: '{}' }, never),
    );
    expect(err.message).to.equal('reply is longer than 100000 bytes');
    const reply = await forwarder.send({ method: 'POST', url: `${url()}/small`, headers: {}, body: '{}' }, never);
    expect(reply.body).to.equal('small');
  });
});

describe('forwarder: reply bodies that arrive in pieces', () => {
  let server: Server;
  let base = '';
  const forwarder = new Forwarder();
  const text = '{"msg":"héllo 你好"}';

  before(async () => {
    // Writes the reply a few bytes at a time, splitting multi-byte characters between writes.
    server = createServer((req, res) => {
      const bytes = Buffer.concat([
        req.url === '/bom' ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
        Buffer.from(text),
      ]);
      res.writeHead(200, { 'content-type': 'application/json' });
      let at = 0;
      const next = () => {
        if (at >= bytes.length) return res.end();
        res.write(bytes.subarray(at, (at += 5)));
        setTimeout(next, 2);
      };
      next();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await forwarder.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('decodes a UTF-8 body whose characters straddle the pieces', async () => {
    const reply = await forwarder.send({ method: 'POST', url: `${base}/split`, headers: {}, body: '{}' }, never);
    expect(reply.body).to.equal(text);
  });

  it('drops a leading byte-order mark, so the reply still parses as JSON', async () => {
    const reply = await forwarder.send({ method: 'POST', url: `${base}/bom`, headers: {}, body: '{}' }, never);
    expect(JSON.parse(reply.body)).to.deep.equal({ msg: 'héllo 你好' });
  });
});
