/** Go's json.Encoder HTML-escapes these five characters; nothing else differs from JSON.stringify. */
const GO_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * Serialises `value` byte-for-byte as OpenIM's Go server does (docs/vendors/openim.md#requests):
 * `json.NewEncoder(…).Encode` writes compact JSON with `<`, `>`, `&`, U+2028 and U+2029 escaped, a
 * lone surrogate as U+FFFD, and a trailing newline. Key order
 * is the caller's: build objects in Go struct-field order. The replacement is safe on the whole text
 * because these characters can only occur inside JSON strings.
 */
export function goJson(value: unknown): string {
  let text = JSON.stringify(value);
  // JSON.stringify writes a lone surrogate as an escape (`\ud800`); Go never has one in a string — it
  // decoded it as U+FFFD — so it writes that character. The check is a substring search: the re-encode
  // runs only for the rare body that needs it.
  if (text.includes('\\ud'))
    text = JSON.stringify(value, (_, v: unknown) => (typeof v === 'string' ? v.toWellFormed() : v));
  return text.replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c]!) + '\n';
}

/**
 * What Go's `json.Marshal` writes for `value`: the same as `goJson`, without the encoder's trailing
 * newline — how OpenIM's SDK writes a message's content (docs/vendors/openim.md#messages).
 */
export function goMarshal(value: unknown): string {
  return goJson(value).slice(0, -1);
}
