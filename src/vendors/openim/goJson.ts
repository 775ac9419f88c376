/** Go's json.Encoder HTML-escapes these five characters; nothing else differs from JSON.stringify. */
const GO_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * Serialises `value` byte-for-byte as OpenIM's Go server does (O§1.2): `json.NewEncoder(…).Encode`
 * writes compact JSON with `<`, `>`, `&`, U+2028 and U+2029 escaped, and a trailing newline. Key order
 * is the caller's: build objects in Go struct-field order. The replacement is safe on the whole text
 * because these characters can only occur inside JSON strings.
 */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c]!) + '\n';
}
