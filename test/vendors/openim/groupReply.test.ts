import { expect } from 'chai';
import type { Outcome, Patch, Verdict } from '../../../src/canonical/types.js';
import { allow, deny } from '../../../src/canonical/verdict.js';
import { openimAnswer } from '../../../src/vendors/openim/answer.js';
import { readOpenIMReply } from '../../../src/vendors/openim/envelope.js';
import { fixture, fixtureJson } from '../../helpers/fixtures.js';

// OpenIM's group before-callback replies, read as its Go structs read them and written as they are
// applied (docs/vendors/openim.md#groups).

const CONTINUE = '"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0';
const allowWith = (patch: Patch, ignored?: string[]): Outcome => ({
  ok: true,
  verdict: { ...allow(), patch, ...(ignored && { ignored }) },
});

describe('vendors/openim/groupPatch: reading group replies', () => {
  const SET = 'callbackBeforeSetGroupInfoCommand';
  const SET_EX = 'callbackBeforeSetGroupInfoExCommand';
  const setReq = fixture('openim', SET);
  const setExReq = fixture('openim', SET_EX);
  const cases: { name: string; command: string; body: string; request?: string; expected: Outcome | 'failure' }[] = [
    {
      name: 'a create reply: every non-null value, "" included; status/groupType that differ are ignored',
      command: 'callbackBeforeCreateGroupCommand',
      body: `{${CONTINUE},"groupID":"g-7","groupName":"","faceURL":null,"needVerification":2,"ownerUserID":"x","status":3,"groupType":2}`,
      request: fixture('openim', 'callbackBeforeCreateGroupCommand'),
      expected: allowWith({ groupID: 'g-7', name: '', needVerification: 2 }, ['status']),
    },
    {
      name: 'a set-group-info echo (what OpenIM needs): no change',
      command: SET,
      body: `{${CONTINUE},"groupID":"3141592653","groupName":"New name","notification":"","introduction":"","faceURL":"","ex":null,"needVerification":null,"lookMemberInfo":null,"applyMemberFriend":null}`,
      request: setReq,
      expected: allowWith({}),
    },
    {
      name: 'a set-group-info reply that changes values, in any key case; "" strings are "no change"',
      command: SET,
      body: `{${CONTINUE},"GroupID":"3141592653","groupname":"Renamed","Introduction":"","faceURL":"f","EX":"x","needVerification":2,"notification":"n"}`,
      request: setReq,
      expected: allowWith({ name: 'Renamed', faceURL: 'f', ex: 'x', needVerification: 2 }),
    },
    {
      name: 'a set-group-info reply moving the change to another group: ignored',
      command: SET,
      body: `{${CONTINUE},"groupID":"other","groupName":"New name"}`,
      request: setReq,
      expected: allowWith({}, ['groupID']),
    },
    {
      name: 'a bare continue to set-group-info (OpenIM would fail the change; imbridge echoes for it)',
      command: SET,
      body: `{${CONTINUE}}`,
      request: setReq,
      expected: allowWith({}),
    },
    {
      name: 'an Ex echo with one value changed; null keeps the request',
      command: SET_EX,
      body: `{${CONTINUE},"groupID":"3141592653","groupName":"New name","notification":null,"introduction":"","faceURL":null,"ex":"","needVerification":null,"lookMemberInfo":1,"applyMemberFriend":null}`,
      request: setExReq,
      expected: allowWith({ introduction: '', lookMemberInfo: 1 }),
    },
    {
      name: 'an Ex value of the wrong type (OpenIM aborts)',
      command: SET_EX,
      body: `{${CONTINUE},"needVerification":"1"}`,
      request: setExReq,
      expected: 'failure',
    },
    {
      name: 'refused invitees (OpenIM reads and ignores them; imbridge carries them)',
      command: 'callbackBeforeInviteJoinGroupCommand',
      body: `{${CONTINUE},"RefusedMembersAccount":["u6"]}`,
      expected: {
        ok: true,
        verdict: { ...allow(), items: [{ userID: 'u6', decision: 'deny', code: 0, message: '' }] },
      },
    },
    {
      name: 'members-join values per member',
      command: 'callbackBeforeMembersJoinGroupCommand',
      body: `{${CONTINUE},"memberCallbackList":[{"userID":"u2","nickname":"Two","faceURL":null,"roleLevel":60,"muteEndTime":1719800000000,"ex":""}]}`,
      expected: allowWith({
        members: [{ userID: 'u2', nickname: 'Two', role: 'admin', muteEndTime: 1719800000000, ex: '' }],
      }),
    },
    {
      name: 'a members-join item without userID (OpenIM panics and fails the request)',
      command: 'callbackBeforeMembersJoinGroupCommand',
      body: `{${CONTINUE},"memberCallbackList":[{"nickname":"x"}]}`,
      expected: 'failure',
    },
    {
      name: 'a null members-join item',
      command: 'callbackBeforeMembersJoinGroupCommand',
      body: `{${CONTINUE},"memberCallbackList":[null]}`,
      expected: 'failure',
    },
    {
      name: 'the v3.7 flat member-join reply, for the one member asked about',
      command: 'callbackBeforeMemberJoinGroupCommand',
      body: `{${CONTINUE},"nickname":"Four","roleLevel":20}`,
      request: fixture('openim', 'v3.7.callbackBeforeMemberJoinGroupCommand'),
      expected: allowWith({ members: [{ userID: 'u4', nickname: 'Four', role: 'member' }] }),
    },
    {
      name: 'set-member-info values (nickName, any case)',
      command: 'callbackBeforeSetGroupMemberInfoCommand',
      body: `{${CONTINUE},"nickname":"N","faceURL":null,"roleLevel":100,"ex":"e"}`,
      expected: allowWith({ ex: 'e', nickname: 'N', role: 'owner' }),
    },
    {
      name: 'a refusal, whatever values come with it',
      command: 'callbackBeforeSetGroupMemberInfoCommand',
      body: '{"nextCode":1,"errCode":5001,"errMsg":"no","nickName":"N"}',
      expected: { ok: true, verdict: deny(5001, 'no') },
    },
  ];
  for (const c of cases) {
    it(`reads ${c.name}`, () => {
      const outcome = readOpenIMReply(c.body, c.command, c.request);
      if (c.expected === 'failure') expect(outcome.ok, JSON.stringify(outcome)).to.equal(false);
      else expect(outcome).to.deep.equal(c.expected);
    });
  }
});

