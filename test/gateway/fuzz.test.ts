import { expect } from 'chai';
import fc from 'fast-check';
import { Agent, request } from 'undici';
import { requestFixtures } from '../helpers/fixtures.js';
import { backendAndGatewayForSuite } from '../helpers/gateway.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Paths to every node of a JSON value (the root is []). */
function paths(value: Json, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

function replaceAt(value: Json, path: (string | number)[], by: (old: Json) => Json): Json {
  if (path.length === 0) return by(value);
  const copy = structuredClone(value) as Record<string | number, Json>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  node[last] = by(node[last]!);
  return copy as Json;
}

/**
 * A Tencent message element's content is open by contract: unknown keys are kept, missing ones read as
 * empty (docs/mappings.md#message-elements). So an unknown key there, or a content object swapped for
 * another, is not wrong; a known key of the wrong type inside it still is.
 */
const openContent = (p: (string | number)[]) => p[p.length - 1] === 'MsgContent';
const insideOpenContent = (p: (string | number)[]) => p.includes('MsgContent');

/**
 * Payloads that are wrong by construction, so that forwarding any of them is a bug: every mutation
 * breaks a vendor schema whatever field it hits (an object with an unknown key where anything else
 * belongs; an unknown key in any object; JSON cut short; a body that is not an object).
 */
function hostile(raw: string): fc.Arbitrary<string> {
  const parsed = JSON.parse(raw) as Json;
  const nodes = paths(parsed).filter((p) => !openContent(p));
  const objects = nodes.filter((p) => {
    if (insideOpenContent(p)) return false;
    let node: Json = parsed;
    for (const k of p) node = (node as Record<string | number, Json>)[k]!;
    return node !== null && typeof node === 'object' && !Array.isArray(node);
  });
  const text = raw.trimEnd();
  return fc.oneof(
    fc.constantFrom(...nodes).map((p) => JSON.stringify(replaceAt(parsed, p, () => ({ $bad: true })))),
    fc
      .tuple(fc.constantFrom(...objects), fc.string({ minLength: 1, maxLength: 8 }))
      .map(([p, key]) => JSON.stringify(replaceAt(parsed, p, (o) => ({ ...(o as object), [`$${key}`]: 1 })))),
    fc.integer({ min: 0, max: text.length - 2 }).map((n) => text.slice(0, n)),
    fc.constantFrom('[]', '1', '"x"', 'null', 'true', '[{}]'),
    fc.string({ maxLength: 64 }).filter((s) => !s.trim().startsWith('{')),
  );
}

/** The fixtures as the current servers send them (variants exercise nothing new here). */
const current = (vendor: 'tencent' | 'openim') => requestFixtures(vendor).filter((f) => f.name === f.command);

describe('fuzz: hostile payloads at both ingress routes', function () {
  this.timeout(60_000);
  const env = backendAndGatewayForSuite(
    (url) => ({
      server: { unknownFields: 'reject' },
      tencent: { sdkAppId: '1400000000' },
      downstream: { url, format: 'openim' },
    }),
    () => ({ body: '{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0}' }),
  );
  const agent = new Agent({ connections: 8 });
  after(() => agent.close());

  async function post(path: string, body: string) {
    const res = await request(env.gateway.url + path, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
      dispatcher: agent,
    });
    return { status: res.statusCode, text: await res.body.text() };
  }

  const RUNS = 1_500;

  it(`Tencent: ${RUNS} hostile payloads → 4xx in Tencent's envelope, nothing forwarded`, async () => {
    const cases = fc.oneof(
      ...current('tencent').map(({ command, raw }) => hostile(raw).map((body) => ({ command, body }))),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ command, body }) => {
        const res = await post(`/tencent?SdkAppid=1400000000&CallbackCommand=${command}&contenttype=json`, body);
        expect(res.status, body).to.be.within(400, 499);
        const json = JSON.parse(res.text);
        expect(Object.keys(json)).to.deep.equal(['ActionStatus', 'ErrorCode', 'ErrorInfo']);
        expect(json.ActionStatus).to.equal('FAIL');
        expect(Number.isInteger(json.ErrorCode)).to.equal(true);
        expect(json.ErrorInfo)
          .to.be.a('string')
          .and.match(/^[a-z_]+: /);
      }),
      { numRuns: RUNS },
    );
    expect(env.backend.received).to.have.length(0);
  });

  it(`OpenIM: ${RUNS} hostile payloads → 4xx in OpenIM's envelope with integer codes, nothing forwarded`, async () => {
    const cases = fc.oneof(
      ...current('openim').map(({ command, raw }) => hostile(raw).map((body) => ({ command, body }))),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ command, body }) => {
        const res = await post(`/openim/${command}`, body);
        expect(res.status, body).to.be.within(400, 499);
        const json = JSON.parse(res.text);
        expect(Object.keys(json)).to.deep.equal(['actionCode', 'errCode', 'errMsg', 'errDlt', 'nextCode']);
        for (const k of ['actionCode', 'errCode', 'nextCode']) expect(Number.isInteger(json[k]), k).to.equal(true);
        expect(json.nextCode).to.equal(0);
      }),
      { numRuns: RUNS },
    );
    expect(env.backend.received).to.have.length(0);
  });
});
