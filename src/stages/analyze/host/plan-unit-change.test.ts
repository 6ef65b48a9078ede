import { describe, expect, it } from 'vitest';
import { isStatefulUnit, planUnitChange } from './plan-unit-change.js';
import { mergeUnitFiles, parseUnitFile } from './unit-file.js';

const unit = (text: string) => parseUnitFile(text);
const svc = (extraUnit: string, exec = '/nix/store/a-app/bin/app') => unit(`[Unit]\nDescription=x\n${extraUnit}\n[Service]\nExecStart=${exec}\n`);

describe('planUnitChange', () => {
  it('stops and starts a changed service by default', () => {
    expect(planUnitChange('app.service', svc(''), svc('', '/nix/store/b-app/bin/app'))).toMatchObject({ action: 'restart', why: 'stopped before activation and started after', changedKeys: ['Service.ExecStart'] });
  });
  it('restarts in place when X-StopIfChanged=false', () => {
    expect(planUnitChange('sshd.service', svc('X-StopIfChanged=false'), svc('X-StopIfChanged=false', '/x')).why).toMatch(/X-StopIfChanged=false/);
  });
  it('reloads when only X-Reload-Triggers changed', () => {
    expect(planUnitChange('nfs-server.service', svc('X-Reload-Triggers=/nix/store/a'), svc('X-Reload-Triggers=/nix/store/b')).action).toBe('reload');
  });
  it('reloads a unit marked X-ReloadIfChanged=true', () => {
    expect(planUnitChange('firewall.service', svc('X-ReloadIfChanged=true'), svc('X-ReloadIfChanged=true', '/y')).action).toBe('reload');
  });
  it('does not restart a unit marked X-RestartIfChanged=false (the change does not take effect)', () => {
    expect(planUnitChange('dbus.service', svc('X-RestartIfChanged=false'), svc('X-RestartIfChanged=false', '/z')).action).toBe('skip');
  });
  it('remounts a mount unit whose only change is its options', () => {
    const before = unit('[Mount]\nWhat=/dev/a\nOptions=defaults\n');
    const after = unit('[Mount]\nWhat=/dev/a\nOptions=noatime\n');
    expect(planUnitChange('data.mount', before, after).action).toBe('reload');
  });
  it('leaves sockets alone', () => {
    expect(planUnitChange('nix-daemon.socket', unit('[Socket]\nListenStream=/a\n'), unit('[Socket]\nListenStream=/b\n')).action).toBe('none');
  });
  it('starts new units and stops removed ones', () => {
    expect(planUnitChange('new.service', null, svc('')).action).toBe('start');
    expect(planUnitChange('old.service', svc(''), null).action).toBe('stop');
  });
  it('ignores formatting-only differences', () => {
    expect(planUnitChange('a.service', unit('[Service]\nExecStart=/a\n'), unit('# comment\n[Service]\nExecStart = /a\n')).action).toBe('none');
  });
});

describe('unit files', () => {
  it('merge drop-ins over the main unit', () => {
    const merged = mergeUnitFiles([unit('[Service]\nEnvironment=A=1\n'), unit('[Service]\nEnvironment=B=2\n')]);
    expect(merged.get('Service')?.get('Environment')).toEqual(['A=1', 'B=2']);
  });
  it('join continuation lines', () => {
    expect(unit('[Service]\nExecStart=/bin/a \\\n  --flag\n').get('Service')?.get('ExecStart')).toEqual(['/bin/a  --flag']);
  });
});

describe('isStatefulUnit', () => {
  it('knows databases by name and others by StateDirectory=', () => {
    expect(isStatefulUnit('postgresql.service', null)).toBe(true);
    expect(isStatefulUnit('grafana.service', unit('[Service]\nStateDirectory=grafana\n'))).toBe(true);
    expect(isStatefulUnit('homepage.service', unit('[Service]\nDynamicUser=true\n'))).toBe(false);
  });
});
