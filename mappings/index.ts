import type { CanonicalType, DataByType } from '../src/canonical/types.js';
import { blacklistAddBefore } from './blacklistAddBefore.js';
import { blacklistAdded } from './blacklistAdded.js';
import { blacklistRemoved } from './blacklistRemoved.js';
import { friendAdded } from './friendAdded.js';
import { friendApplyAfter } from './friendApplyAfter.js';
import { friendApplyBefore } from './friendApplyBefore.js';
import { friendDeleted } from './friendDeleted.js';
import { friendImportBefore } from './friendImportBefore.js';
import { friendRemarkBefore } from './friendRemarkBefore.js';
import { friendRemarkUpdated } from './friendRemarkUpdated.js';
import { friendRespondBefore } from './friendRespondBefore.js';
import { messageModifyBefore } from './messageModifyBefore.js';
import { messageRead } from './messageRead.js';
import { messageRecalled } from './messageRecalled.js';
import { messageSendBefore } from './messageSendBefore.js';
import { messageSendFailed } from './messageSendFailed.js';
import { messageSent } from './messageSent.js';
import { messageStored } from './messageStored.js';
import { groupCreateBefore } from './groupCreateBefore.js';
import { groupInfoUpdateBefore, groupMembersJoinBefore, groupMemberUpdateBefore } from './groupChangeBefore.js';
import { groupInviteBefore, groupJoinBefore } from './groupJoinBefore.js';
import { groupCreated, groupDismissed, groupFull, groupInfoUpdated, groupOwnerChanged } from './groupLifecycle.js';
import { groupMembersJoined, groupMembersLeft, groupMemberUpdated } from './groupMembers.js';
import { userOffline, userOnline } from './presence.js';
import { profileUpdateBefore } from './profileUpdateBefore.js';
import { profileUpdated } from './profileUpdated.js';
import { userRegisterAfter } from './userRegisterAfter.js';
import { userRegisterBefore } from './userRegisterBefore.js';
import type { Decoder, Mapping } from './mapping.js';

export type { Decoder, EncodeContext, Encoder, Loss, Mapping, OutboundCall } from './mapping.js';

/** Every mapping, keyed by canonical type; the compiler refuses a catalog type without one. */
export const MAPPINGS: { [T in CanonicalType]: Mapping<T> } = {
  'im.friend.apply.before': friendApplyBefore,
  'im.friend.apply.after': friendApplyAfter,
  'im.friend.respond.before': friendRespondBefore,
  'im.friend.added': friendAdded,
  'im.friend.deleted': friendDeleted,
  'im.friend.import.before': friendImportBefore,
  'im.friend.remark.before': friendRemarkBefore,
  'im.friend.remark.updated': friendRemarkUpdated,
  'im.blacklist.add.before': blacklistAddBefore,
  'im.blacklist.added': blacklistAdded,
  'im.blacklist.removed': blacklistRemoved,
  'im.user.profile.update.before': profileUpdateBefore,
  'im.user.profile.updated': profileUpdated,
  'im.user.register.before': userRegisterBefore,
  'im.user.register.after': userRegisterAfter,
  'im.message.send.before': messageSendBefore,
  'im.message.modify.before': messageModifyBefore,
  'im.message.sent': messageSent,
  'im.message.send.failed': messageSendFailed,
  'im.message.stored': messageStored,
  'im.message.read': messageRead,
  'im.message.recalled': messageRecalled,
  'im.user.online': userOnline,
  'im.user.offline': userOffline,
  'im.group.create.before': groupCreateBefore,
  'im.group.created': groupCreated,
  'im.group.dismissed': groupDismissed,
  'im.group.info.update.before': groupInfoUpdateBefore,
  'im.group.info.updated': groupInfoUpdated,
  'im.group.owner.changed': groupOwnerChanged,
  'im.group.full': groupFull,
  'im.group.join.before': groupJoinBefore,
  'im.group.invite.before': groupInviteBefore,
  'im.group.members.join.before': groupMembersJoinBefore,
  'im.group.members.joined': groupMembersJoined,
  'im.group.members.left': groupMembersLeft,
  'im.group.member.update.before': groupMemberUpdateBefore,
  'im.group.member.updated': groupMemberUpdated,
};

/** The mapping of a canonical type. */
export function mappingOf<T extends CanonicalType>(type: T): Mapping<T> {
  return MAPPINGS[type] as Mapping<T>;
}

type AnyDecoder = { [T in CanonicalType]: Decoder<DataByType[T]> & { type: T } }[CanonicalType];

/** Decoders by `vendor:command`, in declaration order (a `when` guard decides between siblings). */
const DECODERS = new Map<string, AnyDecoder[]>();
for (const mapping of Object.values(MAPPINGS) as Mapping<CanonicalType>[]) {
  for (const d of mapping.decoders) {
    const key = `${d.vendor}:${d.command}`;
    const list = DECODERS.get(key) ?? [];
    list.push({ ...d, type: mapping.type } as AnyDecoder);
    DECODERS.set(key, list);
  }
}

/** Every decoder of a vendor command, in the order they are tried. */
export function decodersOf(vendor: string, command: string): readonly AnyDecoder[] {
  return DECODERS.get(`${vendor}:${command}`) ?? [];
}

/** The decoder for one delivery, or undefined when imbridge does not map that command. */
export function decoderFor(vendor: string, command: string, body: unknown): AnyDecoder | undefined {
  return DECODERS.get(`${vendor}:${command}`)?.find((d) => !d.when || d.when(body));
}
