import { expect } from 'chai';
import fc from 'fast-check';
import { settleImport } from '../../mappings/friendImportBefore.js';
import type { Verdict } from '../../src/canonical/types.js';
import { allow, deny } from '../../src/canonical/verdict.js';
import { fixture } from '../helpers/fixtures.js';
import { vendorProblems } from '../helpers/vendorShapes.js';
import { NOW, canonical, decode, encode, roundTrip, userID } from '../helpers/translate.js';

const O_CMD = 'callbackBeforeImportFriendsCommand';

describe('mappings/friendImportBefore (im.friend.import.before)', () => {
  it('decodes the OpenIM server bytes (docs/vendors/openim.md#import)', () => {
    const event = decode('openim', O_CMD, fixture('openim', O_CMD));
    expect(event.type).to.equal('im.friend.import.before');
    expect(event.data).to.deep.equal({ ownerUserID: 'u1', friendUserIDs: ['u2', 'u3'] });
  });

  it('reads a null list (Go nil slice) as empty and writes it back as null', () => {
    const raw = `{"callbackCommand":"${O_CMD}","ownerUserID":"u1","friendUserIDs":null}\n`;
    const event = decode('openim', O_CMD, raw);
    expect(event.data).to.deep.equal({ ownerUserID: 'u1', friendUserIDs: [] });
    expect(encode(event, 'openim')![0]!.body).to.equal(raw);
  });

  it('re-encodes OpenIM bytes to the same bytes', () => {
    const raw = fixture('openim', O_CMD);
    expect(encode(decode('openim', O_CMD, raw), 'openim')!.map((r) => r.body)).to.deep.equal([raw]);
  });

  it('asks a Tencent backend a forced Sns.CallbackPrevFriendAdd with one FriendItem per friend', () => {
    const [req] = encode(decode('openim', O_CMD, fixture('openim', O_CMD)), 'tencent')!;
    expect(req!.body).to.equal(
      JSON.stringify({
        CallbackCommand: 'Sns.CallbackPrevFriendAdd',
        Requester_Account: 'u1',
        From_Account: 'u1',
        FriendItem: ['u2', 'u3'].map((id) => ({
          To_Account: id,
          Remark: '',
          GroupName: '',
          AddSource: '',
          AddWording: '',
        })),
        AddType: 'Add_Type_Both',
        ForceAddFlags: 1,
        EventTime: NOW,
      }),
    );
    expect(vendorProblems('tencent', 'Sns.CallbackPrevFriendAdd', JSON.parse(req!.body))).to.deep.equal([]);
  });

  const data = { ownerUserID: 'o', friendUserIDs: ['a', 'b', 'c'] };
  const denyItem = (userID: string, code = 38001, message = 'no') => ({
    userID,
    decision: 'deny' as const,
    code,
    message,
  });
  const settleCases: { name: string; verdict: Verdict; expected: Verdict }[] = [
    { name: 'all allowed: no patch', verdict: allow(), expected: allow() },
    {
      name: 'some denied: they leave the list',
      verdict: { ...allow(), items: [denyItem('b')] },
      expected: { ...allow(), patch: { friendUserIDs: ['a', 'c'] } },
    },
    {
      name: 'all denied: the import is denied with the first reason',
      verdict: { ...allow(), items: ['a', 'b', 'c'].map((id) => denyItem(id, 38005, `not ${id}`)) },
      expected: deny(38005, 'not a'),
    },
    {
      name: "the backend's own list is the base for removals",
      verdict: { ...allow(), items: [denyItem('x')], patch: { friendUserIDs: ['a', 'x'] } },
      expected: { ...allow(), patch: { friendUserIDs: ['a'] } },
    },
    { name: 'a whole deny stays a deny', verdict: deny(20002, 'stop'), expected: deny(20002, 'stop') },
    {
      name: 'allowed items change nothing',
      verdict: { ...allow(), items: [{ userID: 'a', decision: 'allow', code: 0, message: '' }] },
      expected: allow(),
    },
  ];
  for (const c of settleCases) {
    it(`settles per-friend decisions — ${c.name}`, () =>
      expect(settleImport(data, c.verdict)).to.deep.equal(c.expected));
  }

  it('round-trips any import through OpenIM; output is what OpenIM sends', () => {
    fc.assert(
      fc.property(userID, fc.array(userID, { maxLength: 500 }), (ownerUserID, friendUserIDs) => {
        const d = { ownerUserID, friendUserIDs };
        const { request, back } = roundTrip(canonical('im.friend.import.before', d, 'openim'), 'openim');
        expect(vendorProblems('openim', 'callbackBeforeImportFriendsCommand', JSON.parse(request.body))).to.deep.equal(
          [],
        );
        expect(back.data).to.deep.equal(d);
      }),
      { numRuns: 60 },
    );
  });
});
