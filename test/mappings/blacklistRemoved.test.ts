import { expect } from 'chai';
import fc from 'fast-check';
import { fixture } from '../helpers/fixtures.js';
import { vendorProblems } from '../helpers/vendorShapes.js';
import { canonical, compact, decode, encode, roundTrip, userID } from '../helpers/translate.js';

const T_CMD = 'Sns.CallbackBlackListDelete';
const O_CMD = 'callbackAfterRemoveBlackCommand';

describe('mappings/blacklistRemoved (im.blacklist.removed)', () => {
  const cases = [
    {
      name: 'Tencent doc sample (docs/vendors/tencent.md#blacklist)',
      vendor: 'tencent' as const,
      command: T_CMD,
      raw: fixture('tencent', T_CMD),
      pairs: ['id1', 'id2', 'id3'].map((b) => ({ ownerUserID: 'id', blackUserID: b })),
    },
    {
      name: 'OpenIM server bytes (docs/vendors/openim.md#blacklist)',
      vendor: 'openim' as const,
      command: O_CMD,
      raw: fixture('openim', O_CMD),
      pairs: [{ ownerUserID: 'u1', blackUserID: 'u2' }],
    },
  ];
  for (const c of cases) {
    it(`decodes the ${c.name}`, () => {
      const event = decode(c.vendor, c.command, c.raw);
      expect(event.type).to.equal('im.blacklist.removed');
      expect(event.data).to.deep.equal({ pairs: c.pairs });
    });
  }

  it('fans a Tencent batch out to one OpenIM call per pair', () => {
    const bodies = encode(decode('tencent', T_CMD, fixture('tencent', T_CMD)), 'openim')!.map((r) => r.body);
    expect(bodies).to.deep.equal(
      ['id1', 'id2', 'id3'].map((b) => `{"callbackCommand":"${O_CMD}","ownerUserID":"id","blackUserID":"${b}"}\n`),
    );
  });

  it('keeps both vendors byte-stable through their own format', () => {
    const t = fixture('tencent', T_CMD);
    const o = fixture('openim', O_CMD);
    expect(encode(decode('tencent', T_CMD, t), 'tencent')![0]!.body).to.equal(compact(t));
    expect(encode(decode('openim', O_CMD, o), 'openim')![0]!.body).to.equal(o);
  });

  it('turns an OpenIM removal into a Tencent batch of one', () => {
    const [req] = encode(decode('openim', O_CMD, fixture('openim', O_CMD)), 'tencent')!;
    expect(req!.body).to.equal(`{"CallbackCommand":"${T_CMD}","PairList":[{"From_Account":"u1","To_Account":"u2"}]}`);
  });

  const pair = fc.record({ ownerUserID: userID, blackUserID: userID });

  it('round-trips any batch through Tencent and any pair through OpenIM; outputs pass the vendor schemas', () => {
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 500 }), (pairs) => {
        const { request, back } = roundTrip(canonical('im.blacklist.removed', { pairs }), 'tencent');
        expect(vendorProblems('tencent', 'Sns.CallbackBlackListDelete', JSON.parse(request.body))).to.deep.equal([]);
        expect(back.data).to.deep.equal({ pairs });
      }),
      { numRuns: 60 },
    );
    fc.assert(
      fc.property(pair, (p) => {
        const { request, back } = roundTrip(canonical('im.blacklist.removed', { pairs: [p] }), 'openim');
        expect(vendorProblems('openim', 'callbackAfterRemoveBlackCommand', JSON.parse(request.body))).to.deep.equal([]);
        expect(back.data).to.deep.equal({ pairs: [p] });
      }),
    );
  });
});
