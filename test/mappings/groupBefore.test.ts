import { expect } from 'chai';
import fc from 'fast-check';
import { makeEvent } from '../../src/canonical/event.js';
import type { AnyEvent, CanonicalType, DataByType, Verdict } from '../../src/canonical/types.js';
import { allow, deny } from '../../src/canonical/verdict.js';
import { mappingOf } from '../../mappings/index.js';
import { fixture } from '../helpers/fixtures.js';
import { compact, decode, encode, userID } from '../helpers/translate.js';
import { fromOpenIM, sent, withoutMeta } from '../helpers/vendorCalls.js';

// Group before-events (docs/mappings.md#groups): decoded from Tencent's documented samples and the
// bytes OpenIM's Go code sends, sent to both formats, and their verdicts settled for each caller.

const G = '@TGS#2J4SZEAEL';
const OG = '3141592653';

const decodeCases: {
  vendor: 'tencent' | 'openim';
  name: string;
  command?: string;
  type: CanonicalType;
  data: object;
}[] = [
  {
    vendor: 'tencent',
    name: 'Group.CallbackBeforeCreateGroup',
    type: 'im.group.create.before',
    data: {
      groupID: '',
      groupType: 'public',
      name: 'MyFirstGroup',
      ownerUserID: 'leckie',
      operatorUserID: 'leckie',
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
      createdGroupCount: 123,
    },
  },
  {
    vendor: 'openim',
    name: 'callbackBeforeCreateGroupCommand',
    type: 'im.group.create.before',
    data: {
      groupID: '',
      groupType: 'public',
      name: 'Team',
      ownerUserID: 'u1',
      operatorUserID: '',
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
      createdGroupCount: null,
    },
  },
  {
    vendor: 'tencent',
    name: 'Group.CallbackBeforeApplyJoinGroup',
    type: 'im.group.join.before',
    data: { groupID: G, groupType: 'public', applicantUserID: 'jared', message: '', ex: '' },
  },
  {
    vendor: 'openim',
    name: 'callbackBeforeJoinGroupCommand',
    type: 'im.group.join.before',
    data: { groupID: OG, groupType: 'public', applicantUserID: 'u4', message: 'let me in', ex: '' },
  },
  {
    vendor: 'tencent',
    name: 'Group.CallbackBeforeInviteJoinGroup',
    type: 'im.group.invite.before',
    data: { groupID: G, groupType: 'public', inviterUserID: 'leckie', reason: '', userIDs: ['jared', 'leckie'] },
  },
  {
    vendor: 'openim',
    name: 'callbackBeforeInviteJoinGroupCommand',
    type: 'im.group.invite.before',
    data: { groupID: OG, groupType: 'public', inviterUserID: '', reason: '', userIDs: ['u5', 'u6'] },
  },
  {
    vendor: 'openim',
    name: 'callbackBeforeMembersJoinGroupCommand',
    type: 'im.group.members.join.before',
    data: {
      groupID: OG,
      groupEx: '',
      members: [
        { userID: 'u1', ex: '' },
        { userID: 'u2', ex: '' },
        { userID: 'u3', ex: '' },
      ],
    },
  },
  {
    vendor: 'openim',
    name: 'v3.7.callbackBeforeMemberJoinGroupCommand',
    command: 'callbackBeforeMemberJoinGroupCommand',
    type: 'im.group.members.join.before',
    data: { groupID: OG, groupEx: '', members: [{ userID: 'u4', ex: '' }] },
  },
  {
    vendor: 'openim',
    name: 'callbackBeforeSetGroupInfoCommand',
    type: 'im.group.info.update.before',
    data: { groupID: OG, changes: { name: 'New name' } },
  },
  {
    vendor: 'openim',
    name: 'callbackBeforeSetGroupInfoExCommand',
    type: 'im.group.info.update.before',
    data: { groupID: OG, changes: { name: 'New name', ex: '', needVerification: 1 } },
  },
  {
    vendor: 'openim',
    name: 'callbackBeforeSetGroupMemberInfoCommand',
    type: 'im.group.member.update.before',
    data: { groupID: OG, userID: 'u3', changes: { nickname: 'Bobby', role: 'admin' } },
  },
];

