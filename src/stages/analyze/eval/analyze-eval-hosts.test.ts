import { describe, expect, it } from 'vitest';
import type { HostEvalValues } from '../../../ports/nix-eval-values.js';
import type { BuildStageResult } from '../../build/types.js';
import { analyzeEvalHosts } from './analyze-eval-hosts.js';

const store = (name: string) => `/nix/store/${name.padEnd(32, 'a').slice(0, 32)}-${name}`;

function values(overrides: Partial<HostEvalValues> = {}): HostEvalValues {
  return {
    kernel: { version: '6.6.66', drv: `${store('linux-6.6.66')}.drv`, path: `${store('linux-6.6.66')}/bzImage` },
    initrd: { drv: `${store('initrd')}.drv`, path: `${store('initrd')}/initrd` },
    kernelModulesTree: store('linux-6.6.66-modules'),
    kernelModules: [],
    firmware: `${store('firmware')}/lib/firmware`,
    kernelParams: ['loglevel=4'],
    systemd: store('systemd-256.8'),
    bootloader: { grub: { enable: true, device: 'nodev' } },
    switchInhibitors: {},
    rebootTriggers: {},
    units: {
      'app.service': { text: '[Unit]\nX-RestartIfChanged=false\n[Service]\nExecStart=/bin/app\n', path: `${store('unit-app')}/app.service`, drv: `${store('unit-app')}.drv` },
      'systemd-journald.service': { text: null, path: `${store('unit-journald')}/systemd-journald.service`, drv: `${store('unit-journald')}.drv` },
    },
    etc: {},
    etcTexts: { fstab: '', systemConf: null },
    fileSystems: {},
    swapDevices: [],
    users: { admin: { uid: 1000, authorizedKeys: ['ssh-ed25519 AAAA admin'], hasPassword: false } },
    firewall: { enable: true, tcp: ['22'], udp: [], tcpRanges: [], udpRanges: [] },
    packages: [{ name: 'postgresql', version: '15.10' }],
    stateVersion: '24.11',
    release: '24.11',
    ...overrides,
  };
}

function stage(before: HostEvalValues, after: HostEvalValues): BuildStageResult {
  return {
    hosts: [{ host: 'nas', status: 'changed', base: { drvPath: 'b.drv', outPath: store('nixos-system-nas-a'), built: false }, head: { drvPath: 'h.drv', outPath: store('nixos-system-nas-b'), built: false } }],
    errors: [],
    values: { base: { nas: before }, head: { nas: after } },
    stats: { evalProcesses: 1, baseFromCache: false, headFromCache: false, toplevelsBuilt: 0, evalMs: 0, buildMs: 0 },
  };
}

describe('analyzeEvalHosts', () => {
  it('judges a unit from its evaluated text exactly as the build level does (X-RestartIfChanged=false: skip)', () => {
    const before = values();
    const after = values({ units: { ...before.units, 'app.service': { text: '[Unit]\nX-RestartIfChanged=false\n[Service]\nExecStart=/bin/app --new\n', path: `${store('unit-app2')}/app.service`, drv: `${store('unit-app2')}.drv` } } });
    const [nas] = analyzeEvalHosts({ stage: stage(before, after), roles: () => [], criticalUnits: [] });
    expect(nas?.units).toEqual([expect.objectContaining({ unit: 'app.service', action: 'skip', changedKeys: ['Service.ExecStart'] })]);
  });

  it('restarts a changed unit that comes from a package, saying its file is unknown before the build', () => {
    const before = values();
    const after = values({ units: { ...before.units, 'systemd-journald.service': { text: null, path: `${store('unit-journald2')}/systemd-journald.service`, drv: `${store('unit-journald2')}.drv` } } });
    const [nas] = analyzeEvalHosts({ stage: stage(before, after), roles: () => [], criticalUnits: [] });
    expect(nas?.units).toEqual([expect.objectContaining({ unit: 'systemd-journald.service', action: 'restart', changedKeys: [], why: expect.stringContaining('known only after a build') })]);
  });

  it('reports users, firewall and package versions, never a password: only whether one is set', () => {
    const after = values({
      users: { admin: { uid: 1000, authorizedKeys: ['ssh-ed25519 AAAA admin', 'ssh-ed25519 BBBB laptop'], hasPassword: true } },
      firewall: { enable: true, tcp: ['22', '2222'], udp: [], tcpRanges: [], udpRanges: [] },
      packages: [{ name: 'postgresql', version: '16.6' }],
    });
    const [nas] = analyzeEvalHosts({ stage: stage(values(), after), roles: () => [], criticalUnits: [] });
    expect(nas?.options).toEqual([
      { key: 'users.users.admin.openssh.authorizedKeys.keys', from: '1 key', to: '2 keys' },
      { key: 'users.users.admin.hashedPassword', from: 'unset', to: 'set' },
      { key: 'networking.firewall.allowedTCPPorts', from: '22', to: '22 2222' },
    ]);
    expect(nas?.packages).toEqual([{ name: 'postgresql', from: ['15.10'], to: ['16.6'], major: true }]);
  });

  it('keeps a host whose values could not be evaluated as that host\'s failure', () => {
    const s = stage(values(), values());
    s.values = { base: { nas: values() }, head: { nas: null } };
    const [nas] = analyzeEvalHosts({ stage: s, roles: () => [], criticalUnits: [] });
    expect(nas).toMatchObject({ status: 'failed', error: { phase: 'eval', revision: 'head' } });
  });
});
