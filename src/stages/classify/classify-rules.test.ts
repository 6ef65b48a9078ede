import { describe, expect, it } from 'vitest';
import { changeSet, file, host, mount, signal, unit } from '../../../test/helpers/changesets.js';
import { DEFAULT_CRITICAL_UNITS } from '../../config/defaults.js';
import type { ChangeSet } from '../../model/changeset.js';
import { classifyRules, type ClassifyOptions } from './classify-rules.js';

const options: ClassifyOptions = { criticalUnits: DEFAULT_CRITICAL_UNITS, overrides: {}, nixpkgsBumpHosts: 2 };
const classify = (cs: ChangeSet, over: Partial<ClassifyOptions> = {}) => classifyRules(cs, { ...options, ...over });
const ids = (cs: ChangeSet) => classify(cs).reasons.map((r) => r.ruleId);

describe('classifyRules at build level', () => {
  it('is clean for leaf restarts, with the units as evidence', () => {
    const verdict = classify(changeSet({ hosts: [host('node1', { units: [unit('homepage.service')] })] }));
    expect(verdict.label).toBe('clean');
    expect(verdict.reasons[0]).toMatchObject({ ruleId: 'units.leaf', evidence: [{ host: 'node1', unit: 'homepage.service' }] });
  });
  it('is needs-reboot for a kernel change', () => {
    const verdict = classify(changeSet({ hosts: [host('nas', { boot: { kernel: { from: 'linux-6.6.66/bzImage', to: 'linux-6.12.6/bzImage' } } })] }));
    expect(verdict).toMatchObject({ label: 'needs-reboot', hosts: { nas: 'needs-reboot' } });
  });
  it('is risky when a critical unit restarts', () => {
    expect(classify(changeSet({ hosts: [host('nas', { units: [unit('sshd.service')] })] })).label).toBe('risky');
  });
  it('is risky when switch would NOT apply a changed unit', () => {
    expect(ids(changeSet({ hosts: [host('nas', { units: [unit('grafana.service', { action: 'skip' })] })] }))).toContain('units.not-applied');
  });
  it('is risky when systemd would restart itself', () => {
    expect(classify(changeSet({ hosts: [host('nas', { boot: { systemd: { from: 'systemd-256.8', to: 'systemd-257.1' } } })] })).label).toBe('risky');
  });
  it('is needs-reboot for NFS option changes and risky for a device change or a removed swap', () => {
    expect(classify(changeSet({ hosts: [host('desk', { mounts: [mount('/mnt/media')] })] })).label).toBe('needs-reboot');
    expect(classify(changeSet({ hosts: [host('desk', { mounts: [mount('/mnt/media', { change: 'device' })] })] })).label).toBe('risky');
    expect(classify(changeSet({ hosts: [host('desk', { mounts: [mount('/dev/sda2', { swap: true, change: 'removed', fsType: 'swap' })] })] })).label).toBe('risky');
  });
  it('is risky when a stateful unit is removed, clean when a leaf one is', () => {
    expect(classify(changeSet({ hosts: [host('nas', { units: [unit('postgresql.service', { change: 'removed', action: 'stop', stateful: true })] })] })).label).toBe('risky');
    expect(classify(changeSet({ hosts: [host('nas', { units: [unit('homepage.service', { change: 'removed', action: 'stop' })] })] })).label).toBe('clean');
  });
  it('is clean for a database client added to a package list (hard case), risky for a server major bump', () => {
    const client = host('desk', { packages: [{ name: 'postgresql', from: [], to: ['16.6'], major: false }] });
    expect(classify(changeSet({ hosts: [client] })).label).toBe('clean');
    const server = host('nas', { packages: [{ name: 'postgresql', from: ['15.10'], to: ['16.6'], major: true }], units: [unit('postgresql.service', { stateful: true })] });
    expect(ids(changeSet({ hosts: [server] }))).toContain('packages.database-major');
  });
  it('is clean when a toplevel changes only by its configuration revision', () => {
    expect(classify(changeSet({ hosts: [host('a', { revisionOnly: true }), host('b', { revisionOnly: true })] }))).toMatchObject({ label: 'clean', reasons: [{ ruleId: 'host.revision-only' }] });
  });
  it('is risky for evaluation errors, citing host and file:line', () => {
    const failed = host('nas', { status: 'failed', error: { phase: 'eval', revision: 'head', lines: ["error: undefined variable 'x'"], file: 'hosts/nas/default.nix', line: 34 } });
    expect(classify(changeSet({ hosts: [failed] })).reasons[0]).toMatchObject({ ruleId: 'host.build-failed', label: 'risky', evidence: [{ host: 'nas', file: 'hosts/nas/default.nix', line: 34 }] });
  });
  it('takes the most severe label of a mixed change', () => {
    const cs = changeSet({ hosts: [host('node1', { units: [unit('homepage.service')] }), host('nas', { boot: { kernel: { from: 'a', to: 'b' } } }), host('desk', { etc: ['exports'] })] });
    expect(classify(cs)).toMatchObject({ label: 'risky', hosts: { node1: 'clean', nas: 'needs-reboot', desk: 'risky' } });
  });
  it('merges the same finding on several hosts into one reason naming them all', () => {
    const cs = changeSet({ hosts: ['a', 'b', 'c'].map((n) => host(n, { mounts: [mount('/mnt/media')] })) });
    const reasons = classify(cs).reasons.filter((r) => r.ruleId === 'mounts.options');
    expect(reasons).toHaveLength(1);
    expect(reasons[0]?.message).toContain('a, b, c');
    expect(reasons[0]?.evidence).toHaveLength(3);
  });
});

