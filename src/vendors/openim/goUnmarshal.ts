import { parseTree, type Node } from 'jsonc-parser';

/**
 * The Go types OpenIM's reply structs are made of (docs/vendors/openim.md#reply-handling, docs/vendors/openim.md#relationship, docs/vendors/openim.md#user-info), described so that a reply can be
 * read the way `encoding/json` reads it into them.
 */
export type GoType =
  /**
   * A signed integer. `numericString` is imbridge's one deliberate kindness: OpenIM's docs print codes
   * as strings (`"nextCode": "1"`), which Go refuses, and a backend that copied them means the number.
   */
  | { kind: 'int'; bits: 32 | 64; numericString?: boolean }
  | { kind: 'string' }
  | { kind: 'bool' }
  /** `[]byte`: base64 text, or (as Go also accepts) an array of numbers 0–255; kept as it came. */
  | { kind: 'bytes' }
  /** `map[string]T`. */
  | { kind: 'map'; elem: GoType }
  /** `*T`, and types with the same JSON behaviour (`wrapperspb.StringValue`): `null` is nil. */
  | { kind: 'pointer'; elem: GoType }
  | { kind: 'slice'; elem: GoType }
  | { kind: 'struct'; fields: Readonly<Record<string, GoType>> };

/** Go values as JS: ints are numbers, nil pointers and slices `null`, structs objects with every field. */
export type GoValue = number | string | boolean | null | GoValue[] | { [field: string]: GoValue };

/** What `json.Unmarshal` would have produced, or the error it would have returned. */
export type GoUnmarshalled = { ok: true; value: { [field: string]: GoValue } } | { ok: false; message: string };

/** Shorthands for building reply types. */
export const go = {
  int32: (numericString = false): GoType => ({ kind: 'int', bits: 32, numericString }),
  int64: (): GoType => ({ kind: 'int', bits: 64 }),
  string: (): GoType => ({ kind: 'string' }),
  bool: (): GoType => ({ kind: 'bool' }),
  bytes: (): GoType => ({ kind: 'bytes' }),
  map: (elem: GoType): GoType => ({ kind: 'map', elem }),
  pointer: (elem: GoType): GoType => ({ kind: 'pointer', elem }),
  slice: (elem: GoType): GoType => ({ kind: 'slice', elem }),
  struct: (fields: Record<string, GoType>): GoType & { kind: 'struct' } => ({ kind: 'struct', fields }),
};

class GoError extends Error {}

const INT_RANGE = { 32: [-(2n ** 31n), 2n ** 31n - 1n], 64: [-(2n ** 63n), 2n ** 63n - 1n] } as const;

/**
 * Go's key folding for case-insensitive field matching (`encoding/json` foldName, Go 1.21+): ASCII
 * letters upper-cased, any other rune mapped through ToUpper(ToLower(r)) — so the long s `ſ` matches
 * `s` and the Kelvin sign matches `k`, as they do in Go. A rune whose JS case mapping is not a single
 * rune (`ß` → `SS`) keeps itself, as Go's simple case mapping does.
 */
export function foldName(name: string): string {
  let out = '';
  for (const ch of name) {
    if (ch.charCodeAt(0) < 0x80) {
      out += ch >= 'a' && ch <= 'z' ? ch.toUpperCase() : ch;
      continue;
    }
    const lower = ch.toLowerCase();
    const folded = [...lower].length === 1 ? lower.toUpperCase() : ch;
    out += [...folded].length === 1 ? folded : ch;
  }
  return out;
}

/** Go's zero value of a type. */
function zero(type: GoType): GoValue {
  switch (type.kind) {
    case 'int':
      return 0;
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'pointer':
    case 'slice':
    case 'bytes':
    case 'map':
      return null;
    case 'struct':
      return Object.fromEntries(Object.entries(type.fields).map(([name, t]) => [name, zero(t)]));
  }
}

/** The struct field a JSON key lands in: the exact name first, else the case-folded one, else none. */
function fieldFor(type: GoType & { kind: 'struct' }, key: string): string | undefined {
  if (Object.hasOwn(type.fields, key)) return key;
  const folded = foldName(key);
  return Object.keys(type.fields).find((name) => foldName(name) === folded);
}

