// Paths as bytes: every byte string survives decode → encode, and valid UTF-8 reads as text.
import { describe, expect, it } from 'vitest';
import { decodePathBytes, encodePathBytes, hasEscapedBytes } from './git-paths.js';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('git path bytes', () => {
  it('decodes valid UTF-8 as text', () => {
    expect(decodePathBytes(new TextEncoder().encode('nomad/café-🚀.nomad'))).toBe('nomad/café-🚀.nomad');
    expect(hasEscapedBytes('nomad/café-🚀.nomad')).toBe(false);
  });

  it('keeps every byte that is not UTF-8, distinctly, and gives the same bytes back', () => {
    const cases = [bytes(0x77, 0xff, 0x2e), bytes(0x77, 0xfe, 0x2e), bytes(0xc3), bytes(0xed, 0xa0, 0x80), bytes(0xc0, 0xaf), bytes(0xe2, 0x82), bytes(0xf4, 0x90, 0x80, 0x80), bytes(0x61, 0xc3, 0xa9, 0xff)];
    const decoded = cases.map(decodePathBytes);
    expect(new Set(decoded).size).toBe(cases.length);
    for (const [i, c] of cases.entries()) {
      expect(encodePathBytes(decoded[i]!)).toEqual(c);
      expect(hasEscapedBytes(decoded[i]!)).toBe(true);
    }
    expect(decodePathBytes(bytes(0x61, 0xc3, 0xa9, 0xff))).toBe('aé\udcff');
  });

  it('round-trips random byte strings', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
    for (let n = 0; n < 500; n++) {
      const input = Uint8Array.from({ length: 1 + (n % 12) }, next);
      expect(encodePathBytes(decodePathBytes(input))).toEqual(input);
    }
  });
});
