import { expect } from 'chai';
import { allow, deny } from '../../../src/canonical/verdict.js';
import { openimAllow, openimReply, readOpenIMReply } from '../../../src/vendors/openim/envelope.js';

const reply = (body: string, status = 200) => ({ status, headers: {}, body });

describe('vendors/openim/envelope', () => {
  const cases: { name: string; body: string; status?: number; expected: ReturnType<typeof readOpenIMReply> | 'failure' }[] = [
    { name: 'the canonical continue body', body: '{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0}', expected: { ok: true, verdict: allow() } },
    { name: 'a reject (nextCode 1)', body: '{"actionCode":0,"errCode":5001,"errMsg":"no","errDlt":"why","nextCode":1}', expected: { ok: true, verdict: deny(5001, 'no', 'why') } },
    { name: 'a reject with nextCode as the string "1" (the docs print it so)', body: '{"actionCode":0,"errCode":"5001","errMsg":"no","nextCode":"1"}', expected: { ok: true, verdict: deny(5001, 'no') } },
    { name: "the docs' import reject sample (actionCode 1, nextCode \"1\")", body: '{"actionCode":1,"errCode":5001,"errMsg":"x","errDlt":"","nextCode":"1"}', expected: { ok: true, verdict: deny(5001, 'x') } },
    { name: '"nextCode": "0" allows', body: '{"actionCode":"0","nextCode":"0"}', expected: { ok: true, verdict: allow() } },
    { name: 'an empty object allows', body: '{}', expected: { ok: true, verdict: allow() } },
    { name: 'a replacement friend list is a patch', body: '{"actionCode":0,"nextCode":0,"friendUserIDs":["a"]}', expected: { ok: true, verdict: { ...allow(), patch: { friendUserIDs: ['a'] } } } },
    { name: 'an empty friend list is no patch (OpenIM ignores it)', body: '{"friendUserIDs":[]}', expected: { ok: true, verdict: allow() } },
    { name: 'any HTTP status, as OpenIM itself', body: '{"nextCode":0}', status: 500, expected: { ok: true, verdict: allow() } },
    { name: 'actionCode ≠ 0 without nextCode 1 is a failure', body: '{"actionCode":1}', expected: 'failure' },
    { name: 'not JSON', body: '404 page not found', expected: 'failure' },
    { name: 'JSON null', body: 'null', expected: 'failure' },
    { name: 'a non-numeric nextCode', body: '{"nextCode":"nextCodeValue"}', expected: 'failure' },
  ];
  for (const c of cases) {
    it(`reads ${c.name}`, () => {
      const outcome = readOpenIMReply(reply(c.body, c.status));
      if (c.expected === 'failure') expect(outcome.ok).to.equal(false);
      else expect(outcome).to.deep.equal(c.expected);
    });
  }

  it('answers allow with integer codes and the patch', () => {
    expect(JSON.stringify(openimReply('before', { ...allow(), patch: { friendUserIDs: ['a'] } }, 20001))).to.equal(
      '{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0,"friendUserIDs":["a"]}',
    );
  });

  it('answers deny with nextCode 1 and errCode ≥ 100 (smaller codes replaced by the deny code)', () => {
    expect(openimReply('before', deny(38001, 'blocked', 'd'), 20001)).to.deep.equal({ actionCode: 0, errCode: 38001, errMsg: 'blocked', errDlt: 'd', nextCode: 1 });
    expect(openimReply('before', deny(1, 'low'), 20001)).to.deep.equal({ actionCode: 0, errCode: 20001, errMsg: 'low', errDlt: '', nextCode: 1 });
  });

  it('denies when any item is still denied (OpenIM has no per-target answer)', () => {
    const verdict = { ...allow(), items: [{ userID: 'x', decision: 'deny' as const, code: 38001, message: 'no' }] };
    expect(openimReply('before', verdict, 20001)).to.include({ nextCode: 1, errCode: 38001 });
  });

  it('answers after-callbacks with the plain continue body', () => {
    expect(openimReply('after', deny(5000, 'x'), 20001)).to.deep.equal(openimAllow());
  });
});
