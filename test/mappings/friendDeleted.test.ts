import { expect } from 'chai';
import fc from 'fast-check';
import { fixture } from '../helpers/fixtures.js';
import { vendorProblems } from '../helpers/vendorShapes.js';
import { canonical, compact, decode, encode, roundTrip, userID } from '../helpers/translate.js';

const T_CMD = 'Sns.CallbackFriendDelete';
const O_CMD = 'callbackAfterDeleteFriendCommand';

describe('mappings/friendDeleted (im.friend.deleted)', () => {
  const decodeCases = [
    {
      name: 'Tencent doc sample (docs/vendors/tencent.md#friend-deleted)',
      vendor: 'tencent' as const,
      command: T_CMD,
      raw: fixture('tencent', T_CMD),
      pairs: [
        { ownerUserID: 'id', friendUserID: 'id1' },
        { ownerUserID: 'id', friendUserID: 'id2' },
        { ownerUserID: 'id', friendUserID: 'id3' },
      ],
    },
    {
      name: 'OpenIM server bytes (docs/vendors/openim.md#friend-deleted)',
      vendor: 'openim' as const,
      command: O_CMD,
      raw: fixture('openim', O_CMD),
      pairs: [{ ownerUserID: 'u1', friendUserID: 'u2' }],
    },
  ];
  for (const c of decodeCases) {
    it(`decodes the ${c.name}`, () => {
      const event = decode(c.vendor, c.command, c.raw);
      expect(event.type).to.equal('im.friend.deleted');
      expect(event.data).to.deep.equal({ pairs: c.pairs });
    });
  }

  it('fans a Tencent batch out to one OpenIM call per pair, byte-identical to what OpenIM sends', () => {
    const requests = encode(decode('tencent', T_CMD, fixture('tencent', T_CMD)), 'openim')!;
    expect(requests.map((r) => r.url)).to.deep.equal(Array(3).fill(`http://127.0.0.1:9/hooks/${O_CMD}`));
    expect(requests.map((r) => r.body)).to.deep.equal(
      ['id1', 'id2', 'id3'].map((f) => `{"callbackCommand":"${O_CMD}","ownerUserID":"id","friendUserID":"${f}"}\n`),
    );
  });

  it('re-encodes OpenIM bytes to the same bytes (OpenIM to OpenIM)', () => {
    const raw = fixture('openim', O_CMD);
    expect(encode(decode('openim', O_CMD, raw), 'openim')!.map((r) => r.body)).to.deep.equal([raw]);
  });

  it('re-encodes the Tencent sample to the same JSON (Tencent to Tencent)', () => {
    const raw = fixture('tencent', T_CMD);
    expect(encode(decode('tencent', T_CMD, raw), 'tencent')!.map((r) => r.body)).to.deep.equal([compact(raw)]);
  });

  it('turns one OpenIM deletion into a Tencent batch of one', () => {
    const [req] = encode(decode('openim', O_CMD, fixture('openim', O_CMD)), 'tencent')!;
    expect(req!.body).to.equal(`{"CallbackCommand":"${T_CMD}","PairList":[{"From_Account":"u1","To_Account":"u2"}]}`);
  });

  const pair = fc.record({ ownerUserID: userID, friendUserID: userID });

  it('round-trips any batch through Tencent, and what it emits passes the Tencent schema', () => {
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 500 }), (pairs) => {
        const { request, back } = roundTrip(canonical('im.friend.deleted', { pairs }), 'tencent');
        expect(vendorProblems('tencent', 'Sns.CallbackFriendDelete', JSON.parse(request.body))).to.deep.equal([]);
        expect(back.data).to.deep.equal({ pairs });
      }),
      { numRuns: 60 },
    );
  });

  it('round-trips any pair through OpenIM, and what it emits passes the OpenIM schema', () => {
    fc.assert(
      fc.property(pair, (p) => {
        const { request, back } = roundTrip(canonical('im.friend.deleted', { pairs: [p] }), 'openim');
        expect(vendorProblems('openim', 'callbackAfterDeleteFriendCommand', JSON.parse(request.body))).to.deep.equal(
          [],
        );
        expect(back.data).to.deep.equal({ pairs: [p] });
      }),
    );
  });
});

describe('planning one part of a fan-out', () => {
  it('gives exactly the request plan() gives for that part, key included', async () => {
    const { plan, planPart } = await import('../../src/downstream/plan.js');
    const event = decode('tencent', T_CMD, fixture('tencent', T_CMD));
    const target = { url: 'http://127.0.0.1:9/hooks', format: 'openim' as const, sdkAppId: '1' };
    const all = plan(event, target, 0)!;
    expect(all).to.have.length(3);
    all.forEach((p, i) => expect(planPart(event, target, 0, i)).to.deep.equal(p));
    expect(planPart(event, target, 0, 3)).to.equal(undefined);
    expect(planPart(event, { ...target, format: 'canonical' }, 0, 1)).to.equal(undefined);
  });

  it("plans the parts of one event object for another format from that format's calls, not the ones encoded before", async () => {
    const { plan, planPart } = await import('../../src/downstream/plan.js');
    const event = decode('tencent', T_CMD, fixture('tencent', T_CMD));
    const openim = { url: 'http://127.0.0.1:9/hooks', format: 'openim' as const, sdkAppId: '1' };
    const tencent = { ...openim, format: 'tencent' as const };
    planPart(event, openim, 0, 1);
    expect(planPart(event, tencent, 0, 0)).to.deep.equal(plan(event, tencent, 0)![0]);
    expect(planPart(event, tencent, 0, 1), 'Tencent takes the batch in one call').to.equal(undefined);
    expect(planPart(event, openim, 0, 2)).to.deep.equal(plan(event, openim, 0)![2]);
  });
});
