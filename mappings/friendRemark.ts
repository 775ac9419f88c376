import type { DataByType } from '../src/canonical/types.js';
import * as openim from '../src/vendors/openim/schemas.js';
import { decoder, wholeCall, type Decoder, type OutboundCall } from './mapping.js';

type Remark = DataByType['im.friend.remark.before'];

/**
 * The remark callbacks' shared shape (docs/vendors/openim.md#remark), for `im.friend.remark.before` and `.updated`. OpenIM
 * v3.5/v3.6 named them without the `Command` suffix (docs/vendors/openim.md#versions); both names are read, the current one written.
 */
export function remarkDecoders(command: string, legacyCommand: string): Decoder<Remark>[] {
  return [command, legacyCommand].map((c) =>
    decoder({
      vendor: 'openim',
      command: c,
      schema: openim.friendRemark,
      decode: (b): Remark => ({ ownerUserID: b.ownerUserID, friendUserID: b.friendUserID, remark: b.remark }),
    }),
  );
}

/** The body OpenIM sends for a remark callback. */
export function remarkCall(command: string, d: Remark, targets: string[] = []): OutboundCall {
  return {
    ...wholeCall(command, {
      callbackCommand: command,
      ownerUserID: d.ownerUserID,
      friendUserID: d.friendUserID,
      remark: d.remark,
    }),
    targets,
  };
}
