import { expect } from 'chai';
import { Metrics } from '../../src/gateway/metrics.js';
import { SqliteStore } from '../../src/outbox/sqliteStore.js';
import { canonical } from '../helpers/translate.js';
import { fixture } from '../helpers/fixtures.js';
import { Downstream } from '../helpers/downstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { metricSample } from '../helpers/metrics.js';
import { outboxFile, outboxEntry } from '../helpers/outbox.js';

const CONTINUE = { actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0 };

const sample = metricSample;

describe('operations: metrics, logs and health after real traffic', () => {
  const backend = new Downstream((req) => {
    const body = JSON.parse(req.body);
    if (body.ownerUserID === 'deny-me') return { body: { ...CONTINUE, nextCode: 1, errCode: 20100, errMsg: 'no' } };
    if (body.ownerUserID === 'slow') return { body: CONTINUE, delayMs: 1_000 };
    return { body: CONTINUE };
  });
  const lines: string[] = [];
  let gateway: TestGateway;

  before(async () => {
    const url = await backend.start();
    gateway = await startGateway(
      { failureRule: 'allow', openim: { deadlineMs: 200 }, downstream: { url, format: 'openim' } },
      { logLines: lines, processMetrics: true },
    );
    const importOf = (owner: string) =>
      JSON.stringify({
        callbackCommand: 'callbackBeforeImportFriendsCommand',
        ownerUserID: owner,
        friendUserIDs: ['x'],
      });
    await gateway.post(
      '/tencent?SdkAppid=1&CallbackCommand=Sns.CallbackFriendDelete',
      fixture('tencent', 'Sns.CallbackFriendDelete'),
      { 'X-Request-Id': 'req-42' },
    );
    await gateway.post('/openim/callbackBeforeImportFriendsCommand', importOf('fine'), { Operationid: 'op-7' });
    await gateway.post('/openim/callbackBeforeImportFriendsCommand', importOf('deny-me'));
    await gateway.post('/openim/callbackBeforeImportFriendsCommand', importOf('slow'));
    await gateway.post(
      '/tencent?SdkAppid=1&CallbackCommand=Sns.CallbackFriendDelete',
      '{"CallbackCommand":"Sns.CallbackFriendDelete","PairList": 5}',
    );
    await gateway.post(
      '/tencent?SdkAppid=1&CallbackCommand=State.StateChange',
      // An action imbridge does not forward (docs/vendors/tencent.md#presence).
      '{"CallbackCommand":"State.StateChange","Info":{"Action":"CustomStatusChange","To_Account":"u1"}}',
    );
    await gateway.post('/openim/callbackInvented', '{}');
    await backend.waitFor(6);
    for (let i = 0; i < 100 && (await gateway.outbox!.store.depth()).pending > 0; i++)
      await new Promise((r) => setTimeout(r, 10));
  });
  after(async () => {
    await gateway.close();
    await backend.close();
  });

  it('counts callbacks by vendor, command and outcome', async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const callbacks = (labels: Record<string, string>) => sample(text, 'imbridge_callbacks_total', labels);
    expect(callbacks({ vendor: 'tencent', command: 'Sns.CallbackFriendDelete', outcome: 'ack' })).to.equal(1);
    expect(callbacks({ vendor: 'openim', command: 'callbackBeforeImportFriendsCommand', outcome: 'allow' })).to.equal(
      2,
    );
    expect(callbacks({ vendor: 'openim', command: 'callbackBeforeImportFriendsCommand', outcome: 'deny' })).to.equal(1);
    expect(callbacks({ vendor: 'tencent', command: 'Sns.CallbackFriendDelete', outcome: 'invalid_payload' })).to.equal(
      1,
    );
    expect(callbacks({ vendor: 'tencent', command: 'State.StateChange', outcome: 'unmapped' })).to.equal(1);
    // a prober's invented command never becomes a label
    expect(callbacks({ vendor: 'openim', command: 'unknown', outcome: 'unknown_command' })).to.equal(1);
    expect(text).not.to.include('callbackInvented');
  });

  it('counts deadline misses, failure-rule applications, unmapped commands and deliveries', async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(
      sample(text, 'imbridge_deadline_misses_total', {
        vendor: 'openim',
        command: 'callbackBeforeImportFriendsCommand',
      }),
    ).to.equal(1);
    expect(sample(text, 'imbridge_failure_rule_total', { rule: 'allow' })).to.equal(1);
    expect(sample(text, 'imbridge_unmapped_total', { vendor: 'tencent', command: 'State.StateChange' })).to.equal(1);
    expect(sample(text, 'imbridge_outbox_deliveries_total', { result: 'delivered' })).to.equal(3);
    expect(sample(text, 'imbridge_outbox_pending')).to.equal(0);
    expect(sample(text, 'imbridge_outbox_dead')).to.equal(0);
  });

  it('times downstream exchanges and callbacks in histograms', async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(
      sample(text, 'imbridge_downstream_duration_seconds_count', {
        format: 'openim',
        command: 'callbackAfterDeleteFriendCommand',
        result: 'ok',
      }),
    ).to.equal(3);
    expect(
      sample(text, 'imbridge_downstream_duration_seconds_count', {
        format: 'openim',
        command: 'callbackBeforeImportFriendsCommand',
        result: 'failed',
      }),
    ).to.equal(1);
    expect(sample(text, 'imbridge_callback_duration_seconds_count', { vendor: 'openim', phase: 'before' })).to.equal(3);
    expect(sample(text, 'imbridge_process_resident_memory_bytes')).to.be.greaterThan(0);
  });

  it('logs one structured line per callback, with request id, type, decision, downstream and operation id', async () => {
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const callback = parsed.filter((l) => l['msg'] === 'callback');
    const tencent = callback.find((l) => l['reqId'] === 'req-42')!;
    expect(tencent).to.include({
      vendor: 'tencent',
      command: 'Sns.CallbackFriendDelete',
      type: 'im.friend.deleted',
      outcome: 'ack',
      status: 200,
    });
    const allowed = callback.find((l) => l['operationID'] === 'op-7')!;
    expect(allowed).to.include({ vendor: 'openim', type: 'im.friend.import.before', outcome: 'allow' });
    expect(allowed['downstream']).to.deep.equal([
      {
        command: 'callbackBeforeImportFriendsCommand',
        status: 200,
        ms: (allowed['downstream'] as { ms: number }[])[0]!.ms,
        ok: true,
      },
    ]);
    const refused = parsed.find((l) => l['msg'] === 'callback refused' && l['outcome'] === 'invalid_payload')!;
    expect(refused).to.include({ level: 40, status: 400 });
    expect(String(refused['reason'])).to.include('PairList');
  });

  it('echoes or assigns X-Request-Id', async () => {
    const given = await fetch(`${gateway.url}/openim/callbackAfterDeleteFriendCommand`, {
      method: 'POST',
      body: fixture('openim', 'callbackAfterDeleteFriendCommand'),
      headers: { 'X-Request-Id': 'abc' },
    });
    expect(given.headers.get('x-request-id')).to.equal('abc');
    const assigned = await fetch(`${gateway.url}/openim/callbackAfterDeleteFriendCommand`, {
      method: 'POST',
      body: fixture('openim', 'callbackAfterDeleteFriendCommand'),
    });
    expect(assigned.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
  });

  it('says ready with the outbox depth', async () => {
    expect(await (await fetch(`${gateway.url}/readyz`)).json()).to.deep.include({ status: 'ready', shadow: false });
  });
});

