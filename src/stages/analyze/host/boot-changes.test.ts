import { describe, expect, it } from 'vitest';
import type { ToplevelSnapshot } from '../../../ports/nix.js';
import { diffBoot, diffEtc, diffKeysInBoth } from './boot-changes.js';

const snapshot = (over: Partial<ToplevelSnapshot> = {}): ToplevelSnapshot => ({
  path: '/nix/store/a-nixos-system',
  links: { kernel: '/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-linux-6.6.66/bzImage', systemd: '/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-systemd-256.8' },
  kernelParams: 'loglevel=4',
  rebootTriggers: null,
  switchInhibitors: null,
  units: {},
  etc: {},
  fstab: null,
  systemConf: '[Manager]\n',
  ...over,
});

describe('diffBoot', () => {
  it('compares links, not toplevel paths (a new self.rev changes nothing here)', () => {
    expect(diffBoot(snapshot(), snapshot({ path: '/nix/store/b-nixos-system' }))).toEqual({});
  });
  it('shows a kernel change by store name', () => {
    const after = snapshot({ links: { ...snapshot().links, kernel: '/nix/store/cccccccccccccccccccccccccccccccc-linux-6.12.6/bzImage' } });
    expect(diffBoot(snapshot(), after).kernel).toEqual({ from: 'linux-6.6.66/bzImage', to: 'linux-6.12.6/bzImage' });
  });
  it('sees systemd re-executing when only system.conf changes', () => {
    expect(diffBoot(snapshot(), snapshot({ systemConf: '[Manager]\nDefaultTimeoutStopSec=10s\n' })).systemd).toBeDefined();
  });
  it('reports kernel-params changes', () => {
    expect(diffBoot(snapshot(), snapshot({ kernelParams: 'loglevel=4 mitigations=off' })).kernelParams).toEqual({ from: 'loglevel=4', to: 'loglevel=4 mitigations=off' });
  });
});

describe('diffKeysInBoth', () => {
  it('compares only keys present in both maps, as switch-to-configuration check does', () => {
    expect(diffKeysInBoth({ a: '1', b: '2' }, { a: '1', b: '3', c: '4' })).toEqual([{ key: 'b', from: '2', to: '3' }]);
  });
  it('treats a missing file as an empty map', () => {
    expect(diffKeysInBoth(null, { kernel: 'x' })).toEqual([]);
  });
});

describe('diffEtc', () => {
  it('lists changed /etc paths except fstab and system.conf', () => {
    expect(diffEtc({ exports: 'a', fstab: 'x', hostname: 'h' }, { exports: 'b', fstab: 'y', hostname: 'h' })).toEqual(['exports']);
  });
});
