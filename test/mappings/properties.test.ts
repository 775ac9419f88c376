import { expect } from 'chai';
import fc from 'fast-check';
import { MAPPINGS } from '../../mappings/index.js';
import type { CanonicalType, DataByType, Vendor } from '../../src/canonical/types.js';
import * as arb from '../helpers/arbitraries.js';
import { canonical, encode, roundTrip, userID } from '../helpers/translate.js';
import { vendorProblems } from '../helpers/vendorShapes.js';

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

  // Every mapping, lossy or not: whatever it emits for any data its own vendors can produce is what the
  // receiving vendor's own server sends — checked against strict shapes of the vendor's bodies, not
  // against imbridge's lenient decoders (which would let a dropped `ex` or a docs-era key through).
  for (const c of LOSSLESS) {
    for (const target of ['tencent', 'openim'] as const) {
      if (!MAPPINGS[c.type].encoders[target]) continue;
      it(`${c.type} from ${c.vendor} → every ${target} body is what ${target}'s server sends`, () => {
        fc.assert(
          fc.property(c.data as fc.Arbitrary<object>, (data) => {
            for (const req of encode(canonical(c.type, data as never, c.vendor), target) ?? []) {
              const command =
                target === 'tencent'
                  ? new URL(req.url).searchParams.get('CallbackCommand')!
                  : req.url.split('/').pop()!;
              expect(vendorProblems(target, command, JSON.parse(req.body))).to.deep.equal([]);
            }
          }),
          { numRuns: 40 },
        );
      });
    }
  }
});

describe('mappings: every encoder against the vendor', () => {
  for (const mapping of Object.values(MAPPINGS)) {
    for (const [target, encode] of Object.entries(mapping.encoders)) {
      it(`${mapping.type} → ${target}: every example's calls are what ${target}'s server sends`, () => {
        for (const example of mapping.examples) {
          for (const call of encode!(example as never, { nowMs: 1_700_000_000_000 })) {
            const field = target === 'tencent' ? 'CallbackCommand' : 'callbackCommand';
            expect((call.body as Record<string, unknown>)[field], 'the body names its command').to.equal(call.command);
            expect(vendorProblems(target as 'tencent' | 'openim', call.command, call.body), call.command).to.deep.equal(
              [],
            );
          }
        }
      });
    }
  }
});
