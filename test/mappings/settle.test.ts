import { expect } from 'chai';
import { MAPPINGS } from '../../mappings/index.js';
import { settleProfilePatch } from '../../mappings/profileUpdateBefore.js';
import type { Verdict } from '../../src/canonical/types.js';
import { allow, deny } from '../../src/canonical/verdict.js';

const withPatch = (patch: Verdict['patch']): Verdict => ({ ...allow(), patch });

describe('settling before-event verdicts for the caller', () => {
  const profile = { userID: 'u', changes: { nickname: 'n' } };
  const profileCases: [string, Verdict, Verdict][] = [
    ['keeps a patch for a field the request changes', withPatch({ nickname: 'N' }), withPatch({ nickname: 'N' })],
    [
      'drops patches for fields the request does not change',
      withPatch({ nickname: 'N', faceURL: 'f', ex: 'e' }),
      withPatch({ nickname: 'N' }),
    ],
    ['drops keys that are not profile fields', withPatch({ remark: 'r', friendUserIDs: ['x'] }), withPatch({})],
    ['leaves a deny alone', deny(20002, 'no'), deny(20002, 'no')],
  ];
  for (const [name, verdict, expected] of profileCases) {
    it(`profile update (Ex command): ${name}`, () =>
      expect(settleProfilePatch(profile, verdict, 'callbackBeforeUpdateUserInfoExCommand')).to.deep.equal(expected));
  }
  it('profile update (deprecated command): keeps faceURL and ex patches too, as OpenIM applies them there', () =>
    expect(
      settleProfilePatch(
        profile,
        withPatch({ nickname: 'N', faceURL: 'f', ex: 'e', remark: 'r' }),
        'callbackBeforeUpdateUserInfoCommand',
      ),
    ).to.deep.equal(withPatch({ nickname: 'N', faceURL: 'f', ex: 'e' })));

  const remark = MAPPINGS['im.friend.remark.before'].settle!;
  const remarkData = { ownerUserID: 'a', friendUserID: 'b', remark: 'r' };
  it('remark: keeps a non-empty replacement', () =>
    expect(remark(remarkData, withPatch({ remark: 'R' }), 'callbackBeforeSetFriendRemarkCommand')).to.deep.equal(
      withPatch({ remark: 'R' }),
    ));
  it('remark: drops an empty one (OpenIM would ignore it)', () =>
    expect(remark(remarkData, withPatch({ remark: '' }), 'callbackBeforeSetFriendRemarkCommand')).to.deep.equal(
      withPatch({}),
    ));
  it('remark: drops keys that are not the remark', () =>
    expect(remark(remarkData, withPatch({ nickname: 'x' }), 'callbackBeforeSetFriendRemarkCommand')).to.deep.equal(
      withPatch({}),
    ));

  const register = MAPPINGS['im.user.register.before'].settle!;
  const user = {
    userID: 'u',
    nickname: 'n',
    faceURL: '',
    ex: '',
    createTime: 0,
    appManagerLevel: 0,
    globalRecvMsgOpt: 0,
  };
  it('register: keeps a non-empty user list', () =>
    expect(
      register({ users: [user] }, withPatch({ users: [user] }), 'callbackBeforeUserRegisterCommand'),
    ).to.deep.equal(withPatch({ users: [user] })));
  it('register: drops an empty one', () =>
    expect(register({ users: [user] }, withPatch({ users: [] }), 'callbackBeforeUserRegisterCommand')).to.deep.equal(
      withPatch({}),
    ));
});
