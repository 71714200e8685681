/**
 * JSON text for a database column. PostgreSQL's `jsonb` refuses two things JavaScript strings may
 * hold, and JSON.stringify writes as `\u` escapes: the NUL character ("unsupported Unicode escape
 * sequence") and a UTF-16 surrogate without its pair (a cut emoji, or hostile input). Either made
 * the whole turn fail; both become U+FFFD, the replacement character, which is also what a reader
 * would have seen. SQLite could keep them, but both stores write this, so both keep the same.
 */
export function storableJson(value: unknown): string {
  const json = JSON.stringify(value);
  // JSON.stringify escapes only lone surrogates, never a pair, so any \ud800–\udfff escape is
  // unpaired. An escape is one whose backslash follows an even number of backslashes.
  return json.includes('\\u') ? json.replace(UNSTORABLE, (_m, backslashes: string) => `${backslashes}\\ufffd`) : json;
}

const UNSTORABLE = /(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/g;
