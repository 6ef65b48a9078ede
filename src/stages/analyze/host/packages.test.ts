import { describe, expect, it } from 'vitest';
import { compareVersions, diffPackages, parseDrvName } from './packages.js';

const p = (name: string, hash = 'a'.repeat(32)) => `/nix/store/${hash}-${name}`;

describe('parseDrvName', () => {
  it.each([
    ['openssh-9.8p1', 'openssh', '9.8p1'],
    ['python3.11-requests-2.31.0', 'python3.11-requests', '2.31.0'],
    ['glibc-2.39-52', 'glibc', '2.39-52'],
    ['system-units', 'system-units', ''],
    ['linux-6.6.66-modules', 'linux', '6.6.66-modules'],
  ])('splits %s', (name, pname, version) => {
    expect(parseDrvName(name)).toEqual({ pname, version });
  });
});

describe('diffPackages', () => {
  it('reports version changes, additions and removals, ignoring unversioned paths', () => {
    const before = [p('openssl-3.0.14'), p('openssl-3.0.14-bin'), p('htop-3.3.0'), p('unit-sshd.service'), p('etc')];
    const after = [p('openssl-3.3.2'), p('openssl-3.3.2-bin'), p('tmux-3.5a'), p('unit-sshd.service', 'b'.repeat(32))];
    expect(diffPackages(before, after)).toEqual([
      { name: 'htop', from: ['3.3.0'], to: [], major: false },
      { name: 'openssl', from: ['3.0.14'], to: ['3.3.2'], major: false },
      { name: 'tmux', from: [], to: ['3.5a'], major: false },
    ]);
  });
  it('flags a major version change', () => {
    expect(diffPackages([p('postgresql-15.10')], [p('postgresql-16.6')])[0]?.major).toBe(true);
  });
  it('ignores the toplevel itself', () => {
    expect(diffPackages([p('nixos-system-nas-24.05')], [p('nixos-system-nas-24.11')])).toEqual([]);
  });
});

describe('compareVersions', () => {
  it('orders numeric components as numbers', () => {
    expect(['6.12.6', '6.6.66', '6.6.9'].sort(compareVersions)).toEqual(['6.6.9', '6.6.66', '6.12.6']);
  });
});
