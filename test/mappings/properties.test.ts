import { expect } from 'chai';
import fc from 'fast-check';
import { decoderFor, MAPPINGS } from '../../mappings/index.js';
import type { CanonicalType, DataByType, Vendor } from '../../src/canonical/types.js';
import * as arb from '../helpers/arbitraries.js';
import { canonical, encode, roundTrip, userID } from '../helpers/translate.js';

type Case = { [T in CanonicalType]: { type: T; vendor: Vendor; data: fc.Arbitrary<DataByType[T]> } }[CanonicalType];

/** Lossless directions: decode(encode(e)) equals e for everything the source vendor can say. */
const LOSSLESS: Case[] = [
  { type: 'im.friend.apply.before', vendor: 'tencent', data: arb.applyFromTencent },
  { type: 'im.friend.apply.before', vendor: 'openim', data: arb.applyFromOpenIM },
  { type: 'im.friend.respond.before', vendor: 'tencent', data: arb.respondFromTencent },
  { type: 'im.friend.respond.before', vendor: 'openim', data: arb.respondFromOpenIM },
  { type: 'im.friend.remark.before', vendor: 'openim', data: arb.remark },
  { type: 'im.friend.remark.updated', vendor: 'openim', data: arb.remark },
  { type: 'im.blacklist.add.before', vendor: 'openim', data: arb.blackPair },
  {
    type: 'im.blacklist.added',
    vendor: 'tencent',
    data: fc.record({ pairs: fc.array(arb.blackPair, { maxLength: 500 }) }),
  },
  { type: 'im.user.profile.update.before', vendor: 'openim', data: fc.record({ userID, changes: arb.openimChanges }) },
  {
    type: 'im.user.profile.updated',
    vendor: 'tencent',
    // Tencent always names the operator (an empty one is sent as the changed user).
    data: fc.record({
      userID,
      operatorUserID: userID.filter((u) => u !== ''),
      changes: arb.tencentChanges,
      eventTime: fc.integer({ min: 0, max: 2 ** 50 }),
    }),
  },
  {
    type: 'im.user.register.before',
    vendor: 'openim',
    data: fc.record({ users: fc.array(arb.registerUser, { maxLength: 500 }) }),
  },
  {
    type: 'im.user.register.after',
    vendor: 'openim',
    data: fc.record({ users: fc.array(arb.registerUser, { maxLength: 500 }) }),
  },
];

describe('mappings: properties', () => {
  for (const c of LOSSLESS) {
    it(`${c.type} round-trips through ${c.vendor}`, () => {
      fc.assert(
        fc.property(c.data as fc.Arbitrary<object>, (data) => {
          // Tencent's encoders write a profile change only when there is one.
          fc.pre(
            c.type !== 'im.user.profile.updated' ||
              Object.keys((data as DataByType['im.user.profile.updated']).changes).length > 0,
          );
          const { back } = roundTrip(canonical(c.type, data as never, c.vendor), c.vendor);
          const { meta: _meta, ...decoded } = back.data as { meta?: unknown };
          expect(decoded).to.deep.equal(data);
        }),
        { numRuns: 80 },
      );
    });
  }

  // Every mapping, lossy or not: whatever it emits for any data its own vendors can produce passes the
  // receiving vendor's schema. (The issue-2 types have the same checks in their own test files.)
  for (const c of LOSSLESS) {
    for (const target of ['tencent', 'openim'] as const) {
      if (!MAPPINGS[c.type].encoders[target]) continue;
      it(`${c.type} from ${c.vendor} → every ${target} body passes ${target}'s schema`, () => {
        fc.assert(
          fc.property(c.data as fc.Arbitrary<object>, (data) => {
            for (const req of encode(canonical(c.type, data as never, c.vendor), target) ?? []) {
              const command =
                target === 'tencent'
                  ? new URL(req.url).searchParams.get('CallbackCommand')!
                  : req.url.split('/').pop()!;
              const body = JSON.parse(req.body);
              const d = decoderFor(target, command, body);
              expect(d, `${target} ${command} has a schema`).to.not.equal(undefined);
              d!.schema.validateSync(body, { strict: true });
            }
          }),
          { numRuns: 40 },
        );
      });
    }
  }
});
