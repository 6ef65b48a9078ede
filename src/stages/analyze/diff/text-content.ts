// Whether a file's bytes are text Steward can review: UTF-8 without NUL bytes. Anything else
// (a NUL in a comment, a binary blob, another encoding) cannot be read line by line, so a
// change in it cannot be judged and must not pass as clean.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The text, null when absent, undefined when not readable as text. */
export function decodeText(bytes: Uint8Array | null | undefined): string | null | undefined {
  if (bytes === null) return null;
  if (bytes === undefined || bytes.includes(0)) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
