// Which worktrees the flake-input proposer runs: lone inputs and configured groups.
import { describe, expect, it } from 'vitest';
import { flakeUpdateUnits, type LockedInput } from './flake-inputs.js';

const lock: LockedInput[] = ['home-manager', 'nixpkgs', 'nixpkgs-unstable', 'sops'].map((name) => ({ name, type: 'github', version: 'abc' }));
const names = (units: ReturnType<typeof flakeUpdateUnits>) => units.map((u) => `${u.group ?? '-'}:${u.members.map((m) => m.name).join('+')}`);

describe('flakeUpdateUnits', () => {
  it('is one unit per input without groups', () => {
    expect(names(flakeUpdateUnits(lock, 'all', {}))).toEqual(['-:home-manager', '-:nixpkgs', '-:nixpkgs-unstable', '-:sops']);
  });

  it('puts a group in one unit and leaves the rest alone; names the lock lacks are left out', () => {
    expect(names(flakeUpdateUnits(lock, 'all', { nixpkgs: ['nixpkgs-unstable', 'nixpkgs', 'gone'] }))).toEqual(['nixpkgs:nixpkgs+nixpkgs-unstable', '-:home-manager', '-:sops']);
  });

  it('gives an input named by two groups to the first by name only', () => {
    expect(names(flakeUpdateUnits(lock, 'all', { b: ['sops', 'nixpkgs'], a: ['nixpkgs'] }))).toEqual(['a:nixpkgs', 'b:sops', '-:home-manager', '-:nixpkgs-unstable']);
  });

  it('updates only the selected inputs of a group, and drops a group with none selected', () => {
    expect(names(flakeUpdateUnits(lock, ['nixpkgs', 'sops'], { pkgs: ['nixpkgs', 'nixpkgs-unstable'], hm: ['home-manager'] }))).toEqual(['pkgs:nixpkgs', '-:sops']);
  });
});