/** An event as if OpenIM had called `command` (the form the info encoder answers in). */
function fromCommand<T extends CanonicalType>(type: T, data: DataByType[T], command: string): AnyEvent {
  return makeEvent(type, structuredClone(data), {
    vendor: 'openim',
    command,
    meta: {},
    rawBody: '',
    stamp: 'fixed',
  }) as AnyEvent;
}

/** The verdict a mapping settles for its caller's command. */
function settle<T extends CanonicalType>(type: T, data: DataByType[T], verdict: Verdict, command: string): Verdict {
  return mappingOf(type).settle!(data as never, verdict, command);
}

describe('mappings: group before-events from the vendors’ documented samples', () => {
  for (const c of decodeCases) {
    it(`decodes ${c.vendor} ${c.name} as ${c.type}`, () => {
      const command = c.command ?? c.name;
      const raw = fixture(c.vendor, c.name);
      const event = c.vendor === 'openim' ? fromOpenIM(command, raw) : decode(c.vendor, command, raw);
      expect(event.type).to.equal(c.type);
      expect(withoutMeta(event)).to.deep.equal(c.data);
    });
  }

  for (const name of [
    'Group.CallbackBeforeCreateGroup',
    'Group.CallbackBeforeApplyJoinGroup',
    'Group.CallbackBeforeInviteJoinGroup',
  ]) {
    it(`sends Tencent’s ${name} sample to a Tencent backend as the same JSON (EventTime a number)`, () => {
      const raw = fixture('tencent', name);
      const [call] = sent(decode('tencent', name, raw), 'tencent');
      const expected = { ...JSON.parse(raw), EventTime: 1670574414123 };
      expect(call!.body).to.equal(compact(JSON.stringify(expected)));
    });
  }

  for (const [name, expected] of [
    ['callbackBeforeJoinGroupCommand', (raw: string) => raw],
    ['callbackBeforeInviteJoinGroupCommand', (raw: string) => raw],
    ['callbackBeforeMembersJoinGroupCommand', (raw: string) => raw],
    ['callbackBeforeSetGroupInfoCommand', (raw: string) => raw],
    ['callbackBeforeSetGroupInfoExCommand', (raw: string) => raw],
    ['callbackBeforeSetGroupMemberInfoCommand', (raw: string) => raw],
    // The client's owner field is usually "": the member list says who the owner is.
    ['callbackBeforeCreateGroupCommand', (raw: string) => raw.replace('"ownerUserID":""', '"ownerUserID":"u1"')],
  ] as const) {
    it(`re-encodes OpenIM’s ${name} bytes to the same bytes, in the caller’s form`, () => {
      const raw = fixture('openim', name);
      const [call] = sent(fromOpenIM(name, raw, '1719800000000123'), 'openim');
      expect(call).to.deep.equal({ command: name, body: expected(raw) });
    });
  }

  it('sends a v3.7 single-member join to an OpenIM backend as the batched v3.8 command', () => {
    const raw = fixture('openim', 'v3.7.callbackBeforeMemberJoinGroupCommand');
    expect(sent(fromOpenIM('callbackBeforeMemberJoinGroupCommand', raw), 'openim')).to.deep.equal([
      {
        command: 'callbackBeforeMembersJoinGroupCommand',
        body: '{"callbackCommand":"callbackBeforeMembersJoinGroupCommand","groupID":"3141592653","memberList":[{"userID":"u4","ex":""}],"groupEx":""}\n',
      },
    ]);
  });

  it('sends the Tencent create to OpenIM as its before-create: type 2, creator = operator, owner first, nothing invented', () => {
    const [call] = sent(
      decode('tencent', 'Group.CallbackBeforeCreateGroup', fixture('tencent', 'Group.CallbackBeforeCreateGroup')),
      'openim',
    );
    const body = JSON.parse(call!.body);
    expect(Object.keys(body).slice(0, 3)).to.deep.equal(['operationID', 'callbackCommand', 'groupID']);
    expect(body).to.include({
      groupID: '',
      groupName: 'MyFirstGroup',
      ownerUserID: 'leckie',
      creatorUserID: 'leckie',
      groupType: 2,
      createTime: 0,
      memberCount: 0,
    });
    expect(body.initMemberList).to.deep.equal([
      { userID: 'leckie', roleLevel: 100 },
      { userID: 'bob', roleLevel: 20 },
      { userID: 'peter', roleLevel: 20 },
    ]);
  });

  it('sends OpenIM’s create, join and invite to Tencent: members but the owner, no CreateGroupNum it does not know, inviter ""', () => {
    const create = JSON.parse(
      sent(
        fromOpenIM('callbackBeforeCreateGroupCommand', fixture('openim', 'callbackBeforeCreateGroupCommand')),
        'tencent',
      )[0]!.body,
    );
    expect(create).to.deep.equal({
      CallbackCommand: 'Group.CallbackBeforeCreateGroup',
      Operator_Account: '',
      Owner_Account: 'u1',
      Type: 'Public',
      Name: 'Team',
      MemberList: [{ Member_Account: 'u2' }, { Member_Account: 'u3' }],
      EventTime: create.EventTime,
    });
    const join = JSON.parse(
      sent(
        fromOpenIM('callbackBeforeJoinGroupCommand', fixture('openim', 'callbackBeforeJoinGroupCommand')),
        'tencent',
      )[0]!.body,
    );
    expect(join).to.include({ GroupId: OG, Type: 'Public', Requestor_Account: 'u4' });
    const invite = encode(
      fromOpenIM('callbackBeforeInviteJoinGroupCommand', fixture('openim', 'callbackBeforeInviteJoinGroupCommand')),
      'tencent',
    )!;
    expect(invite).to.have.length(1);
    expect(JSON.parse(invite[0]!.body)).to.include({ Operator_Account: '' });
    expect(JSON.parse(invite[0]!.body).DestinationMembers).to.deep.equal([
      { Member_Account: 'u5' },
      { Member_Account: 'u6' },
    ]);
  });

  it('sends a Tencent invitation to OpenIM as one call with every invitee, under the event’s operationID', () => {
    const event = decode(
      'tencent',
      'Group.CallbackBeforeInviteJoinGroup',
      fixture('tencent', 'Group.CallbackBeforeInviteJoinGroup'),
    );
    const calls = sent(event, 'openim');
    expect(calls).to.have.length(1);
    expect(JSON.parse(calls[0]!.body)).to.deep.equal({
      callbackCommand: 'callbackBeforeInviteJoinGroupCommand',
      operationID: event.id,
      groupID: G,
      reason: '',
      invitedUserIDs: ['jared', 'leckie'],
    });
  });

  it('sends nothing of set-group-info, members-join and set-member-info to Tencent, which has no such before-callback', () => {
    for (const name of [
      'callbackBeforeSetGroupInfoCommand',
      'callbackBeforeSetGroupInfoExCommand',
      'callbackBeforeMembersJoinGroupCommand',
      'callbackBeforeSetGroupMemberInfoCommand',
    ]) {
      expect(encode(fromOpenIM(name, fixture('openim', name)), 'tencent'), name).to.equal(undefined);
    }
  });

  it('reads an OpenIM set-group-info with "" and 0 as unchanged, and the Ex form with only null as unchanged', () => {
    const raw = (cmd: string, v: object) =>
      JSON.stringify({ callbackCommand: cmd, operationID: '', groupID: 'g', ...v });
    const plain = fromOpenIM(
      'callbackBeforeSetGroupInfoCommand',
      raw('callbackBeforeSetGroupInfoCommand', {
        groupName: '',
        notification: 'n',
        introduction: '',
        faceURL: '',
        ex: '',
        needVerification: 0,
        lookMemberInfo: 1,
        applyMemberFriend: 0,
      }),
    );
    expect(withoutMeta(plain)).to.deep.equal({ groupID: 'g', changes: { notification: 'n', lookMemberInfo: 1 } });
    const ex = fromOpenIM(
      'callbackBeforeSetGroupInfoExCommand',
      raw('callbackBeforeSetGroupInfoExCommand', {
        groupName: null,
        notification: '',
        introduction: null,
        faceURL: null,
        ex: null,
        needVerification: 0,
        lookMemberInfo: null,
        applyMemberFriend: null,
      }),
    );
    expect(withoutMeta(ex)).to.deep.equal({ groupID: 'g', changes: { notification: '', needVerification: 0 } });
  });
});

