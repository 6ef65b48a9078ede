// Git paths are bytes, not text: a file name need not be UTF-8. Steward keeps paths as strings
// (globs, reports, JSON) without losing a byte: valid UTF-8 decodes as usual, and each byte that
// is not part of valid UTF-8 becomes a lone surrogate U+DC80..U+DCFF (Python's
// "surrogateescape"). Valid UTF-8 never decodes to a lone surrogate, so the mapping is exact both
// ways: two different names never meet, and the bytes come back for git.

const strict = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

export function decodePathBytes(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    return decodeEscaping(bytes);
  }
}

export function encodePathBytes(path: string): Uint8Array {
  const out: number[] = [];
  for (const ch of path) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xdc80 && cp <= 0xdcff) out.push(cp - 0xdc00);
    else out.push(...encoder.encode(ch));
  }
  return Uint8Array.from(out);
}

/** Whether a path holds bytes that are not UTF-8 (it cannot be passed to git as an argument). */
export function hasEscapedBytes(path: string): boolean {
  return /[\udc80-\udcff]/u.test(path.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));
}

function decodeEscaping(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const length = validSequenceLength(bytes, i);
    if (length === 0) {
      out += String.fromCharCode(0xdc00 + bytes[i]!);
      i += 1;
    } else {
      out += strict.decode(bytes.subarray(i, i + length));
      i += length;
    }
  }
  return out;
}

/** Length of the valid UTF-8 sequence at `i` (RFC 3629: no overlongs, surrogates or > U+10FFFF), or 0. */
function validSequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => {
    const b = bytes[i + k];
    return b !== undefined && b >= lo && b <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((b0 >= 0xe1 && b0 <= 0xec) || b0 === 0xee || b0 === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}
