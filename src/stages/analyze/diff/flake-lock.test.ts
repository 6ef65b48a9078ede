import { describe, expect, it } from 'vitest';
import { diffFlakeLock } from './flake-lock.js';

const lock = (nixpkgsRev: string, extra = '') => `{
  "nodes": {
    "nixpkgs": { "locked": { "lastModified": 1732000000, "narHash": "sha256-x", "owner": "NixOS", "repo": "nixpkgs", "rev": "${nixpkgsRev}", "type": "github" }, "original": {} },
    "agenix": { "inputs": { "nixpkgs": ["nixpkgs"] }, "locked": { "rev": "aaaaaaaaaaaaaaaaaaaa", "lastModified": 1731000000 } }${extra},
    "root": { "inputs": { "nixpkgs": "nixpkgs", "agenix": "agenix"${extra ? ', "nixos-hardware": "nixos-hardware"' : ''} } }
  },
  "root": "root",
  "version": 7
}`;

describe('diffFlakeLock', () => {
  it('reports a bumped input with revisions and dates', () => {
    expect(diffFlakeLock(lock('1111111111111111'), lock('2222222222222222'))).toEqual([
      { input: 'nixpkgs', change: 'updated', from: '111111111111 (2024-11-19)', to: '222222222222 (2024-11-19)', reaches: null, source: 'NixOS/nixpkgs' },
    ]);
  });
  it('reports added inputs', () => {
    const extra = ',\n    "nixos-hardware": { "locked": { "rev": "bbbbbbbbbbbbbbbb" } }';
    expect(diffFlakeLock(lock('1'), lock('1', extra)).map((b) => [b.input, b.change])).toEqual([['nixos-hardware', 'added']]);
  });
  it('names where an input comes from, whatever the input is called', () => {
    const extra = ',\n    "hardware": { "locked": { "rev": "cccccccccccccccc", "owner": "NixOS", "repo": "nixos-hardware", "type": "github" } }';
    const withHardware = (rev: string) => lock('1', extra.replace('cccccccccccccccc', rev)).replace('"nixos-hardware": "nixos-hardware"', '"hardware": "hardware"');
    expect(diffFlakeLock(withHardware('c1'), withHardware('c2'))).toMatchObject([{ input: 'hardware', source: 'NixOS/nixos-hardware' }]);
  });
  it('gives nothing for an unparseable lock rather than guessing', () => {
    expect(diffFlakeLock('{', lock('1'))).toHaveLength(2);
    expect(diffFlakeLock(lock('1'), lock('1'))).toEqual([]);
  });
});
