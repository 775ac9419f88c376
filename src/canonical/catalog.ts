import type { CanonicalType, Phase } from './types.js';

/**
 * The type catalog: every canonical type with its phase. `satisfies Record<CanonicalType, …>` makes the
 * compiler refuse a type added to `DataByType` but forgotten here.
 */
export const CATALOG = {
  'im.friend.apply.before': { phase: 'before' },
  'im.friend.apply.after': { phase: 'after' },
  'im.friend.respond.before': { phase: 'before' },
  'im.friend.added': { phase: 'after' },
  'im.friend.deleted': { phase: 'after' },
  'im.friend.import.before': { phase: 'before' },
  'im.friend.remark.before': { phase: 'before' },
  'im.friend.remark.updated': { phase: 'after' },
  'im.blacklist.add.before': { phase: 'before' },
  'im.blacklist.added': { phase: 'after' },
  'im.blacklist.removed': { phase: 'after' },
  'im.user.profile.update.before': { phase: 'before' },
  'im.user.profile.updated': { phase: 'after' },
  'im.user.register.before': { phase: 'before' },
  'im.user.register.after': { phase: 'after' },
  'im.message.send.before': { phase: 'before' },
  'im.message.modify.before': { phase: 'before' },
  'im.message.sent': { phase: 'after' },
  'im.message.send.failed': { phase: 'after' },
  'im.message.stored': { phase: 'after' },
  'im.message.read': { phase: 'after' },
  'im.message.recalled': { phase: 'after' },
  'im.user.online': { phase: 'after' },
  'im.user.offline': { phase: 'after' },
  'im.group.create.before': { phase: 'before' },
  'im.group.created': { phase: 'after' },
  'im.group.dismissed': { phase: 'after' },
  'im.group.info.update.before': { phase: 'before' },
  'im.group.info.updated': { phase: 'after' },
  'im.group.owner.changed': { phase: 'after' },
  'im.group.full': { phase: 'after' },
  'im.group.join.before': { phase: 'before' },
  'im.group.invite.before': { phase: 'before' },
  'im.group.members.join.before': { phase: 'before' },
  'im.group.members.joined': { phase: 'after' },
  'im.group.members.left': { phase: 'after' },
  'im.group.member.update.before': { phase: 'before' },
  'im.group.member.updated': { phase: 'after' },
} as const satisfies Record<CanonicalType, { phase: Phase }>;

/** Every canonical type, in catalog order. */
export const CANONICAL_TYPES = Object.keys(CATALOG) as CanonicalType[];

/** The phase of a canonical type. */
export function phaseOf(type: CanonicalType): Phase {
  return CATALOG[type].phase;
}
