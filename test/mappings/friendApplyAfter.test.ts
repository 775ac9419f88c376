import { expect } from 'chai';
import fc from 'fast-check';
import { fixture } from '../helpers/fixtures.js';
import { vendorProblems } from '../helpers/vendorShapes.js';
import { canonical, decode, encode, roundTrip, userID } from '../helpers/translate.js';

const O_CMD = 'callbackAfterAddFriendCommand';

describe('mappings/friendApplyAfter (im.friend.apply.after)', () => {
  it('decodes the OpenIM server bytes (docs/vendors/openim.md#friend-apply): a stored request, not a friendship', () => {
    const event = decode('openim', O_CMD, fixture('openim', O_CMD));
    expect(event.type).to.equal('im.friend.apply.after');
    expect(event.data).to.deep.equal({ fromUserID: 'u1', toUserID: 'u2', message: 'hello' });
  });

  it('leaves a body with handleResult to im.friend.added', () => {
    expect(decode('openim', O_CMD, fixture('openim', `docs-era.${O_CMD}`)).type).to.equal('im.friend.added');
  });

  it('re-encodes OpenIM bytes to the same bytes', () => {
    const raw = fixture('openim', O_CMD);
    expect(encode(decode('openim', O_CMD, raw), 'openim')!.map((r) => r.body)).to.deep.equal([raw]);
  });

  it('has no Tencent counterpart (the gateway answers itself)', () => {
    expect(encode(decode('openim', O_CMD, fixture('openim', O_CMD)), 'tencent')).to.equal(undefined);
  });

  it('round-trips any request through OpenIM; output is what OpenIM sends', () => {
    fc.assert(
      fc.property(userID, userID, fc.string({ unit: 'grapheme', maxLength: 40 }), (fromUserID, toUserID, message) => {
        const data = { fromUserID, toUserID, message };
        const { request, back } = roundTrip(canonical('im.friend.apply.after', data, 'openim'), 'openim');
        expect(vendorProblems('openim', 'callbackAfterAddFriendCommand', JSON.parse(request.body))).to.deep.equal([]);
        expect(back.data).to.deep.equal(data);
      }),
    );
  });
});
