import { object, type ObjectShape } from 'yup';

/** yup's test name for an unknown key, so `server.unknownFields: ignore` can let those through. */
export const UNKNOWN_FIELD_TEST = 'exact';

/**
 * An object schema that refuses keys it does not declare, naming them and where they are (e.g.
 * `PairList[0] has unknown field(s): Extra`). Nothing unknown is ever forwarded either way — encoders
 * rebuild every body from canonical data — so this is about telling a prober or a misconfigured
 * sender exactly what is wrong.
 */
export function exactObject<S extends ObjectShape>(shape: S) {
  // yup calls the root `this`; callers know it as the body.
  return object(shape).exact(
    (p: { path?: string; properties: string }) =>
      `${p.path && p.path !== 'this' ? p.path : 'body'} has unknown field(s): ${p.properties}`,
  );
}
