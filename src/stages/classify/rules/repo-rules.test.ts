import { describe, expect, it } from 'vitest';
import { changeSet } from '../../../../test/helpers/changesets.js';
import type { InputBump } from '../../../model/repo-change.js';
import { classifyRules } from '../classify-rules.js';

const bump = (input: string, source?: string): InputBump => ({ input, change: 'updated', from: 'a', to: 'b', reaches: null, ...(source ? { source } : {}) });
const verdict = (inputs: InputBump[]) =>
  classifyRules(changeSet({ level: 'diff', repo: { files: [], signals: [], inputs, secrets: [], docsOnly: false } }), { criticalUnits: [], overrides: {}, nixpkgsBumpHosts: 2 });

describe('flake input bumps are judged by where the input comes from', () => {
  it('an input named hardware from NixOS/nixos-hardware is a hardware-quirk bump', () => {
    expect(verdict([bump('hardware', 'NixOS/nixos-hardware')]).reasons.map((r) => [r.ruleId, r.label])).toEqual([['repo.hardware-input', 'needs-reboot']]);
  });
  it('an input named nixpkgs-something that is another repository is an ordinary input', () => {
    expect(verdict([bump('nixpkgs-update', 'nix-community/nixpkgs-update')]).label).toBe('clean');
  });
  it('a nixpkgs fork or channel under any name is nixpkgs', () => {
    expect(verdict([bump('pkgs', 'someone/nixpkgs')]).label).toBe('risky');
    expect(verdict([bump('stable', 'https://channels.nixos.org/nixos-24.11/nixexprs.tar.xz')]).label).toBe('risky');
  });
  it('without a source, the name decides as before', () => {
    expect(verdict([bump('nixpkgs')]).label).toBe('risky');
    expect(verdict([bump('nixos-hardware')]).label).toBe('needs-reboot');
  });
});