describe('operations: readiness', function () {
  this.timeout(10_000);
  it('is not ready (503) when the outbox store cannot be reached', async () => {
    const gateway = await startGateway({
      downstream: { url: 'http://127.0.0.1:9', format: 'openim' },
      outbox: { url: 'redis://127.0.0.1:1' },
    });
    try {
      const res = await fetch(`${gateway.url}/readyz`);
      expect(res.status).to.equal(503);
      expect(await res.json()).to.include({ status: 'unavailable' });
      expect((await fetch(`${gateway.url}/healthz`)).status, 'the process itself is up').to.equal(200);
    } finally {
      await gateway.close().catch(() => undefined);
    }
  });
});

describe('operations: an unreachable outbox', function () {
  this.timeout(15_000);
  it('refuses an after-event it cannot store (503, in the caller envelope) rather than acking and losing it', async () => {
    const gateway = await startGateway({
      downstream: { url: 'http://127.0.0.1:9', format: 'openim' },
      outbox: { url: 'redis://127.0.0.1:1' },
    });
    try {
      const res = await gateway.post(
        '/tencent?SdkAppid=1&CallbackCommand=Sns.CallbackFriendDelete',
        fixture('tencent', 'Sns.CallbackFriendDelete'),
      );
      expect(res.status).to.equal(503);
      expect(res.json).to.deep.equal({
        ActionStatus: 'FAIL',
        ErrorCode: 1,
        ErrorInfo: 'outbox_unavailable: the outbox is unavailable; the event was not accepted',
      });
    } finally {
      await gateway.close();
    }
  });
});

describe('operations: outbox depth in a scrape', () => {
  it('reads the depth once for both outbox gauges, and reports it', async () => {
    class CountingStore extends SqliteStore {
      reads = 0;
      override depth() {
        this.reads++;
        return super.depth();
      }
    }
    const store = new CountingStore(outboxFile('metrics'));
    await store.add([
      outboxEntry(canonical('im.friend.deleted', { pairs: [{ ownerUserID: 'a', friendUserID: 'b' }] })),
    ]);
    const metrics = new Metrics(store, false);
    const text = await metrics.registry.metrics();
    expect(store.reads, 'one query per scrape').to.equal(1);
    expect(sample(text, 'imbridge_outbox_pending')).to.equal(1);
    expect(sample(text, 'imbridge_outbox_dead')).to.equal(0);
    await metrics.registry.metrics();
    expect(store.reads, 'a later scrape reads afresh').to.equal(2);
    await store.close();
  });
});
