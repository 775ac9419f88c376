import { expect } from 'chai';
import fc from 'fast-check';
import { causeOf } from '../../mappings/friendAdded.js';
import type { DataByType } from '../../src/canonical/types.js';
import { fixture } from '../helpers/fixtures.js';
import { vendorProblems } from '../helpers/vendorShapes.js';
import { canonical, compact, decode, encode, roundTrip, userID } from '../helpers/translate.js';

type Added = DataByType['im.friend.added'];

const T_CMD = 'Sns.CallbackFriendAdd';
const O_AGREE = 'callbackAfterAddFriendAgreeCommand';
const O_IMPORT = 'callbackAfterImportFriendsCommand';
const O_ADD = 'callbackAfterAddFriendCommand';

/** u1's request accepted by u2, as every OpenIM agree variant decodes. */
const U1_AGREED_BY_U2: Added = {
  pairs: [
    { ownerUserID: 'u1', friendUserID: 'u2', initiatorUserID: 'u1' },
    { ownerUserID: 'u2', friendUserID: 'u1', initiatorUserID: 'u1' },
  ],
  cause: 'respond',
  clientCmd: '',
  adminUserID: '',
  force: false,
  message: 'ok',
};

describe('mappings/friendAdded (im.friend.added)', () => {
  const decodeCases: { name: string; vendor: 'tencent' | 'openim'; command: string; raw: string; data: Added }[] = [
    {
      name: 'Tencent doc sample (docs/vendors/tencent.md#friend-added)',
      vendor: 'tencent',
      command: T_CMD,
      raw: fixture('tencent', T_CMD),
      data: {
        pairs: ['id1', 'id2', 'id3'].map((f) => ({ ownerUserID: 'id', friendUserID: f, initiatorUserID: 'id' })),
        cause: 'apply',
        clientCmd: 'friend_add',
        adminUserID: '',
        force: true,
        message: '',
      },
    },
    {
      name: 'OpenIM agree bytes (docs/vendors/openim.md#friend-agree, responder under blackUserID)',
      vendor: 'openim',
      command: O_AGREE,
      raw: fixture('openim', O_AGREE),
      data: U1_AGREED_BY_U2,
    },
    {
      name: 'docs-era agree (toUserID/handleResult)',
      vendor: 'openim',
      command: O_AGREE,
      raw: fixture('openim', `docs-era.${O_AGREE}`),
      data: U1_AGREED_BY_U2,
    },
    {
      name: 'docs-era callbackAfterAddFriendCommand with handleResult',
      vendor: 'openim',
      command: O_ADD,
      raw: fixture('openim', `docs-era.${O_ADD}`),
      data: U1_AGREED_BY_U2,
    },
    {
      name: 'OpenIM import bytes (docs/vendors/openim.md#import)',
      vendor: 'openim',
      command: O_IMPORT,
      raw: fixture('openim', O_IMPORT),
      data: {
        pairs: [
          { ownerUserID: 'u1', friendUserID: 'u2', initiatorUserID: 'u1' },
          { ownerUserID: 'u2', friendUserID: 'u1', initiatorUserID: 'u1' },
          { ownerUserID: 'u1', friendUserID: 'u3', initiatorUserID: 'u1' },
          { ownerUserID: 'u3', friendUserID: 'u1', initiatorUserID: 'u1' },
        ],
        cause: 'import',
        clientCmd: '',
        adminUserID: '',
        force: false,
        message: '',
      },
    },
  ];
  for (const c of decodeCases) {
    it(`decodes the ${c.name}`, () => {
      const event = decode(c.vendor, c.command, c.raw);
      expect(event.type).to.equal('im.friend.added');
      expect(event.data).to.deep.equal(c.data);
    });
  }

  const clientCmds: [string, string][] = [
    ['friend_add', 'apply'],
    ['FriendAdd', 'apply'],
    ['friend_response', 'respond'],
    ['FriendResponse', 'respond'],
    ['friend_import', 'import'],
    ['FriendImport', 'import'],
    ['friend_something_new', 'unknown'],
    ['', 'unknown'],
  ];
  for (const [cmd, cause] of clientCmds) {
    it(`reads ClientCmd "${cmd}" as cause ${cause}`, () => expect(causeOf(cmd)).to.equal(cause));
  }

  it('sends the Tencent sample to a Tencent backend unchanged', () => {
    const raw = fixture('tencent', T_CMD);
    expect(encode(decode('tencent', T_CMD, raw), 'tencent')![0]!.body).to.equal(compact(raw));
  });

  it('sends an OpenIM agree to Tencent as two directed pairs with ClientCmd friend_response', () => {
    const [req] = encode(decode('openim', O_AGREE, fixture('openim', O_AGREE)), 'tencent')!;
    expect(JSON.parse(req!.body)).to.deep.equal({
      CallbackCommand: T_CMD,
      PairList: [
        { From_Account: 'u1', To_Account: 'u2', Initiator_Account: 'u1' },
        { From_Account: 'u2', To_Account: 'u1', Initiator_Account: 'u1' },
      ],
      ClientCmd: 'friend_response',
      Admin_Account: '',
      ForceFlag: 0,
    });
  });

  it('sends an OpenIM import to Tencent as Tencent reports an admin force-add: ClientCmd friend_add, ForceFlag 1', () => {
    const [req] = encode(decode('openim', O_IMPORT, fixture('openim', O_IMPORT)), 'tencent')!;
    expect(JSON.parse(req!.body)).to.include({ ClientCmd: 'friend_add', ForceFlag: 1, Admin_Account: '' });
  });

  it('keeps a Tencent ClientCmd friend_import as sent when passing a Tencent event through', () => {
    const raw = JSON.stringify({
      CallbackCommand: T_CMD,
      PairList: [{ From_Account: 'a', To_Account: 'b', Initiator_Account: 'a' }],
      ClientCmd: 'friend_import',
      Admin_Account: 'adm',
      ForceFlag: 0,
    });
    expect(JSON.parse(encode(decode('tencent', T_CMD, raw), 'tencent')![0]!.body)).to.include({
      ClientCmd: 'friend_import',
      ForceFlag: 0,
      Admin_Account: 'adm',
    });
  });

  it('collapses A→B and B→A into one OpenIM agree call per friendship, applicant first', () => {
    const event = canonical('im.friend.added', {
      pairs: [
        { ownerUserID: 'a', friendUserID: 'b', initiatorUserID: 'a' },
        { ownerUserID: 'b', friendUserID: 'a', initiatorUserID: 'a' },
        { ownerUserID: 'c', friendUserID: 'a', initiatorUserID: 'a' },
      ],
      cause: 'apply',
      clientCmd: 'friend_add',
      adminUserID: '',
      force: false,
      message: 'hi <3',
    });
    expect(encode(event, 'openim')!.map((r) => r.body)).to.deep.equal([
      `{"callbackCommand":"${O_AGREE}","fromUserID":"a","blackUserID":"b","HandleResult":1,"HandleMsg":"hi \\u003c3"}\n`,
      `{"callbackCommand":"${O_AGREE}","fromUserID":"a","blackUserID":"c","HandleResult":1,"HandleMsg":"hi \\u003c3"}\n`,
    ]);
  });

  it('re-encodes OpenIM agree bytes to the same bytes, HandleMsg included', () => {
    const raw = fixture('openim', O_AGREE);
    expect(encode(decode('openim', O_AGREE, raw), 'openim')!.map((r) => r.body)).to.deep.equal([raw]);
  });

  it('re-encodes OpenIM import bytes to the same bytes', () => {
    const raw = fixture('openim', O_IMPORT);
    expect(encode(decode('openim', O_IMPORT, raw), 'openim')!.map((r) => r.body)).to.deep.equal([raw]);
  });

  it('sends a Tencent friend_import batch to OpenIM as one import call per owner', () => {
    const event = canonical('im.friend.added', {
      pairs: [
        { ownerUserID: 'o', friendUserID: 'f1', initiatorUserID: 'o' },
        { ownerUserID: 'f1', friendUserID: 'o', initiatorUserID: 'o' },
        { ownerUserID: 'o', friendUserID: 'f2', initiatorUserID: 'o' },
        { ownerUserID: 'p', friendUserID: 'f1', initiatorUserID: 'p' },
      ],
      cause: 'import',
      clientCmd: 'friend_import',
      adminUserID: 'admin',
      force: true,
      message: '',
    });
    expect(encode(event, 'openim')!.map((r) => r.body)).to.deep.equal([
      `{"callbackCommand":"${O_IMPORT}","ownerUserID":"o","friendUserIDs":["f1","f2"]}\n`,
      `{"callbackCommand":"${O_IMPORT}","ownerUserID":"p","friendUserIDs":["f1"]}\n`,
    ]);
  });

  const anyClientCmd = fc.oneof(fc.constantFrom(...clientCmds.map(([c]) => c)), fc.string({ maxLength: 16 }));
  const tencentAdded = fc
    .record({
      pairs: fc.array(fc.record({ ownerUserID: userID, friendUserID: userID, initiatorUserID: userID }), {
        maxLength: 500,
      }),
      clientCmd: anyClientCmd,
      adminUserID: userID,
      force: fc.boolean(),
    })
    .map((d): Added => ({ ...d, cause: causeOf(d.clientCmd), message: '' }));

  it('round-trips anything Tencent can say through a Tencent backend; output is what Tencent sends', () => {
    fc.assert(
      fc.property(tencentAdded, (data) => {
        const { request, back } = roundTrip(canonical('im.friend.added', data), 'tencent');
        expect(vendorProblems('tencent', 'Sns.CallbackFriendAdd', JSON.parse(request.body))).to.deep.equal([]);
        expect(back.data).to.deep.equal(data);
      }),
      { numRuns: 60 },
    );
  });

  const distinctPair = fc.uniqueArray(userID, { minLength: 2, maxLength: 2 });

  it('round-trips any OpenIM agree, HandleMsg included; output is what OpenIM sends', () => {
    fc.assert(
      fc.property(distinctPair, fc.string({ maxLength: 40 }), ([a, b], message) => {
        const data: Added = {
          ...U1_AGREED_BY_U2,
          message,
          pairs: U1_AGREED_BY_U2.pairs.map((p) => ({
            ownerUserID: p.ownerUserID === 'u1' ? a! : b!,
            friendUserID: p.friendUserID === 'u1' ? a! : b!,
            initiatorUserID: a!,
          })),
        };
        const { request, back } = roundTrip(canonical('im.friend.added', data, 'openim'), 'openim');
        expect(vendorProblems('openim', 'callbackAfterAddFriendAgreeCommand', JSON.parse(request.body))).to.deep.equal(
          [],
        );
        expect(back.data).to.deep.equal(data);
      }),
    );
  });

  it('round-trips any OpenIM import; output is what OpenIM sends', () => {
    fc.assert(
      fc.property(userID, fc.uniqueArray(userID, { minLength: 1, maxLength: 500 }), (owner, friends) => {
        fc.pre(!friends.includes(owner));
        const raw = JSON.stringify({ callbackCommand: O_IMPORT, ownerUserID: owner, friendUserIDs: friends });
        const event = decode('openim', O_IMPORT, raw);
        const { request, back } = roundTrip(event, 'openim');
        expect(vendorProblems('openim', 'callbackAfterImportFriendsCommand', JSON.parse(request.body))).to.deep.equal(
          [],
        );
        expect(back.data).to.deep.equal(event.data);
        expect(JSON.parse(request.body)).to.deep.equal(JSON.parse(raw));
      }),
      { numRuns: 60 },
    );
  });
});