describe('classifyRules at repository and diff level', () => {
  it('is risky for any change to an encrypted file', () => {
    expect(classify(changeSet({ repo: { files: [file('secrets/db.age', { kind: 'secret' })], signals: [], inputs: [], secrets: ['secrets/db.age'], docsOnly: false } })).label).toBe('risky');
  });
  it('is clean for documentation only', () => {
    expect(classify(changeSet({ repo: { files: [file('README.md')], signals: [], inputs: [], secrets: [], docsOnly: true } })).reasons[0]?.ruleId).toBe('repo.docs-only');
  });
  it('is clean for a comment in a firewall file (hard case)', () => {
    const cs = changeSet({ level: 'diff', repo: { files: [file('modules/firewall.nix', { cosmetic: true })], signals: [], inputs: [], secrets: [], docsOnly: false } });
    expect(classify(cs)).toMatchObject({ label: 'clean', reasons: [{ ruleId: 'repo.cosmetic' }] });
  });
  it('judges lines by the option they set, not by words: a metrics line in an NFS module is clean', () => {
    const cs = changeSet({ level: 'diff', repo: { files: [file('modules/nfs.nix')], signals: [signal('services.prometheus.exporters.node.enabledCollectors', { file: 'modules/nfs.nix', text: 'enabledCollectors = [ "nfs" "nfsd" ];' })], inputs: [], secrets: [], docsOnly: false } });
    expect(classify(cs).label).toBe('clean');
  });
  it.each([
    ['services.openssh.settings.PermitRootLogin', 'risky'],
    ['networking.firewall.allowedTCPPorts', 'risky'],
    ['users.users.admin.openssh.authorizedKeys.keys', 'risky'],
    ['services.consul.extraConfig', 'risky'],
    ['systemd.services.sshd.serviceConfig', 'risky'],
    ['boot.kernelPackages', 'needs-reboot'],
    ['hardware.cpu.intel.updateMicrocode', 'needs-reboot'],
    ['fileSystems."/mnt/media".options', 'needs-reboot'],
    ['environment.systemPackages', 'clean'],
    ['services.grafana.settings', 'clean'],
    ['systemd.services.homepage.environment', 'clean'],
    ['options.services.myapp.enable', 'clean'],
  ])('labels a diff-level change of %s as %s', (option, label) => {
    const cs = changeSet({ level: 'diff', repo: { files: [file('modules/x.nix')], signals: [signal(option)], inputs: [], secrets: [], docsOnly: false } });
    expect(classify(cs).label).toBe(label);
  });
  it('is never clean at diff level for changed Nix code that no option explains (issue 10)', () => {
    const cs = changeSet({ level: 'diff', repo: { files: [file('modules/x.nix')], signals: [signal('', { text: 'lib.mkMerge [' })], inputs: [], secrets: [], docsOnly: false } });
    expect(classify(cs)).toMatchObject({ label: 'risky', reasons: [{ ruleId: 'diff.unattributed' }] });
  });
  it('is risky at diff level when a filesystem changes its device', () => {
    const signals = [
      signal('fileSystems."/data"', { side: 'removed', text: 'fileSystems."/data" = { device = "/dev/sda1"; fsType = "ext4"; };' }),
      signal('fileSystems."/data"', { side: 'added', text: 'fileSystems."/data" = { device = "/dev/sdb1"; fsType = "ext4"; };' }),
    ];
    expect(classify(changeSet({ level: 'diff', repo: { files: [file('hosts/nas.nix')], signals, inputs: [], secrets: [], docsOnly: false } })).reasons[0]?.ruleId).toBe('diff.filesystem-device');
  });
  it('does not apply diff-level rules when the build level is available', () => {
    const cs = changeSet({ level: 'build', repo: { files: [file('modules/x.nix')], signals: [signal('services.openssh.enable')], inputs: [], secrets: [], docsOnly: false } });
    expect(classify(cs).label).toBe('clean');
  });
  it('is risky for a nixpkgs bump reaching many hosts and clean when it reaches one', () => {
    const bump = (reaches: string[] | null) => changeSet({ repo: { files: [file('flake.lock', { kind: 'lock' })], signals: [], inputs: [{ input: 'nixpkgs', change: 'updated', from: 'a', to: 'b', reaches }], secrets: [], docsOnly: false } });
    expect(classify(bump(['a', 'b', 'c'])).label).toBe('risky');
    expect(classify(bump(['a'])).label).toBe('clean');
    expect(classify(bump(null)).label).toBe('risky');
  });
});

describe('rule overrides', () => {
  it('can switch a rule off or force its label, and says so', () => {
    const cs = changeSet({ hosts: [host('nas', { boot: { kernel: { from: 'a', to: 'b' } } })] });
    expect(classify(cs, { overrides: { 'boot.kernel': 'off' } }).label).toBe('clean');
    const forced = classify(cs, { overrides: { 'boot.kernel': 'risky' } });
    expect(forced.label).toBe('risky');
    expect(forced.reasons[0]?.message).toContain('[label set by steward.json]');
  });
  it('extends critical units from the configuration', () => {
    const cs = changeSet({ hosts: [host('nas', { units: [unit('haproxy.service')] })] });
    expect(classify(cs, { criticalUnits: [...DEFAULT_CRITICAL_UNITS, 'haproxy.service'] }).label).toBe('risky');
  });
});
