import { expect } from 'chai';
import fc from 'fast-check';
import type { AnyEvent, CanonicalType, DataByType } from '../../src/canonical/types.js';
import { fixture } from '../helpers/fixtures.js';
import { canonical, decode, encode, NOW, roundTrip, userID } from '../helpers/translate.js';
import { fromOpenIM, sent, withoutMeta } from '../helpers/vendorCalls.js';

// Group after-events both ways (docs/mappings.md#groups), from Tencent's documented samples and the
// bytes OpenIM's Go code sends (docs/vendors/tencent.md#groups, docs/vendors/openim.md#groups).

const G = '@TGS#2J4SZEAEL';
const decodeCases: { vendor: 'tencent' | 'openim'; name: string; type: CanonicalType; data: object; time?: number }[] =
  [
    {
      vendor: 'tencent',
      name: 'Group.CallbackAfterCreateGroup',
      type: 'im.group.created',
      time: 1670574414123,
      data: {
        groupID: G,
        groupType: 'public',
        name: 'MyFirstGroup',
        ownerUserID: 'leckie',
        operatorUserID: 'group_root',
        members: [
          { userID: 'leckie', role: 'owner' },
          { userID: 'bob', role: 'member' },
          { userID: 'peter', role: 'member' },
        ],
        notification: '',
        introduction: '',
        faceURL: '',
        ex: '',
        needVerification: 0,
        lookMemberInfo: 0,
        applyMemberFriend: 0,
        custom: { UserDefined1: 'hello', UserDefined2: 'world' },
      },
    },
    {
      vendor: 'openim',
      name: 'callbackAfterCreateGroupCommand',
      type: 'im.group.created',
      time: 1719800000500,
      data: {
        groupID: '3141592653',
        groupType: 'public',
        name: 'Team',
        ownerUserID: 'u1',
        operatorUserID: 'u1',
        members: [
          { userID: 'u1', role: 'owner' },
          { userID: 'u2', role: 'admin' },
          { userID: 'u3', role: 'member' },
        ],
        notification: '',
        introduction: '',
        faceURL: '',
        ex: '',
        needVerification: 0,
        lookMemberInfo: 0,
        applyMemberFriend: 0,
        custom: {},
      },
    },
    {
      vendor: 'tencent',
      name: 'Group.CallbackAfterGroupDestroyed',
      type: 'im.group.dismissed',
      data: {
        groupID: G,
        groupType: 'public',
        name: 'MyFirstGroup',
        ownerUserID: 'leckie',
        userIDs: ['leckie', 'peter', 'bob'],
      },
    },
    {
      vendor: 'openim',
      name: 'callbackAfterDisMissGroupCommand',
      type: 'im.group.dismissed',
      data: { groupID: '3141592653', groupType: 'public', name: '', ownerUserID: 'u1', userIDs: ['u1', 'u2'] },
    },
    {
      vendor: 'openim',
      name: 'v3.6.callbackDisMissGroupCommand',
      type: 'im.group.dismissed',
      data: { groupID: '3141592653', groupType: 'public', name: '', ownerUserID: 'u1', userIDs: [] },
    },
    {
      vendor: 'tencent',
      name: 'Group.CallbackAfterGroupInfoChanged',
      type: 'im.group.info.updated',
      data: { groupID: G, groupType: 'public', operatorUserID: 'leckie', changes: { notification: 'NewNotification' } },
    },
    {
      vendor: 'openim',
      name: 'callbackAfterSetGroupInfoCommand',
      type: 'im.group.info.updated',
      data: {
        groupID: '3141592653',
        groupType: 'public',
        operatorUserID: '',
        changes: { name: 'New name', needVerification: 2 },
      },
    },
    {
      vendor: 'openim',
      name: 'callbackAfterSetGroupInfoExCommand',
      type: 'im.group.info.updated',
      data: {
        groupID: '3141592653',
        groupType: 'public',
        operatorUserID: '',
        changes: { name: 'New name', ex: '', needVerification: 1 },
      },
    },
    {
      vendor: 'tencent',
      name: 'Group.CallbackAfterChangeGroupOwner',
      type: 'im.group.owner.changed',
      data: {
        groupID: '@TGS#2TTV7VSII',
        groupType: 'public',
        operatorUserID: 'admin',
        oldOwnerUserID: 'user1',
        newOwnerUserID: 'user2',
      },
    },
    {
      vendor: 'openim',
      name: 'callbackAfterTransferGroupOwnerCommand',
      type: 'im.group.owner.changed',
      data: {
        groupID: '3141592653',
        groupType: 'public',
        operatorUserID: '',
        oldOwnerUserID: 'u1',
        newOwnerUserID: 'u2',
      },
    },
    {
      vendor: 'tencent',
      name: 'Group.CallbackAfterGroupFull',
      type: 'im.group.full',
      data: { groupID: G, groupType: '' },
    },
    {
      vendor: 'tencent',
      name: 'Group.CallbackAfterNewMemberJoin',
      type: 'im.group.members.joined',
      data: {
        groupID: G,
        groupType: 'public',
        joinType: 'apply',
        joinSource: '',
        operatorUserID: 'leckie',
        userIDs: ['jared', 'tommy'],
        message: '',
      },
    },
    {
      vendor: 'openim',
      name: 'callbackAfterJoinGroupCommand',
      type: 'im.group.members.joined',
      data: {
        groupID: '3141592653',
        groupType: 'public',
        joinType: 'apply',
        joinSource: 'search',
        operatorUserID: 'u4',
        userIDs: ['u4'],
        message: 'let me in',
      },
    },
    {
      vendor: 'tencent',
      name: 'Group.CallbackAfterMemberExit',
      type: 'im.group.members.left',
      data: {
        groupID: G,
        groupType: 'public',
        exitType: 'kicked',
        operatorUserID: 'leckie',
        userIDs: ['jared', 'tommy'],
        reason: '',
      },
    },
    {
      vendor: 'openim',
      name: 'callbackAfterQuitGroupCommand',
      type: 'im.group.members.left',
      data: {
        groupID: '3141592653',
        groupType: 'public',
        exitType: 'quit',
        operatorUserID: 'u3',
        userIDs: ['u3'],
        reason: '',
      },
    },
    {
      vendor: 'openim',
      name: 'callbackAfterKickGroupCommand',
      type: 'im.group.members.left',
      data: {
        groupID: '3141592653',
        groupType: 'public',
        exitType: 'kicked',
        operatorUserID: '',
        userIDs: ['u3'],
        reason: 'spam',
      },
    },
    {
      vendor: 'openim',
      name: 'v3.6.callbackKillGroupCommand',
      type: 'im.group.members.left',
      data: {
        groupID: '3141592653',
        groupType: 'public',
        exitType: 'kicked',
        operatorUserID: '',
        userIDs: [],
        reason: '',
      },
    },
    {
      vendor: 'tencent',
      name: 'Group.CallbackAfterMemberFieldChanged',
      type: 'im.group.member.updated',
      data: {
        groupID: '@TGS#xxxx',
        groupType: 'community',
        operatorUserID: 'admin',
        userID: '123456',
        changes: { nickname: 'jacky', role: 'admin' },
      },
    },
    {
      vendor: 'openim',
      name: 'callbackAfterSetGroupMemberInfoCommand',
      type: 'im.group.member.updated',
      data: {
        groupID: '3141592653',
        groupType: 'public',
        operatorUserID: '',
        userID: 'u3',
        changes: { nickname: 'Bobby', role: 'admin' },
      },
    },
  ];

