import { expect } from 'chai';
import type { DownstreamFormat } from '../../src/canonical/types.js';
import { useBackend, type Received } from '../helpers/downstream.js';
import { fixture } from '../helpers/fixtures.js';
import { withGateway } from '../helpers/gateway.js';

import { vendorProblems } from '../helpers/vendorShapes.js';
import { OPENIM_CONTINUE as CONTINUE, TENCENT_OK } from '../helpers/answers.js';

// Every row of the group and presence catalog (docs/mappings.md#groups, docs/mappings.md#presence), from
// each vendor's sample through the real gateway to a real backend of each format on 127.0.0.1: what the
// caller is answered, and which calls the backend receives (none where the target has no counterpart).

const tencentPath = (command: string) =>
  `/tencent?SdkAppid=1400000000&CallbackCommand=${command}&contenttype=json&ClientIP=10.0.0.1&OptPlatform=iOS`;

/** A row: a vendor sample and the calls each format's backend gets (canonical: the event type). */
interface Row {
  vendor: 'tencent' | 'openim';
  fixture: string;
  tencent: string[];
  openim: string[];
  canonical: string;
}

const rows: Row[] = [
  ['Group.CallbackBeforeCreateGroup', ['callbackBeforeCreateGroupCommand'], 'im.group.create.before'],
  ['Group.CallbackAfterCreateGroup', ['callbackAfterCreateGroupCommand'], 'im.group.created'],
  ['Group.CallbackAfterGroupDestroyed', ['callbackAfterDisMissGroupCommand'], 'im.group.dismissed'],
  ['Group.CallbackAfterGroupInfoChanged', ['callbackAfterSetGroupInfoExCommand'], 'im.group.info.updated'],
  ['Group.CallbackAfterChangeGroupOwner', ['callbackAfterTransferGroupOwnerCommand'], 'im.group.owner.changed'],
  ['Group.CallbackAfterGroupFull', [], 'im.group.full'],
  ['Group.CallbackBeforeApplyJoinGroup', ['callbackBeforeJoinGroupCommand'], 'im.group.join.before'],
  ['Group.CallbackBeforeInviteJoinGroup', ['callbackBeforeInviteJoinGroupCommand'], 'im.group.invite.before'],
  [
    'Group.CallbackAfterNewMemberJoin',
    ['callbackAfterJoinGroupCommand', 'callbackAfterJoinGroupCommand'],
    'im.group.members.joined',
  ],
  ['Group.CallbackAfterMemberExit', ['callbackAfterKickGroupCommand'], 'im.group.members.left'],
  ['Group.CallbackAfterMemberFieldChanged', ['callbackAfterSetGroupMemberInfoCommand'], 'im.group.member.updated'],
  [
    'State.StateChange',
    ['callbackAfterUserOfflineCommand', 'callbackAfterUserOfflineCommand', 'callbackAfterUserOnlineCommand'],
    'im.user.online',
  ],
].map(([name, openim, canonical]) => ({
  vendor: 'tencent' as const,
  fixture: name as string,
  tencent: [name as string],
  openim: openim as string[],
  canonical: canonical as string,
}));

