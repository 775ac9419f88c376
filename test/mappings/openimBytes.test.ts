import { expect } from 'chai';
import { fixture } from '../helpers/fixtures.js';
import { decode, encode } from '../helpers/translate.js';

/**
 * Every OpenIM command imbridge maps, fed the exact bytes OpenIM's Go server sends (docs/vendors/openim.md#relationship, docs/vendors/openim.md#user-info), comes out
 * of an OpenIM-format encode byte for byte the same — except where a field is known to be lost.
 */
const CASES: { command: string; fixture?: string; expected?: (raw: string) => string; type: string }[] = [
  { command: 'callbackBeforeAddFriendCommand', type: 'im.friend.apply.before' },
  { command: 'callbackAfterAddFriendCommand', type: 'im.friend.apply.after' },
  { command: 'callbackBeforeAddFriendAgreeCommand', type: 'im.friend.respond.before' },
  { command: 'callbackAfterAddFriendAgreeCommand', type: 'im.friend.added' },
  { command: 'callbackAfterDeleteFriendCommand', type: 'im.friend.deleted' },
  { command: 'callbackBeforeImportFriendsCommand', type: 'im.friend.import.before' },
  { command: 'callbackAfterImportFriendsCommand', type: 'im.friend.added' },
  { command: 'callbackBeforeAddBlackCommand', type: 'im.blacklist.add.before' },
  { command: 'callbackAfterRemoveBlackCommand', type: 'im.blacklist.removed' },
  { command: 'callbackBeforeSetFriendRemarkCommand', type: 'im.friend.remark.before' },
  { command: 'callbackAfterSetFriendRemarkCommand', type: 'im.friend.remark.updated' },
  {
    command: 'callbackBeforeSetFriendRemark',
    fixture: 'v3.5.callbackBeforeSetFriendRemark',
    type: 'im.friend.remark.before',
    expected: (raw) => raw.replace('"callbackBeforeSetFriendRemark"', '"callbackBeforeSetFriendRemarkCommand"'),
  },
  { command: 'callbackBeforeUpdateUserInfoExCommand', type: 'im.user.profile.update.before' },
  { command: 'callbackAfterUpdateUserInfoExCommand', type: 'im.user.profile.updated' },
  {
    command: 'callbackBeforeUpdateUserInfoCommand',
    type: 'im.user.profile.update.before',
    expected: () =>
      '{"callbackCommand":"callbackBeforeUpdateUserInfoExCommand","userID":"u1","nickName":"nick","faceURL":"http://f/a.png?x=1\\u0026y=2","ex":null}\n',
  },
  {
    command: 'callbackAfterUpdateUserInfoCommand',
    type: 'im.user.profile.updated',
    expected: () =>
      '{"callbackCommand":"callbackAfterUpdateUserInfoExCommand","userID":"u1","nickName":"nick","faceURL":"http://f/a.png?x=1\\u0026y=2","ex":null}\n',
  },
  { command: 'callbackBeforeUserRegisterCommand', type: 'im.user.register.before' },
  { command: 'callbackAfterUserRegisterCommand', type: 'im.user.register.after' },
  {
    command: 'callbackBeforeUserRegisterCommand',
    fixture: 'v3.5.callbackBeforeUserRegisterCommand',
    type: 'im.user.register.before',
    expected: (raw) => raw.replace('"secret":"openIM123",', ''),
  },
];

describe('mappings: OpenIM server bytes through an OpenIM-format backend', () => {
  for (const c of CASES) {
    it(`${c.fixture ?? c.command} → ${c.type} → the same bytes${c.expected ? ' (less what is lost)' : ''}`, () => {
      const raw = fixture('openim', c.fixture ?? c.command);
      const event = decode('openim', c.command, raw);
      expect(event.type).to.equal(c.type);
      expect(encode(event, 'openim')!.map((r) => r.body)).to.deep.equal([c.expected ? c.expected(raw) : raw]);
    });
  }
});
