import { expect } from 'chai';
import type { Verdict } from '../../../src/canonical/types.js';
import { allow, deny } from '../../../src/canonical/verdict.js';
import { readTencentGroupReply, tencentGroupReply } from '../../../src/vendors/tencent/groupReply.js';
import { fixture } from '../../helpers/fixtures.js';

// Tencent's group before-callbacks are decided by `ErrorCode` (docs/vendors/tencent.md#groups).
const INVITE = 'Group.CallbackBeforeInviteJoinGroup';
const CREATE = 'Group.CallbackBeforeCreateGroup';

describe('vendors/tencent/groupReply', () => {
  const cases: { name: string; body: string; expected: ReturnType<typeof readTencentGroupReply> | 'failure' }[] = [
    {
      name: 'the ack',
      body: '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}',
      expected: { ok: true, verdict: allow() },
    },
    {
      name: 'a refusal with a code the client sees',
      body: '{"ActionStatus":"OK","ErrorCode":10150,"ErrorInfo":"group quota"}',
      expected: { ok: true, verdict: deny(10150, 'group quota') },
    },
    {
      name: 'a refusal whatever ActionStatus says, code as a numeric string',
      body: '{"ActionStatus":"FAIL","ErrorCode":"1","ErrorInfo":"no"}',
      expected: { ok: true, verdict: deny(1, 'no') },
    },
    {
      name: 'ErrorCode 2, which group commands do not define: a refusal, not a silent drop',
      body: '{"ActionStatus":"OK","ErrorCode":2,"ErrorInfo":""}',
      expected: { ok: true, verdict: deny(2, '') },
    },
    { name: '0 with FAIL (contradicts itself)', body: '{"ActionStatus":"FAIL","ErrorCode":0}', expected: 'failure' },
    { name: '0 without ActionStatus', body: '{"ErrorCode":0}', expected: 'failure' },
    { name: 'no ErrorCode', body: '{"ActionStatus":"OK"}', expected: 'failure' },
    { name: 'a fractional ErrorCode', body: '{"ActionStatus":"OK","ErrorCode":1.5}', expected: 'failure' },
    { name: 'not JSON', body: 'OK', expected: 'failure' },
    {
      name: 'the documented partial refusal',
      body: fixture('tencent', 'Group.CallbackBeforeInviteJoinGroup.reply'),
      expected: {
        ok: true,
        verdict: { ...allow(), items: [{ userID: 'jared', decision: 'deny', code: 0, message: '' }] },
      },
    },
    {
      name: 'RefusedMembers_Account null',
      body: '{"ActionStatus":"OK","ErrorCode":0,"RefusedMembers_Account":null}',
      expected: { ok: true, verdict: allow() },
    },
  ];
  for (const c of cases) {
    it(`reads ${c.name}`, () => {
      const outcome = readTencentGroupReply(c.body);
      if (c.expected === 'failure') expect(outcome.ok, JSON.stringify(outcome)).to.equal(false);
      else expect(outcome).to.deep.equal(c.expected);
    });
  }

  const refusing = (...ids: string[]): Verdict => ({
    ...allow(),
    items: ids.map((userID) => ({ userID, decision: 'deny' as const, code: 0, message: '' })),
  });

  it('answers an invitation with the refused invitees in invitation order, all of them included', () => {
    expect(tencentGroupReply(INVITE, ['a', 'b', 'c'], refusing('c', 'a'), 38001)).to.deep.equal({
      ActionStatus: 'OK',
      ErrorCode: 0,
      ErrorInfo: '',
      RefusedMembers_Account: ['a', 'c'],
    });
    expect(tencentGroupReply(INVITE, ['a'], refusing('a'), 38001)).to.have.deep.property('RefusedMembers_Account', [
      'a',
    ]);
    expect(tencentGroupReply(INVITE, ['a'], allow(), 38001)).to.deep.equal({
      ActionStatus: 'OK',
      ErrorCode: 0,
      ErrorInfo: '',
    });
  });

  it('refuses with a code in [10100, 10200] as it is, anything else as 1 — never 2', () => {
    expect(tencentGroupReply(CREATE, [], deny(10100, 'x'), 38001)).to.deep.equal({
      ActionStatus: 'OK',
      ErrorCode: 10100,
      ErrorInfo: 'x',
    });
    for (const code of [2, 38001, 120001, 10099, 10201]) {
      expect(tencentGroupReply(CREATE, [], deny(code, 'x'), 38001).ErrorCode, String(code)).to.equal(1);
    }
    expect(tencentGroupReply(CREATE, [], deny(2, 'x'), 10123).ErrorCode).to.equal(10123);
  });
});
