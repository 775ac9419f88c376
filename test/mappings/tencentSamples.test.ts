import { expect } from 'chai';
import type { AnyEvent } from '../../src/canonical/types.js';
import { fixture } from '../helpers/fixtures.js';
import { compact, decode, encode } from '../helpers/translate.js';

const data = (e: AnyEvent) => {
  const { meta: _meta, ...rest } = e.data as Record<string, unknown>;
  return rest;
};

/**
 * Tencent's documented samples (docs/vendors/tencent.md#relationship) decode to the expected canonical data, and a Tencent-format
 * backend receives them back as the same JSON.
 */
const CASES: { command: string; type: string; data: Record<string, unknown> }[] = [
  {
    command: 'Sns.CallbackPrevFriendAdd',
    type: 'im.friend.apply.before',
    data: {
      fromUserID: 'id',
      requesterUserID: 'id',
      addType: 'both',
      force: false,
      targets: [1, 2].map((n) => ({
        toUserID: `id${n}`,
        message: `this is id${n}!`,
        remark: `remark${n}`,
        group: 'group1',
        source: 'AddSource_Type_Android',
        ex: '',
      })),
    },
  },
  {
    command: 'Sns.CallbackPrevFriendResponse',
    type: 'im.friend.respond.before',
    data: {
      responderUserID: 'id',
      items: [
        { applicantUserID: 'id1', action: 'agree_and_add', remark: 'remark1', group: 'group1', message: '' },
        { applicantUserID: 'id2', action: 'reject', remark: 'remark2', group: 'group2', message: '' },
      ],
    },
  },
  {
    command: 'Profile.CallbackPortraitSet',
    type: 'im.user.profile.updated',
    data: {
      userID: 'id1',
      operatorUserID: 'id1',
      eventTime: 1656921052497,
      changes: {
        nickname: 'nick1',
        gender: 'male',
        allowType: 'need_confirm',
        custom: { Tag_Profile_Custom_Data: 'your custom data' },
      },
    },
  },
  {
    command: 'Sns.CallbackBlackListAdd',
    type: 'im.blacklist.added',
    data: { pairs: ['id1', 'id2', 'id3'].map((b) => ({ ownerUserID: 'id', blackUserID: b })) },
  },
];

describe('mappings: Tencent documented samples', () => {
  for (const c of CASES) {
    it(`${c.command} → ${c.type}`, () => {
      const event = decode('tencent', c.command, fixture('tencent', c.command));
      expect(event.type).to.equal(c.type);
      expect(data(event)).to.deep.equal(c.data);
    });
    it(`${c.command} → a Tencent-format backend gets the same JSON back`, () => {
      const raw = fixture('tencent', c.command);
      expect(encode(decode('tencent', c.command, raw), 'tencent')!.map((r) => r.body)).to.deep.equal([compact(raw)]);
    });
  }
});

describe('mappings: across vendors', () => {
  const openimBodies = (command: string, vendor: 'tencent' | 'openim', name = command) =>
    encode(decode(vendor, command, fixture(vendor, name)), vendor === 'tencent' ? 'openim' : 'tencent')?.map(
      (r) => r.body,
    );

  it('PrevFriendAdd with two targets → one callbackBeforeAddFriendCommand per target', () => {
    expect(openimBodies('Sns.CallbackPrevFriendAdd', 'tencent')).to.deep.equal([
      '{"callbackCommand":"callbackBeforeAddFriendCommand","fromUserID":"id","toUserID":"id1","reqMsg":"this is id1!","ex":""}\n',
      '{"callbackCommand":"callbackBeforeAddFriendCommand","fromUserID":"id","toUserID":"id2","reqMsg":"this is id2!","ex":""}\n',
    ]);
  });

  it('PrevFriendResponse → an agree call for the accepted item, nothing for the refusal', () => {
    expect(openimBodies('Sns.CallbackPrevFriendResponse', 'tencent')).to.deep.equal([
      '{"callbackCommand":"callbackBeforeAddFriendAgreeCommand","fromUserID":"id1","blackUserID":"id","HandleResult":1,"HandleMsg":""}\n',
    ]);
  });

  it('PortraitSet → the Ex after-callback with only the nickname OpenIM can carry', () => {
    expect(openimBodies('Profile.CallbackPortraitSet', 'tencent')).to.deep.equal([
      '{"callbackCommand":"callbackAfterUpdateUserInfoExCommand","userID":"id1","nickName":"nick1","faceURL":null,"ex":null}\n',
    ]);
  });

  it('a PortraitSet OpenIM cannot express (gender only) sends nothing', () => {
    const raw = JSON.stringify({
      CallbackCommand: 'Profile.CallbackPortraitSet',
      From_Account: 'a',
      ProfileItem: [{ Tag: 'Tag_Profile_IM_Gender', Value: 'Gender_Type_Female' }],
    });
    expect(encode(decode('tencent', 'Profile.CallbackPortraitSet', raw), 'openim')).to.deep.equal([]);
  });

  it('BlackListAdd → one callbackBeforeAddBlackCommand per pair, as a notification', () => {
    expect(openimBodies('Sns.CallbackBlackListAdd', 'tencent')).to.have.length(3);
  });

  it('callbackBeforeAddFriendCommand → a PrevFriendAdd with one FriendItem (ex dropped)', () => {
    const [body] = openimBodies('callbackBeforeAddFriendCommand', 'openim')!;
    expect(JSON.parse(body!)).to.deep.include({
      CallbackCommand: 'Sns.CallbackPrevFriendAdd',
      Requester_Account: 'u1',
      From_Account: 'u1',
      FriendItem: [{ To_Account: 'u2', Remark: '', GroupName: '', AddSource: '', AddWording: 'hello' }],
      AddType: 'Add_Type_Both',
      ForceAddFlags: 0,
    });
  });

  it('callbackBeforeAddFriendAgreeCommand → a PrevFriendResponse agreeing and adding back', () => {
    const [body] = openimBodies('callbackBeforeAddFriendAgreeCommand', 'openim')!;
    expect(JSON.parse(body!)).to.deep.include({
      Requester_Account: 'u2',
      From_Account: 'u2',
      ResponseFriendItem: [
        { To_Account: 'u1', Remark: '', TagName: '', ResponseAction: 'Response_Action_AgreeAndAdd' },
      ],
    });
  });

  it('callbackBeforeAddBlackCommand → Sns.CallbackBlackListAdd', () => {
    expect(openimBodies('callbackBeforeAddBlackCommand', 'openim')).to.deep.equal([
      '{"CallbackCommand":"Sns.CallbackBlackListAdd","PairList":[{"From_Account":"u1","To_Account":"u2"}]}',
    ]);
  });

  it('callbackAfterUpdateUserInfoExCommand → PortraitSet with the nickname tag, the changed user as operator (OpenIM names none)', () => {
    const [body] = openimBodies('callbackAfterUpdateUserInfoExCommand', 'openim')!;
    expect(JSON.parse(body!)).to.deep.include({
      From_Account: 'u1',
      Operator_Account: 'u1',
      ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'nick' }],
    });
  });

  for (const command of [
    'callbackBeforeSetFriendRemarkCommand',
    'callbackAfterSetFriendRemarkCommand',
    'callbackBeforeUpdateUserInfoExCommand',
    'callbackBeforeUserRegisterCommand',
    'callbackAfterUserRegisterCommand',
  ]) {
    it(`${command} has no Tencent counterpart`, () => expect(openimBodies(command, 'openim')).to.equal(undefined));
  }
});
