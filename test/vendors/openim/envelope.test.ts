import { expect } from 'chai';
import { allow, deny } from '../../../src/canonical/verdict.js';
import type { Outcome, Patch } from '../../../src/canonical/types.js';
import { ImbridgeError } from '../../../src/errors.js';
import { openimAllow, openimError, openimReply, readOpenIMReply } from '../../../src/vendors/openim/envelope.js';

const IMPORT = 'callbackBeforeImportFriendsCommand';
const REMARK = 'callbackBeforeSetFriendRemarkCommand';
const USER_EX = 'callbackBeforeUpdateUserInfoExCommand';
const ADD = 'callbackBeforeAddFriendCommand';

describe('vendors/openim/envelope', () => {
  const patched = (patch: Patch): Outcome => ({ ok: true, verdict: { ...allow(), patch } });
  // Each row is a reply a real backend sends and what OpenIM's Go code (encoding/json into the command's
  // reply struct, then CommonCallbackResp.Parse) makes of it; docs/vendors/openim.md#reply-handling.
  const cases: {
    name: string;
    body: string;
    command?: string;
    expected: ReturnType<typeof readOpenIMReply> | 'failure';
  }[] = [
    {
      name: 'the canonical continue body',
      body: '{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0}',
      expected: { ok: true, verdict: allow() },
    },
    {
      name: 'a reject (nextCode 1)',
      body: '{"actionCode":0,"errCode":5001,"errMsg":"no","errDlt":"why","nextCode":1}',
      expected: { ok: true, verdict: deny(5001, 'no', 'why') },
    },
    {
      name: 'a reject in PascalCase (untagged Go structs, C#/Java serialisers)',
      body: '{"ActionCode":0,"ErrCode":38003,"ErrMsg":"no","ErrDlt":"d","NextCode":1}',
      expected: { ok: true, verdict: deny(38003, 'no', 'd') },
    },
    {
      name: 'a reject in any case',
      body: '{"NEXTCODE":1,"errcode":38004,"ERRmsg":"x"}',
      expected: { ok: true, verdict: deny(38004, 'x') },
    },
    {
      name: 'two keys folding to nextCode: the last wins (deny)',
      body: '{"nextCode":0,"NextCode":1}',
      expected: { ok: true, verdict: deny(0, '') },
    },
    {
      name: 'two keys folding to nextCode: the last wins (allow)',
      body: '{"NextCode":1,"nextCode":0}',
      expected: { ok: true, verdict: allow() },
    },
    {
      name: 'a key repeated after a folded twin: the last occurrence wins',
      body: '{"nextCode":0,"NextCode":1,"nextCode":0}',
      expected: { ok: true, verdict: allow() },
    },
    {
      name: 'a key written with a JSON escape',
      body: '{"next\\u0043ode":1,"errCode":300}',
      expected: { ok: true, verdict: deny(300, '') },
    },
    {
      name: 'the long s folds to s, as in Go',
      body: '{"nextCode":1,"errM\u017fg":"folded"}',
      expected: { ok: true, verdict: deny(0, 'folded') },
    },
    {
      name: 'a reject with nextCode as the string "1" (the docs print it so; a documented repair)',
      body: '{"actionCode":0,"errCode":"5001","errMsg":"no","nextCode":"1"}',
      expected: { ok: true, verdict: deny(5001, 'no') },
    },
    {
      name: 'the docs\' import reject sample (actionCode 1, nextCode "1"; a documented repair)',
      body: '{"actionCode":1,"errCode":5001,"errMsg":"x","errDlt":"","nextCode":"1"}',
      expected: { ok: true, verdict: deny(5001, 'x') },
    },
    {
      name: '"nextCode": "0" allows',
      body: '{"actionCode":"0","nextCode":"0"}',
      expected: { ok: true, verdict: allow() },
    },
    { name: 'an empty object allows', body: '{}', expected: { ok: true, verdict: allow() } },
    { name: 'JSON null allows, as in Go', body: 'null', expected: { ok: true, verdict: allow() } },
    {
      name: 'null codes are left at zero',
      body: '{"actionCode":null,"nextCode":null}',
      expected: { ok: true, verdict: allow() },
    },
    {
      name: 'unknown keys are ignored',
      body: '{"nextCode":0,"data":{"x":[1,2]},"extra":true}',
      expected: { ok: true, verdict: allow() },
    },
    {
      name: 'a replacement friend list is a patch',
      body: '{"actionCode":0,"nextCode":0,"friendUserIDs":["a"]}',
      command: IMPORT,
      expected: patched({ friendUserIDs: ['a'] }),
    },
    {
      name: 'a replacement friend list under friendUserIds',
      body: '{"friendUserIds":["a","b"]}',
      command: IMPORT,
      expected: patched({ friendUserIDs: ['a', 'b'] }),
    },
    {
      name: 'an empty friend list is no patch (OpenIM ignores it)',
      body: '{"friendUserIDs":[]}',
      command: IMPORT,
      expected: { ok: true, verdict: allow() },
    },
    {
      name: 'a friend list on a command whose reply has none is ignored',
      body: '{"friendUserIDs":["a"]}',
      command: ADD,
      expected: { ok: true, verdict: allow() },
    },
    {
      name: 'a remark under Remark',
      body: '{"Remark":"best"}',
      command: REMARK,
      expected: patched({ remark: 'best' }),
    },
    {
      name: 'an empty remark is no patch',
      body: '{"remark":""}',
      command: REMARK,
      expected: { ok: true, verdict: allow() },
    },
    {
      name: 'a nickname under nickname (sdkws.UserInfo spelling)',
      body: '{"nickname":"Al","FaceURL":"f","EX":"e"}',
      command: USER_EX,
      expected: patched({ nickname: 'Al', faceURL: 'f', ex: 'e' }),
    },
    {
      name: 'a null profile field is no patch',
      body: '{"nickName":null,"faceURL":""}',
      command: USER_EX,
      expected: patched({ faceURL: '' }),
    },
    { name: 'actionCode ≠ 0 without nextCode 1 is a failure', body: '{"actionCode":1}', expected: 'failure' },
    { name: 'not JSON', body: '404 page not found', expected: 'failure' },
    { name: 'an empty body', body: '', expected: 'failure' },
    { name: 'trailing garbage', body: '{"nextCode":0} x', expected: 'failure' },
    { name: 'a JSON array', body: '[]', expected: 'failure' },
    { name: 'a non-numeric nextCode', body: '{"nextCode":"nextCodeValue"}', expected: 'failure' },
    { name: 'a float code (Go refuses 1.0 for an int32)', body: '{"nextCode":1.0}', expected: 'failure' },
    { name: 'an exponent code', body: '{"nextCode":1e0}', expected: 'failure' },
    { name: 'a code beyond int32', body: '{"errCode":2147483648}', expected: 'failure' },
    { name: 'a boolean code', body: '{"nextCode":true}', expected: 'failure' },
    { name: 'a number where errMsg is a string', body: '{"nextCode":1,"errMsg":5}', expected: 'failure' },
    { name: 'a friend list that is not a list', body: '{"friendUserIDs":"a"}', command: IMPORT, expected: 'failure' },
    {
      name: 'a profile field that is an object ({"value":…})',
      body: '{"nickName":{"value":"x"}}',
      command: USER_EX,
      expected: 'failure',
    },
  ];
  for (const c of cases) {
    it(`reads ${c.name}`, () => {
      const outcome = readOpenIMReply(c.body, c.command ?? ADD);
      if (c.expected === 'failure') expect(outcome.ok, JSON.stringify(outcome)).to.equal(false);
      else expect(outcome).to.deep.equal(c.expected);
    });
  }

  it('answers an edge error with a body that continues on every OpenIM version (actionCode 0, nextCode 0)', () => {
    const body = openimError(new ImbridgeError('unknown_command', 'unknown OpenIM callback command "x"'));
    expect(body).to.deep.equal({
      actionCode: 0,
      errCode: 400,
      errMsg: 'unknown OpenIM callback command "x"',
      errDlt: 'unknown_command',
      nextCode: 0,
    });
  });

  it('answers allow with integer codes and the patch', () => {
    expect(JSON.stringify(openimReply('before', { ...allow(), patch: { friendUserIDs: ['a'] } }, 20001))).to.equal(
      '{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0,"friendUserIDs":["a"]}',
    );
  });

  it('answers deny with nextCode 1 and errCode ≥ 100 (smaller codes replaced by the deny code)', () => {
    expect(openimReply('before', deny(38001, 'blocked', 'd'), 20001)).to.deep.equal({
      actionCode: 0,
      errCode: 38001,
      errMsg: 'blocked',
      errDlt: 'd',
      nextCode: 1,
    });
    expect(openimReply('before', deny(1, 'low'), 20001)).to.deep.equal({
      actionCode: 0,
      errCode: 20001,
      errMsg: 'low',
      errDlt: '',
      nextCode: 1,
    });
  });

  it('denies when any item is still denied (OpenIM has no per-target answer)', () => {
    const verdict = { ...allow(), items: [{ userID: 'x', decision: 'deny' as const, code: 38001, message: 'no' }] };
    expect(openimReply('before', verdict, 20001)).to.include({ nextCode: 1, errCode: 38001 });
  });

  it('answers after-callbacks with the plain continue body', () => {
    expect(openimReply('after', deny(5000, 'x'), 20001)).to.deep.equal(openimAllow());
  });
});
