import { expect } from 'chai';
import { CANONICAL_TYPES, phaseOf } from '../../src/canonical/catalog.js';
import { dataSchemas, verdictSchema } from '../../src/canonical/schemas.js';
import { decodeDelivery } from '../../src/gateway/ingress/decode.js';
import { MAPPINGS } from '../../mappings/index.js';
import { fixture } from '../helpers/fixtures.js';

/** Every vendor fixture with the command it is sent as. */
const FIXTURES: ['tencent' | 'openim', string, string][] = [
  ['tencent', 'Sns.CallbackFriendDelete', 'Sns.CallbackFriendDelete'],
  ['tencent', 'Sns.CallbackFriendAdd', 'Sns.CallbackFriendAdd'],
  ['tencent', 'Sns.CallbackBlackListDelete', 'Sns.CallbackBlackListDelete'],
  ['openim', 'callbackAfterDeleteFriendCommand', 'callbackAfterDeleteFriendCommand'],
  ['openim', 'callbackAfterRemoveBlackCommand', 'callbackAfterRemoveBlackCommand'],
  ['openim', 'callbackAfterAddFriendCommand', 'callbackAfterAddFriendCommand'],
  ['openim', 'callbackAfterAddFriendAgreeCommand', 'callbackAfterAddFriendAgreeCommand'],
  ['openim', 'callbackBeforeImportFriendsCommand', 'callbackBeforeImportFriendsCommand'],
  ['openim', 'callbackAfterImportFriendsCommand', 'callbackAfterImportFriendsCommand'],
  ['openim', 'callbackAfterAddFriendAgreeCommand', 'docs-era.callbackAfterAddFriendAgreeCommand'],
  ['openim', 'callbackAfterAddFriendCommand', 'docs-era.callbackAfterAddFriendCommand'],
];

describe('canonical schemas', () => {
  for (const [vendor, command, name] of FIXTURES) {
    it(`${vendor} ${name} decodes to data that passes its canonical schema, meta included`, () => {
      const event = decodeDelivery(
        {
          vendor,
          command,
          meta: { sdkAppId: '1', clientIP: '10.0.0.1', platform: 'iOS', operationID: 'op', eventTime: 1 },
          rawBody: '',
        },
        JSON.parse(fixture(vendor, name)),
      )!;
      expect(() => dataSchemas[event.type].validateSync(event.data, { strict: true })).not.to.throw();
    });
  }

  it('covers every catalog type with a mapping and a schema', () => {
    for (const type of CANONICAL_TYPES) {
      expect(MAPPINGS[type].type).to.equal(type);
      expect(dataSchemas[type]).to.not.equal(undefined);
      expect(['before', 'after']).to.include(phaseOf(type));
    }
  });

  it('rejects data of the wrong shape, naming the field', () => {
    expect(() =>
      dataSchemas['im.friend.deleted'].validateSync({ pairs: [{ ownerUserID: 'a' }] }, { strict: true }),
    ).to.throw(/pairs\[0\]\.friendUserID must be defined/);
    expect(() =>
      dataSchemas['im.friend.added'].validateSync(
        { pairs: [], cause: 'magic', clientCmd: '', adminUserID: '', force: false, message: '' },
        { strict: true },
      ),
    ).to.throw(/cause must be one of/);
  });

  it('fills a minimal verdict with defaults', () => {
    expect(verdictSchema.validateSync({ decision: 'deny' })).to.deep.equal({
      decision: 'deny',
      code: 0,
      message: '',
      detail: '',
      items: [],
      patch: {},
    });
  });

  it('refuses a verdict without a decision or with an unknown one', () => {
    expect(() => verdictSchema.validateSync({})).to.throw(/decision/);
    expect(() => verdictSchema.validateSync({ decision: 'maybe' })).to.throw(/decision must be one of/);
  });
});