/** Decodes one JSON node into a value of `type` whose current value is `current` (Go decodes in place). */
function decode(text: string, node: Node, type: GoType, current: GoValue, path: string): GoValue {
  if (node.type === 'null') {
    // null sets pointers and slices to nil and leaves everything else as it was.
    return type.kind === 'pointer' || type.kind === 'slice' || type.kind === 'bytes' || type.kind === 'map'
      ? null
      : current;
  }
  const mismatch = () => new GoError(`cannot unmarshal ${node.type} into ${path || 'the reply'} (${type.kind})`);
  switch (type.kind) {
    case 'int': {
      // Go parses the literal itself: 1.0, 1e0 and out-of-range numbers are errors, not conversions.
      let digits: string;
      if (node.type === 'number') digits = text.slice(node.offset, node.offset + node.length);
      else if (node.type === 'string' && type.numericString) digits = String(node.value);
      else throw mismatch();
      const literal = node.type === 'number' ? /^-?(0|[1-9]\d*)$/ : /^-?\d+$/;
      const n = literal.test(digits) ? BigInt(digits) : undefined;
      const [min, max] = INT_RANGE[type.bits];
      if (n === undefined || n < min || n > max)
        throw new GoError(`cannot unmarshal ${JSON.stringify(digits)} into ${path} (int${type.bits})`);
      return Number(n);
    }
    case 'string':
      if (node.type !== 'string') throw mismatch();
      return node.value as string;
    case 'bool':
      if (node.type !== 'boolean') throw mismatch();
      return node.value as boolean;
    case 'bytes':
      if (node.type === 'string') {
        const b64 = node.value as string;
        if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(b64))
          throw new GoError(`illegal base64 data in ${path}`);
        return b64;
      }
      if (node.type !== 'array') throw mismatch();
      return (node.children ?? []).map((child, i) =>
        decode(text, child, { kind: 'int', bits: 32 }, 0, `${path}[${i}]`),
      );
    case 'map': {
      if (node.type !== 'object') throw mismatch();
      const value: Record<string, GoValue> = {};
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode || !valueNode) continue;
        const key = keyNode.value as string;
        value[key] = decode(text, valueNode, type.elem, value[key] ?? zero(type.elem), `${path}[${key}]`);
      }
      return value;
    }
    case 'pointer':
      return decode(text, node, type.elem, zero(type.elem), path);
    case 'slice':
      if (node.type !== 'array') throw mismatch();
      return (node.children ?? []).map((child, i) => decode(text, child, type.elem, zero(type.elem), `${path}[${i}]`));
    case 'struct': {
      if (node.type !== 'object') throw mismatch();
      const value = { ...(current as Record<string, GoValue>) };
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode || !valueNode) continue;
        const field = fieldFor(type, keyNode.value as string);
        // Unknown keys are ignored; a later key folding to the same field overwrites an earlier one.
        if (field !== undefined)
          value[field] = decode(text, valueNode, type.fields[field]!, value[field]!, path ? `${path}.${field}` : field);
      }
      return value;
    }
  }
}

/**
 * Reads `text` into a struct of `type` exactly as Go's `json.Unmarshal` does (docs/vendors/openim.md#reply-handling): keys match
 * fields case-insensitively, the last of two keys that fold to one field wins, unknown keys are
 * ignored, `null` leaves a value as it was (and sets pointers and slices to nil), and a JSON value of
 * the wrong type — a float or a string where an int is declared, a number where a string is — is an
 * error. A JSON `null` as the whole reply leaves every field at its zero value, as in Go.
 */
export function goUnmarshal(text: string, type: GoType & { kind: 'struct' }): GoUnmarshalled {
  // JSON.parse is the strict RFC 8259 check (Go's own); the tree below is only for key order and raw numbers.
  try {
    JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `not JSON: ${(err as Error).message}` };
  }
  const root = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
  if (!root) return { ok: false, message: 'not JSON' };
  try {
    return { ok: true, value: decode(text, root, type, zero(type), '') as { [field: string]: GoValue } };
  } catch (err) {
    if (err instanceof GoError) return { ok: false, message: err.message };
    throw err;
  }
}
