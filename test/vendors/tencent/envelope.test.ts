import { expect } from 'chai';
import type { Outcome } from '../../../src/canonical/types.js';
import { allow, deny } from '../../../src/canonical/verdict.js';
import { readTencentReply, tencentPrevReply, tencentReply } from '../../../src/vendors/tencent/envelope.js';
import { tencentSign } from '../../../src/vendors/tencent/request.js';
import { fixture } from '../../helpers/fixtures.js';

describe('vendors/tencent/envelope', () => {
  const prevCases: { name: string; body: string; expected: Outcome | 'failure' }[] = [
    {
      name: "Tencent's documented allow-all sample (docs/vendors/tencent.md#friend-apply)",
      body: fixture('tencent', 'Sns.CallbackPrevFriendAdd.reply'),
      expected: {
        ok: true,
        verdict: {
          ...allow(),
          items: [
            { userID: 'id1', decision: 'allow', code: 0, message: '' },
            { userID: 'id2', decision: 'allow', code: 0, message: '' },
          ],
        },
      },
    },
    {
      name: 'a per-target deny',
      body: '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"To_Account":"a","ResultCode":38001,"ResultInfo":"blocked"}]}',
      expected: {
        ok: true,
        verdict: { ...allow(), items: [{ userID: 'a', decision: 'deny', code: 38001, message: 'blocked' }] },
      },
    },
    {
      name: 'FAIL without ResultItem',
      body: '{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":"x"}',
      expected: 'failure',
    },
    {
      name: 'non-zero ErrorCode without ResultItem',
      body: '{"ActionStatus":"OK","ErrorCode":5,"ErrorInfo":""}',
      expected: 'failure',
    },
    {
      name: 'OK without ResultItem allows all',
      body: '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}',
      expected: { ok: true, verdict: allow() },
    },
    { name: 'not JSON', body: 'OK', expected: 'failure' },
    { name: 'ErrorCode as a string', body: '{"ActionStatus":"OK","ErrorCode":"0"}', expected: 'failure' },
  ];
  for (const c of prevCases) {
    it(`reads a Prev* reply: ${c.name}`, () => {
      const outcome = readTencentReply(c.body, true);
      if (c.expected === 'failure') expect(outcome.ok).to.equal(false);
      else expect(outcome).to.deep.equal(c.expected);
    });
  }

  it('reads an after-callback reply: OK/0 delivered, anything else failed', () => {
    expect(readTencentReply('{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}', false).ok).to.equal(true);
    expect(readTencentReply('{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":""}', false).ok).to.equal(false);
  });

  it('answers a Prev* callback with one ResultItem per target, deny codes kept inside [38000, 39000]', () => {
    const verdict = {
      ...allow(),
      items: [
        { userID: 'b', decision: 'deny' as const, code: 38123, message: 'kept' },
        { userID: 'c', decision: 'deny' as const, code: 20001, message: 'replaced' },
      ],
    };
    expect(tencentPrevReply(['a', 'b', 'c'], verdict, 38000)).to.deep.equal({
      ActionStatus: 'OK',
      ErrorCode: 0,
      ErrorInfo: '',
      ResultItem: [
        { To_Account: 'a', ResultCode: 0, ResultInfo: '' },
        { To_Account: 'b', ResultCode: 38123, ResultInfo: 'kept' },
        { To_Account: 'c', ResultCode: 38000, ResultInfo: 'replaced' },
      ],
    });
  });

  it('answers after-callbacks OK whatever the verdict', () => {
    expect(tencentReply('after', false, [], deny(1, 'x'), 38000)).to.deep.equal({
      ActionStatus: 'OK',
      ErrorCode: 0,
      ErrorInfo: '',
    });
  });

  it("signs with Tencent's published vectors (docs/vendors/tencent.md#signature)", () => {
    expect(tencentSign('xxxxyyyy', '1669872112')).to.equal(
      '17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061',
    );
    expect(tencentSign('e10adc3949ba59abbe56e057f20f883e', '1676091353')).to.equal(
      'a5d271b35bd72858cdf1ad0b9dfbf037d19146062c0ecb712a0a3235489d6021',
    );
  });
});