const openimRows: [string, string[], string[], string][] = [
  ['callbackBeforeCreateGroupCommand', ['Group.CallbackBeforeCreateGroup'], [], 'im.group.create.before'],
  ['callbackAfterCreateGroupCommand', ['Group.CallbackAfterCreateGroup'], [], 'im.group.created'],
  ['callbackAfterDisMissGroupCommand', ['Group.CallbackAfterGroupDestroyed'], [], 'im.group.dismissed'],
  ['callbackBeforeSetGroupInfoCommand', [], [], 'im.group.info.update.before'],
  ['callbackBeforeSetGroupInfoExCommand', [], [], 'im.group.info.update.before'],
  [
    'callbackAfterSetGroupInfoCommand',
    ['Group.CallbackAfterGroupInfoChanged'],
    ['callbackAfterSetGroupInfoExCommand'],
    'im.group.info.updated',
  ],
  ['callbackAfterSetGroupInfoExCommand', ['Group.CallbackAfterGroupInfoChanged'], [], 'im.group.info.updated'],
  ['callbackAfterTransferGroupOwnerCommand', ['Group.CallbackAfterChangeGroupOwner'], [], 'im.group.owner.changed'],
  ['callbackBeforeJoinGroupCommand', ['Group.CallbackBeforeApplyJoinGroup'], [], 'im.group.join.before'],
  ['callbackBeforeInviteJoinGroupCommand', ['Group.CallbackBeforeInviteJoinGroup'], [], 'im.group.invite.before'],
  ['callbackBeforeMembersJoinGroupCommand', [], [], 'im.group.members.join.before'],
  ['callbackAfterJoinGroupCommand', ['Group.CallbackAfterNewMemberJoin'], [], 'im.group.members.joined'],
  ['callbackAfterQuitGroupCommand', ['Group.CallbackAfterMemberExit'], [], 'im.group.members.left'],
  ['callbackAfterKickGroupCommand', ['Group.CallbackAfterMemberExit'], [], 'im.group.members.left'],
  ['callbackBeforeSetGroupMemberInfoCommand', [], [], 'im.group.member.update.before'],
  ['callbackAfterSetGroupMemberInfoCommand', ['Group.CallbackAfterMemberFieldChanged'], [], 'im.group.member.updated'],
  ['callbackAfterUserOnlineCommand', ['State.StateChange'], [], 'im.user.online'],
  ['callbackAfterUserOfflineCommand', ['State.StateChange'], [], 'im.user.offline'],
];
for (const [name, tencent, openim, canonical] of openimRows)
  rows.push({ vendor: 'openim', fixture: name, tencent, openim: openim.length ? openim : [name], canonical });

/** Each format's way of allowing anything. */
const ALLOW: Record<DownstreamFormat, string> = {
  tencent: TENCENT_OK,
  openim: CONTINUE,
  canonical: '{"decision":"allow"}',
};

const commandOf = (format: DownstreamFormat, r: Received) =>
  format === 'tencent'
    ? new URL(r.url, 'http://x').searchParams.get('CallbackCommand')!
    : format === 'openim'
      ? r.url.split('?')[0]!.split('/').pop()!
      : (JSON.parse(r.body) as { type: string }).type;

describe('HTTP: every group and presence callback, from each vendor to each backend format', function () {
  this.timeout(60_000);
  let format: DownstreamFormat = 'openim';
  const { backend, url } = useBackend(() => ({ body: ALLOW[format] }));

  for (const f of ['tencent', 'openim', 'canonical'] as const) {
    it(`to a ${f}-format backend`, () =>
      withGateway({ tencent: { sdkAppId: '1400000000' }, downstream: { url: url(), format: f } }, async (gateway) => {
        format = f;
        for (const row of rows) {
          backend.received.length = 0;
          const path = row.vendor === 'tencent' ? tencentPath(row.fixture) : `/openim/${row.fixture}`;
          const res = await gateway.post(path, fixture(row.vendor, row.fixture));
          const label = `${row.vendor} ${row.fixture} → ${f}`;
          expect(res.status, label).to.equal(200);
          const expected = f === 'canonical' ? [row.canonical] : row[f];
          if (expected.length > 0) await backend.waitFor(expected.length);
          else await new Promise((r) => setTimeout(r, 100));
          const received = backend.received.map((r) => commandOf(f, r));
          expect(received.sort(), label).to.deep.equal([...expected].sort());
          if (f !== 'canonical')
            for (const r of backend.received)
              expect(vendorProblems(f, commandOf(f, r), JSON.parse(r.body)), label).to.deep.equal([]);
          if (row.vendor === 'tencent') expect(res.json, label).to.deep.include({ ActionStatus: 'OK', ErrorCode: 0 });
          else expect(res.json, label).to.deep.include({ actionCode: 0, nextCode: 0 });
        }
      }));
  }
});
