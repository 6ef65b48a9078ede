import { describe, expect, it } from 'vitest';
import { sshArgv, parseSshTarget } from '../host-ssh/ssh-transport.js';
import { activateScript, armGuardScript, disarmGuardScript, fixtureConnectionGate, guardScript, hostLayout, q, setProfileScript } from './host-commands.js';

const NEW = '/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-nixos-system-nas-24.11';
const OLD = '/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-nixos-system-nas-24.11';
const guard = { id: '7-nas-1234abcd', previous: OLD, action: 'switch' as const, confirmSeconds: 30, activationSeconds: 600 };

describe('host commands on a real NixOS host', () => {
  const real = hostLayout('/');

  it('sets the system profile to the exact store path', () => {
    expect(setProfileScript(real, NEW)).toBe(`mkdir -p '/nix/var/nix/profiles'\nnix-env -p '/nix/var/nix/profiles/system' --set '${NEW}'`);
  });

  it('switches inside a transient unit (so a dropped SSH connection cannot kill it) and marks the switch for the guard', () => {
    const script = activateScript(real, NEW, 'switch', guard.id);
    expect(script).toContain(`systemd-run -E LOCALE_ARCHIVE -E NIXOS_INSTALL_BOOTLOADER --collect --no-ask-password --pipe --quiet --service-type=exec --unit='steward-switch-aaaaaaaaaaaa' --wait '${NEW}/bin/switch-to-configuration' switch`);
    expect(script).toContain(`: > '/var/lib/steward/guards/${guard.id}'.switching`);
    expect(script).not.toContain('NIXOS_FIXTURE_ROOT');
    expect(activateScript(real, NEW, 'dry-activate')).toBe(`exec 2>&1\n'${NEW}/bin/switch-to-configuration' dry-activate`);
  });

  it('arms the guard with systemd-run --on-active and disarms it by stopping its timer', () => {
    const arm = armGuardScript(real, guard);
    expect(arm).toContain(`systemd-run --unit='steward-guard-${guard.id}' --description='Steward rollback guard' --on-active=30s --timer-property=AccuracySec=1s /bin/sh '/var/lib/steward/guards/${guard.id}.sh'`);
    expect(disarmGuardScript(real, guard.id, 'confirmed')).toContain(`systemctl stop 'steward-guard-${guard.id}.timer' 'steward-guard-${guard.id}.service'`);
  });

  it('rolls back by explicit store path, only when the armed marker is still there', () => {
    const script = guardScript(real, guard);
    expect(script).toContain(`mv '/var/lib/steward/guards/${guard.id}'.armed '/var/lib/steward/guards/${guard.id}'.fired 2>/dev/null || exit 0`);
    expect(script).toContain(`nix-env -p '/nix/var/nix/profiles/system' --set '${OLD}'`);
    expect(script).toContain(`'${OLD}/bin/switch-to-configuration' switch`);
  });
});

describe('host commands on a fixture host', () => {
  const fixture = hostLayout('/tmp/hosts/nas');

  it('keeps every path under the fixture root and tells switch-to-configuration where it is', () => {
    expect(fixture).toMatchObject({ profile: '/tmp/hosts/nas/nix/var/nix/profiles/system', currentSystem: '/tmp/hosts/nas/run/current-system', bootDefault: '/tmp/hosts/nas/boot/default-system' });
    expect(activateScript(fixture, NEW, 'switch')).toBe(`exec 2>&1\nNIXOS_FIXTURE_ROOT='/tmp/hosts/nas'; export NIXOS_FIXTURE_ROOT\n'${NEW}/bin/switch-to-configuration' switch`);
    expect(armGuardScript(fixture, guard)).toContain('setsid sh -c');
  });

  it('refuses new connections like ssh does once the fixture host is unreachable', () => {
    expect(fixtureConnectionGate('/')).toBe('');
    expect(fixtureConnectionGate('/tmp/hosts/nas')).toContain("if [ -e '/tmp/hosts/nas/run/unreachable' ]; then");
  });
});

describe('ssh command lines', () => {
  it('opens a new connection every time (no connection sharing) and passes the script as one word', () => {
    expect(parseSshTarget('ssh://root@10.0.0.20:2222')).toEqual({ destination: 'root@10.0.0.20', port: 2222 });
    expect(parseSshTarget('root@10.0.0.20')).toEqual({ destination: 'root@10.0.0.20' });
    expect(sshArgv({ destination: 'root@10.0.0.20', port: 2222 }, ['-i', 'key'], "echo 'hi'")).toEqual([
      'ssh', '-o', 'BatchMode=yes', '-o', 'ControlMaster=no', '-o', 'ControlPath=none', '-o', 'ConnectTimeout=10', '-p', '2222', '-i', 'key', 'root@10.0.0.20', `sh -c ${q("echo 'hi'")}`,
    ]);
  });
});