describe('mappings: group before-event verdicts, settled for the caller', () => {
  const invite: DataByType['im.group.invite.before'] = {
    groupID: 'g',
    groupType: 'public',
    inviterUserID: 'a',
    reason: '',
    userIDs: ['u1', 'u2', 'u3'],
  };
  const refusing = (...ids: string[]): Verdict => ({
    ...allow(),
    items: ids.map((userID) => ({ userID, decision: 'deny' as const, code: 0, message: '' })),
  });

  it('keeps per-invitee refusals for Tencent (invitees only, in invitation order), even when all are refused', () => {
    const v = settle(
      'im.group.invite.before',
      invite,
      refusing('u3', 'stranger', 'u1'),
      'Group.CallbackBeforeInviteJoinGroup',
    );
    expect(v.decision).to.equal('allow');
    expect(v.items.map((i) => i.userID)).to.deep.equal(['u1', 'u3']);
    const all = settle(
      'im.group.invite.before',
      invite,
      refusing('u1', 'u2', 'u3'),
      'Group.CallbackBeforeInviteJoinGroup',
    );
    expect(all.decision).to.equal('allow');
    expect(all.items).to.have.length(3);
  });

  it('refuses the whole invitation for OpenIM, naming the refused invitees, with the caller’s deny code', () => {
    const v = settle('im.group.invite.before', invite, refusing('u3', 'u1'), 'callbackBeforeInviteJoinGroupCommand');
    expect(v).to.deep.include({ decision: 'deny', code: 0, message: 'members refused: u1,u3', items: [] });
    const none = settle('im.group.invite.before', invite, refusing('stranger'), 'callbackBeforeInviteJoinGroupCommand');
    expect(none).to.deep.include({ decision: 'allow', items: [] });
    const whole = settle('im.group.invite.before', invite, deny(10150, 'no'), 'callbackBeforeInviteJoinGroupCommand');
    expect(whole).to.deep.include({ decision: 'deny', code: 10150, message: 'no' });
  });

  const created: DataByType['im.group.create.before'] = {
    groupID: '',
    groupType: 'public',
    name: 'Team',
    ownerUserID: 'u1',
    operatorUserID: 'u1',
    members: [{ userID: 'u1', role: 'owner' }],
    notification: '',
    introduction: '',
    faceURL: '',
    ex: '',
    needVerification: 0,
    lookMemberInfo: 0,
    applyMemberFriend: 0,
    createdGroupCount: null,
  };

  it('keeps the create values OpenIM applies that change something; a Tencent caller takes none of them', () => {
    const verdict: Verdict = {
      ...allow(),
      patch: { name: 'Team', groupID: 'g-7', introduction: 'hi', applyMemberFriend: 1, remark: 'x' },
    };
    const openim = settle('im.group.create.before', created, verdict, 'callbackBeforeCreateGroupCommand');
    expect(openim.patch).to.deep.equal({ groupID: 'g-7', introduction: 'hi' });
    expect(openim.ignored).to.deep.equal(['applyMemberFriend', 'remark']);
    const tencent = settle('im.group.create.before', created, verdict, 'Group.CallbackBeforeCreateGroup');
    expect(tencent.patch).to.deep.equal({});
    expect(tencent.ignored).to.have.members(['name', 'groupID', 'introduction', 'applyMemberFriend', 'remark']);
  });

  it('never lets a set-group-info reply move the change or clear a name through the non-Ex form', () => {
    const data = { groupID: 'g', changes: { name: 'New' } };
    const verdict: Verdict = { ...allow(), patch: { groupID: 'other', name: '', faceURL: 'f', notification: 'n' } };
    const plain = settle('im.group.info.update.before', data, verdict, 'callbackBeforeSetGroupInfoCommand');
    expect(plain.patch).to.deep.equal({ faceURL: 'f' });
    expect(plain.ignored).to.have.members(['groupID', 'name', 'notification']);
    const ex = settle('im.group.info.update.before', data, verdict, 'callbackBeforeSetGroupInfoExCommand');
    expect(ex.patch).to.deep.equal({ name: '', faceURL: 'f' });
  });

  it('keeps member values for joining members only, and never makes one an owner', () => {
    const data = {
      groupID: 'g',
      groupEx: '',
      members: [
        { userID: 'u1', ex: '' },
        { userID: 'u2', ex: '' },
      ],
    };
    const verdict: Verdict = {
      ...allow(),
      patch: {
        members: [
          { userID: 'u2', nickname: 'Two', role: 'owner' },
          { userID: 'stranger', nickname: 'x' },
          { userID: 'u1', role: 'owner' },
        ],
      },
    };
    const v = settle('im.group.members.join.before', data, verdict, 'callbackBeforeMembersJoinGroupCommand');
    expect(v.patch).to.deep.equal({ members: [{ userID: 'u2', nickname: 'Two' }] });
    expect(v.ignored).to.deep.equal(['members[].role']);
  });

  it('drops an owner role from a member update and keeps the rest', () => {
    const v = settle(
      'im.group.member.update.before',
      { groupID: 'g', userID: 'u', changes: {} },
      { ...allow(), patch: { role: 'owner', nickname: 'N' } },
      'callbackBeforeSetGroupMemberInfoCommand',
    );
    expect(v.patch).to.deep.equal({ nickname: 'N' });
    expect(v.ignored).to.deep.equal(['role']);
  });
});