describe('mappings: group after-events from the vendors’ documented samples', () => {
  for (const c of decodeCases) {
    it(`decodes ${c.vendor} ${c.name} as ${c.type}`, () => {
      const command = c.name
        .split('.')
        .slice(c.vendor === 'tencent' ? -2 : -1)
        .join('.');
      const raw = fixture(c.vendor, c.name);
      const event = c.vendor === 'tencent' ? decode('tencent', command, raw) : fromOpenIM(command, raw);
      expect(event.type).to.equal(c.type);
      expect(withoutMeta(event)).to.deep.equal(c.data);
      if (c.time) expect(event.data.meta?.eventTime).to.equal(c.time);
    });
  }

  it('reads groupType as 2, "2" or the rune "\\u0002", and a Tencent Work/Meeting by its new name', () => {
    for (const groupType of [2, '2', '\u0002']) {
      const raw = JSON.stringify({
        callbackCommand: 'callbackAfterDisMissGroupCommand',
        groupID: 'g',
        ownerID: 'o',
        groupType,
        membersID: [],
      });
      expect(fromOpenIM('callbackAfterDisMissGroupCommand', raw).data).to.include({ groupType: 'public' });
    }
    for (const [type, expected] of [
      ['Work', 'work'],
      ['Meeting', 'meeting'],
      ['Private', 'work'],
      ['ChatRoom', 'meeting'],
      ['Live', 'Live'],
    ]) {
      const raw = JSON.stringify({
        CallbackCommand: 'Group.CallbackAfterChangeGroupOwner',
        GroupId: 'g',
        Type: type,
        Operator_Account: 'a',
        OldOwner_Account: 'b',
        NewOwner_Account: 'c',
        EventTime: 1,
      });
      expect(decode('tencent', 'Group.CallbackAfterChangeGroupOwner', raw).data).to.include({ groupType: expected });
    }
  });

  it('reads Modified_Account where the sample has Member_Account, and leaves an unknown Role out', () => {
    const raw = JSON.stringify({
      CallbackCommand: 'Group.CallbackAfterMemberFieldChanged',
      GroupId: 'g',
      Type: 'Public',
      Operator_Account: 'a',
      Modified_Account: 'm',
      Role: 'Boss',
      EventTime: '1',
    });
    expect(withoutMeta(decode('tencent', 'Group.CallbackAfterMemberFieldChanged', raw))).to.deep.equal({
      groupID: 'g',
      groupType: 'public',
      operatorUserID: 'a',
      userID: 'm',
      changes: {},
    });
  });

  it('sends an OpenIM after-create to OpenIM with a clean initMemberList (each user once, at their role)', () => {
    const [call] = sent(
      fromOpenIM('callbackAfterCreateGroupCommand', fixture('openim', 'callbackAfterCreateGroupCommand')),
      'openim',
    );
    expect(call!.body).to.equal(
      fixture('openim', 'callbackAfterCreateGroupCommand').replace(
        ',{"userID":"u2","roleLevel":20},{"userID":"u1","roleLevel":20}]',
        ']',
      ),
    );
  });

  it('sends the Tencent create to OpenIM as OpenIM writes it: type 2, createTime = EventTime, owner first', () => {
    const [call] = sent(
      decode('tencent', 'Group.CallbackAfterCreateGroup', fixture('tencent', 'Group.CallbackAfterCreateGroup')),
      'openim',
    );
    expect(call!.body).to.equal(
      '{"callbackCommand":"callbackAfterCreateGroupCommand","groupID":"@TGS#2J4SZEAEL","groupName":"MyFirstGroup","notification":"","introduction":"","faceURL":"","ownerUserID":"leckie","createTime":1670574414123,"memberCount":3,"ex":"","status":0,"creatorUserID":"group_root","groupType":2,"needVerification":0,"lookMemberInfo":0,"applyMemberFriend":0,"notificationUpdateTime":0,"notificationUserID":"","initMemberList":[{"userID":"leckie","roleLevel":100},{"userID":"bob","roleLevel":20},{"userID":"peter","roleLevel":20}]}\n',
    );
  });

  it('sends an OpenIM create to Tencent with MemberList minus the owner and no UserDefinedDataList', () => {
    const [call] = sent(
      fromOpenIM('callbackAfterCreateGroupCommand', fixture('openim', 'callbackAfterCreateGroupCommand')),
      'tencent',
    );
    expect(call!.body).to.equal(
      '{"CallbackCommand":"Group.CallbackAfterCreateGroup","GroupId":"3141592653","Operator_Account":"u1","Owner_Account":"u1","Type":"Public","Name":"Team","MemberList":[{"Member_Account":"u2"},{"Member_Account":"u3"}],"EventTime":1719800000500}',
    );
  });

  // OpenIM bytes that come back byte for byte from an OpenIM-format backend.
  for (const [name, op] of [
    ['callbackAfterDisMissGroupCommand', ''],
    ['callbackAfterSetGroupInfoExCommand', ''],
    ['callbackAfterTransferGroupOwnerCommand', ''],
    ['callbackAfterJoinGroupCommand', '1719800000000123'],
    ['callbackAfterQuitGroupCommand', ''],
    ['callbackAfterKickGroupCommand', ''],
    ['callbackAfterSetGroupMemberInfoCommand', ''],
  ] as const) {
    it(`re-encodes OpenIM’s ${name} bytes to the same bytes`, () => {
      const raw = fixture('openim', name);
      expect(sent(fromOpenIM(name, raw, op), 'openim').map((c) => c.body)).to.deep.equal([raw]);
    });
  }

  it('sends OpenIM’s set-group-info as the Ex form, which can say what changed', () => {
    const [call] = sent(
      fromOpenIM('callbackAfterSetGroupInfoCommand', fixture('openim', 'callbackAfterSetGroupInfoCommand')),
      'openim',
    );
    expect(call).to.deep.equal({
      command: 'callbackAfterSetGroupInfoExCommand',
      body: '{"callbackCommand":"callbackAfterSetGroupInfoExCommand","operationID":"","groupID":"3141592653","groupName":"New name","notification":null,"introduction":null,"faceURL":null,"ex":null,"needVerification":2,"lookMemberInfo":null,"applyMemberFriend":null}\n',
    });
  });

  // Tencent samples that come back from a Tencent-format backend as the same JSON (EventTime as a number).
  for (const name of [
    'Group.CallbackAfterCreateGroup',
    'Group.CallbackAfterGroupDestroyed',
    'Group.CallbackAfterGroupInfoChanged',
    'Group.CallbackAfterChangeGroupOwner',
    'Group.CallbackAfterNewMemberJoin',
    'Group.CallbackAfterMemberFieldChanged',
    'Group.CallbackAfterGroupFull',
  ]) {
    it(`sends Tencent’s ${name} sample to a Tencent backend as the same JSON`, () => {
      const raw = fixture('tencent', name);
      const expected = JSON.parse(raw);
      expected.EventTime = Number(expected.EventTime);
      expect(sent(decode('tencent', name, raw), 'tencent').map((c) => c.body)).to.deep.equal([
        JSON.stringify(expected),
      ]);
    });
  }

  it('fans a Tencent join of two out to one OpenIM after-join per member, joinSource guessed from JoinType', () => {
    const event = decode(
      'tencent',
      'Group.CallbackAfterNewMemberJoin',
      fixture('tencent', 'Group.CallbackAfterNewMemberJoin'),
    );
    const calls = sent(event, 'openim').map((c) => JSON.parse(c.body));
    expect(calls.map((b) => [b.inviterUserID, b.joinSource, b.groupID])).to.deep.equal([
      ['jared', 3, G],
      ['tommy', 3, G],
    ]);
    const invited = canonical('im.group.members.joined', {
      ...(withoutMeta(event) as unknown as DataByType['im.group.members.joined']),
      joinType: 'invited',
    });
    expect(sent(invited, 'openim').map((c) => JSON.parse(c.body).joinSource)).to.deep.equal([2, 2]);
  });

  it('sends a Tencent kick as one OpenIM kick and a Tencent quit of two as two OpenIM quits', () => {
    const kicked = decode(
      'tencent',
      'Group.CallbackAfterMemberExit',
      fixture('tencent', 'Group.CallbackAfterMemberExit'),
    );
    expect(sent(kicked, 'openim')).to.deep.equal([
      {
        command: 'callbackAfterKickGroupCommand',
        body: `{"callbackCommand":"callbackAfterKickGroupCommand","groupID":"${G}","kickedUserIDs":["jared","tommy"],"reason":""}\n`,
      },
    ]);
    const quit = canonical('im.group.members.left', {
      ...(withoutMeta(kicked) as unknown as DataByType['im.group.members.left']),
      exitType: 'quit',
    });
    expect(sent(quit, 'openim').map((c) => c.body)).to.deep.equal(
      ['jared', 'tommy'].map(
        (u) => `{"callbackCommand":"callbackAfterQuitGroupCommand","groupID":"${G}","userID":"${u}"}\n`,
      ),
    );
  });

  it('sends OpenIM’s dismiss to Tencent without a Name it does not know, and sends no group-full to OpenIM', () => {
    const [call] = sent(
      fromOpenIM('callbackAfterDisMissGroupCommand', fixture('openim', 'callbackAfterDisMissGroupCommand')),
      'tencent',
    );
    expect(call!.body).to.equal(
      '{"CallbackCommand":"Group.CallbackAfterGroupDestroyed","GroupId":"3141592653","Type":"Public","Owner_Account":"u1","MemberList":[{"Member_Account":"u1"},{"Member_Account":"u2"}],"EventTime":' +
        NOW +
        '}',
    );
    expect(
      encode(
        decode('tencent', 'Group.CallbackAfterGroupFull', fixture('tencent', 'Group.CallbackAfterGroupFull')),
        'openim',
      ),
    ).to.equal(undefined);
  });

  it('does not send a change the target cannot express (an ex-only change to Tencent, an avatar-only member change)', () => {
    const info = canonical(
      'im.group.info.updated',
      { groupID: 'g', groupType: 'public', operatorUserID: '', changes: { ex: 'x', lookMemberInfo: 1 } },
      'openim',
    );
    expect(sent(info, 'tencent')).to.deep.equal([]);
    const member = canonical(
      'im.group.member.updated',
      { groupID: 'g', groupType: 'public', operatorUserID: '', userID: 'u', changes: { faceURL: 'f' } },
      'openim',
    );
    expect(sent(member, 'tencent')).to.deep.equal([]);
  });

  const groupID = fc.string({ maxLength: 12 });
  const tencentType = fc.constantFrom('work', 'public', 'meeting', 'avchatroom', 'community');
  const users = fc.uniqueArray(userID, { maxLength: 20 });
  const role = fc.constantFrom('owner' as const, 'admin' as const, 'member' as const);

  it('round-trips member joins and exits, owner changes and info and member changes through a Tencent backend', () => {
    fc.assert(
      fc.property(
        groupID,
        tencentType,
        userID,
        users,
        fc.constantFrom('apply', 'invited'),
        fc.constantFrom('quit', 'kicked'),
        (g, t, op, ids, joinType, exitType) => {
          const joined = {
            groupID: g,
            groupType: t,
            joinType,
            joinSource: '' as const,
            operatorUserID: op,
            userIDs: ids,
            message: '',
          };
          expect(withoutMeta(roundTrip(canonical('im.group.members.joined', joined), 'tencent').back)).to.deep.equal(
            joined,
          );
          const left = { groupID: g, groupType: t, exitType, operatorUserID: op, userIDs: ids, reason: '' };
          expect(withoutMeta(roundTrip(canonical('im.group.members.left', left), 'tencent').back)).to.deep.equal(left);
          const owner = {
            groupID: g,
            groupType: t,
            operatorUserID: op,
            oldOwnerUserID: ids[0] ?? '',
            newOwnerUserID: op,
          };
          expect(withoutMeta(roundTrip(canonical('im.group.owner.changed', owner), 'tencent').back)).to.deep.equal(
            owner,
          );
        },
      ),
      { numRuns: 60 },
    );
    fc.assert(
      fc.property(
        groupID,
        fc.record(
          { name: fc.string(), introduction: fc.string(), notification: fc.string(), faceURL: fc.string() },
          { requiredKeys: ['name'] },
        ),
        fc.record({ nickname: fc.string(), role }, { requiredKeys: ['role'] }),
        (g, changes, memberChanges) => {
          const info = { groupID: g, groupType: 'public', operatorUserID: 'op', changes };
          expect(withoutMeta(roundTrip(canonical('im.group.info.updated', info), 'tencent').back)).to.deep.equal(info);
          const member = { groupID: g, groupType: 'public', operatorUserID: 'op', userID: 'u', changes: memberChanges };
          expect(withoutMeta(roundTrip(canonical('im.group.member.updated', member), 'tencent').back)).to.deep.equal(
            member,
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('round-trips owner changes, kicks, info changes, member changes and dismissals through an OpenIM backend', () => {
    const back = (e: AnyEvent) => {
      const [call] = sent(e, 'openim');
      return withoutMeta(fromOpenIM(call!.command, call!.body));
    };
    fc.assert(
      fc.property(
        groupID,
        users,
        fc.record(
          {
            name: fc.string(),
            notification: fc.string(),
            introduction: fc.string(),
            faceURL: fc.string(),
            ex: fc.string(),
            needVerification: fc.integer({ min: 0, max: 2 }),
            lookMemberInfo: fc.integer({ min: 0, max: 1 }),
            applyMemberFriend: fc.integer({ min: 0, max: 1 }),
          },
          { requiredKeys: ['ex'] },
        ),
        fc.record(
          { nickname: fc.string(), faceURL: fc.string(), role, ex: fc.string() },
          { requiredKeys: ['nickname'] },
        ),
        (g, ids, changes, memberChanges) => {
          const owner = {
            groupID: g,
            groupType: 'public',
            operatorUserID: '',
            oldOwnerUserID: 'a',
            newOwnerUserID: 'b',
          };
          expect(back(canonical('im.group.owner.changed', owner, 'openim'))).to.deep.equal(owner);
          const kick = {
            groupID: g,
            groupType: 'public',
            exitType: 'kicked',
            operatorUserID: '',
            userIDs: ids,
            reason: 'r',
          };
          expect(back(canonical('im.group.members.left', kick, 'openim'))).to.deep.equal(kick);
          const info = { groupID: g, groupType: 'public', operatorUserID: '', changes };
          expect(back(canonical('im.group.info.updated', info, 'openim'))).to.deep.equal(info);
          const member = { groupID: g, groupType: 'public', operatorUserID: '', userID: 'u', changes: memberChanges };
          expect(back(canonical('im.group.member.updated', member, 'openim'))).to.deep.equal(member);
          const dismissed = { groupID: g, groupType: 'public', name: '', ownerUserID: 'o', userIDs: ids };
          expect(back(canonical('im.group.dismissed', dismissed, 'openim'))).to.deep.equal(dismissed);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps a Tencent create through a Tencent backend whatever the members and custom data', () => {
    fc.assert(
      fc.property(
        groupID,
        userID,
        users,
        fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.string()),
        (g, owner, ids, custom) => {
          const data = {
            groupID: g,
            groupType: 'public',
            name: 'n',
            ownerUserID: owner,
            operatorUserID: owner,
            members: [
              { userID: owner, role: 'owner' as const },
              ...ids.filter((u) => u !== owner).map((userID) => ({ userID, role: 'member' as const })),
            ],
            notification: '',
            introduction: '',
            faceURL: '',
            ex: '',
            needVerification: 0,
            lookMemberInfo: 0,
            applyMemberFriend: 0,
            custom,
          };
          expect(withoutMeta(roundTrip(canonical('im.group.created', data), 'tencent').back)).to.deep.equal(data);
        },
      ),
      { numRuns: 60 },
    );
  });
});