describe('vendors/openim/groupAnswer: answering OpenIM’s group before-callbacks', () => {
  const answer = (command: string, request: Record<string, unknown>, verdict: Verdict) =>
    JSON.stringify(openimAnswer(command, 'before', request, verdict, 20001));

  it('echoes set-group-info on every allow, with the patch in it and ex/flags null unless patched', () => {
    const request = fixtureJson('openim', 'callbackBeforeSetGroupInfoCommand');
    expect(answer('callbackBeforeSetGroupInfoCommand', request, allow())).to.equal(
      `{${CONTINUE},"groupID":"3141592653","groupName":"New name","notification":"","introduction":"","faceURL":"","ex":null,"needVerification":null,"lookMemberInfo":null,"applyMemberFriend":null}`,
    );
    expect(
      answer('callbackBeforeSetGroupInfoCommand', request, { ...allow(), patch: { faceURL: 'f', lookMemberInfo: 0 } }),
    ).to.equal(
      `{${CONTINUE},"groupID":"3141592653","groupName":"New name","notification":"","introduction":"","faceURL":"f","ex":null,"needVerification":null,"lookMemberInfo":0,"applyMemberFriend":null}`,
    );
  });

  it('echoes the Ex form as sent (null staying null), with the patch in it', () => {
    const request = fixtureJson('openim', 'callbackBeforeSetGroupInfoExCommand');
    expect(
      answer('callbackBeforeSetGroupInfoExCommand', request, { ...allow(), patch: { introduction: 'i' } }),
    ).to.equal(
      `{${CONTINUE},"groupID":"3141592653","groupName":"New name","notification":null,"introduction":"i","faceURL":null,"ex":"","needVerification":1,"lookMemberInfo":null,"applyMemberFriend":null}`,
    );
  });

  it('refuses set-group-info without an echo', () => {
    const request = fixtureJson('openim', 'callbackBeforeSetGroupInfoCommand');
    expect(JSON.parse(answer('callbackBeforeSetGroupInfoCommand', request, deny(5001, 'no')))).to.deep.equal({
      actionCode: 0,
      errCode: 5001,
      errMsg: 'no',
      errDlt: '',
      nextCode: 1,
    });
  });

  it('answers a create with only the values it changes', () => {
    const patch: Patch = { groupID: 'g-7', name: 'T', lookMemberInfo: 1 };
    expect(answer('callbackBeforeCreateGroupCommand', {}, { ...allow(), patch })).to.equal(
      `{${CONTINUE},"groupID":"g-7","groupName":"T","lookMemberInfo":1}`,
    );
    expect(answer('callbackBeforeCreateGroupCommand', {}, allow())).to.equal(`{${CONTINUE}}`);
  });

  it('answers members-join with a list only when patched, every item with its userID, null where unset', () => {
    const request = fixtureJson('openim', 'callbackBeforeMembersJoinGroupCommand');
    expect(answer('callbackBeforeMembersJoinGroupCommand', request, allow())).to.equal(`{${CONTINUE}}`);
    const patch: Patch = { members: [{ userID: 'u2', role: 'admin', muteEndTime: 5 }] };
    expect(answer('callbackBeforeMembersJoinGroupCommand', request, { ...allow(), patch })).to.equal(
      `{${CONTINUE},"memberCallbackList":[{"userID":"u2","nickname":null,"faceURL":null,"roleLevel":60,"muteEndTime":5,"ex":null}]}`,
    );
  });

  it('answers the v3.7 member-join with that member’s values flat', () => {
    const request = fixtureJson('openim', 'v3.7.callbackBeforeMemberJoinGroupCommand');
    const patch: Patch = { members: [{ userID: 'u4', nickname: 'Four', ex: 'e' }] };
    expect(answer('callbackBeforeMemberJoinGroupCommand', request, { ...allow(), patch })).to.equal(
      `{${CONTINUE},"nickname":"Four","ex":"e"}`,
    );
  });

  it('answers set-member-info with only the values it changes', () => {
    const patch: Patch = { role: 'admin', nickname: 'N' };
    expect(answer('callbackBeforeSetGroupMemberInfoCommand', {}, { ...allow(), patch })).to.equal(
      `{${CONTINUE},"nickName":"N","roleLevel":60}`,
    );
  });
});