describe('mappings: group before-events round-trip where nothing is lost', () => {
  const ids = fc.uniqueArray(userID, { minLength: 1, maxLength: 20 });
  const back = (e: AnyEvent, vendor: 'tencent' | 'openim') => {
    const [call] = sent(e, vendor);
    return withoutMeta(
      vendor === 'openim' ? fromOpenIM(call!.command, call!.body) : decode(vendor, call!.command, call!.body),
    );
  };

  it('keeps invitations and applications through both formats', () => {
    fc.assert(
      fc.property(fc.string(), userID, ids, fc.string(), (g, who, users, text) => {
        const inv = { groupID: g, groupType: 'public', inviterUserID: who, reason: '', userIDs: users };
        expect(
          back(fromCommand('im.group.invite.before', inv, 'Group.CallbackBeforeInviteJoinGroup'), 'tencent'),
        ).to.deep.equal(inv);
        const oInv = { ...inv, inviterUserID: '', reason: text };
        expect(back(fromCommand('im.group.invite.before', oInv, 'x'), 'openim')).to.deep.equal(oInv);
        const join = { groupID: g, groupType: 'public', applicantUserID: who, message: text, ex: text };
        expect(back(fromCommand('im.group.join.before', join, 'x'), 'openim')).to.deep.equal(join);
        const tJoin = { ...join, message: '', ex: '' };
        expect(back(fromCommand('im.group.join.before', tJoin, 'x'), 'tencent')).to.deep.equal(tJoin);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps creations, member joins, set-info (either form) and member updates through an OpenIM backend', () => {
    const role = fc.constantFrom('owner' as const, 'admin' as const, 'member' as const);
    fc.assert(
      fc.property(
        fc.string(),
        userID,
        ids,
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
          { requiredKeys: [] },
        ),
        fc.record({ nickname: fc.string(), faceURL: fc.string(), role, ex: fc.string() }, { requiredKeys: [] }),
        (g, owner, users, changes, memberChanges) => {
          const members = [
            { userID: owner, role: 'owner' as const },
            ...users
              .filter((u) => u !== owner)
              .map((userID, i) => ({ userID, role: i % 2 ? ('admin' as const) : ('member' as const) })),
          ];
          // initMemberList lists owner, admins, members: the canonical order that survives.
          const ordered = [...members].sort(
            (a, b) => ['owner', 'admin', 'member'].indexOf(a.role) - ['owner', 'admin', 'member'].indexOf(b.role),
          );
          const create = {
            groupID: g,
            groupType: 'public',
            name: 'n',
            ownerUserID: owner,
            operatorUserID: owner,
            members: ordered,
            notification: 'a',
            introduction: 'b',
            faceURL: 'c',
            ex: 'd',
            needVerification: 1,
            lookMemberInfo: 1,
            applyMemberFriend: 1,
            createdGroupCount: null,
          };
          expect(back(fromCommand('im.group.create.before', create, 'x'), 'openim')).to.deep.equal(create);
          const join = { groupID: g, groupEx: 'e', members: users.map((userID) => ({ userID, ex: userID })) };
          expect(back(fromCommand('im.group.members.join.before', join, 'x'), 'openim')).to.deep.equal(join);
          const info = { groupID: g, changes };
          const ex = fromCommand('im.group.info.update.before', info, 'callbackBeforeSetGroupInfoExCommand');
          expect(back(ex, 'openim')).to.deep.equal(info);
          const member = { groupID: g, userID: owner, changes: memberChanges };
          expect(back(fromCommand('im.group.member.update.before', member, 'x'), 'openim')).to.deep.equal(member);
        },
      ),
      { numRuns: 60 },
    );
  });
});
