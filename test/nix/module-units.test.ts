// The NixOS module's agent units: evaluated with Nix (against a stub of nixpkgs' lib, which
// cannot be fetched here), written as NixOS writes unit files, and checked by
// `systemd-analyze verify`, which must have nothing to say about them.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { describeWithNix } from '../helpers/nix.js';
import { renderService, renderTimer, type ServiceDef, type TimerDef } from './render-units.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-module-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// A stand-in package: systemd-analyze checks that ExecStart's program exists and is executable.
const pkg = path.join(dir, 'steward-pkg');
mkdirSync(path.join(pkg, 'bin'), { recursive: true });
writeFileSync(path.join(pkg, 'bin', 'steward'), '#!/bin/sh\nexit 0\n');
chmodSync(path.join(pkg, 'bin', 'steward'), 0o755);

interface Evaluated {
  services: Record<string, ServiceDef>;
  timers: Record<string, TimerDef>;
  users: { users?: Record<string, { isSystemUser?: boolean; group?: string }>; groups?: Record<string, unknown> };
}

function evaluate(settings: Record<string, unknown>): Evaluated {
  const out = execFileSync(
    'nix-instantiate',
    ['--eval', '--strict', '--json', path.join(root, 'test/nix/eval-module.nix'), '--arg', 'modulePath', path.join(root, 'nix/module.nix'), '--argstr', 'packagePath', pkg, '--argstr', 'settingsJson', JSON.stringify({ services: { steward: settings } })],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return JSON.parse(out) as Evaluated;
}

function verify(files: Record<string, string>): { status: number | null; output: string } {
  const unitDir = mkdtempSync(path.join(dir, 'units-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(unitDir, name), text);
  const result = spawnSync('systemd-analyze', ['verify', '--man=no', ...Object.keys(files).map((f) => path.join(unitDir, f))], { encoding: 'utf8', env: { ...process.env, SYSTEMD_LOG_COLOR: '0' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;
const ALL = { enable: true, serve: { enable: true, listen: '127.0.0.1:9447' }, check: { enable: true, onCalendar: '*:0/30' }, onFailure: { enable: true, units: ['postgresql', 'nomad', 'steward-check'] }, credentials: { GITHUB_TOKEN: '/run/secrets/steward-github-token', STEWARD_ALERTMANAGER_TOKEN: '/run/secrets/am-token' } };

describeWithNix('nix/module.nix: the agent units', () => {
  it('defines the serve service, the check service and timer, the on-failure template and OnFailure= on the chosen units', () => {
    const { services, timers, users } = evaluate(ALL);
    expect(Object.keys(services).sort()).toEqual(['nomad', 'postgresql', 'steward-check', 'steward-on-failure@', 'steward-serve']);
    expect(Object.keys(timers)).toEqual(['steward-check']);
    expect(services.postgresql).toEqual({ onFailure: ['steward-on-failure@%n.service'] });
    expect(services['steward-serve']!.serviceConfig).toMatchObject({
      ExecStart: `${pkg}/bin/steward serve --workers 2 --repo /var/lib/steward/homelab --listen 127.0.0.1:9447`,
      User: 'steward',
      StateDirectory: 'steward',
      LoadCredential: ['GITHUB_TOKEN:/run/secrets/steward-github-token', 'STEWARD_ALERTMANAGER_TOKEN:/run/secrets/am-token'],
      NoNewPrivileges: true,
      ProtectSystem: 'strict',
    });
    expect(services['steward-on-failure@']!.serviceConfig!.ExecStart).toBe(`${pkg}/bin/steward on-failure %i --repo /var/lib/steward/homelab`);
    // An escalation (exit 10) is the check's job done; Steward's own units never start an investigation of themselves.
    expect(services['steward-check']!.serviceConfig!.SuccessExitStatus).toEqual([10]);
    expect(services['steward-check']!.onFailure).toBeUndefined();
    expect(users.users?.steward).toMatchObject({ isSystemUser: true, group: 'steward' });
  });

  it('defines no agent unit unless asked', () => {
    const { services, timers } = evaluate({ enable: true });
    expect([Object.keys(services), Object.keys(timers)]).toEqual([[], []]);
  });

  describe.skipIf(!hasSystemdAnalyze)('systemd-analyze verify', () => {
    it('has nothing to say about the generated unit files', () => {
      const { services, timers } = evaluate(ALL);
      const files: Record<string, string> = {
        'steward-serve.service': renderService(services['steward-serve']!),
        'steward-check.service': renderService(services['steward-check']!),
        'steward-check.timer': renderTimer(timers['steward-check']!),
        'steward-on-failure@.service': renderService(services['steward-on-failure@']!),
        // A unit of the host with OnFailure= pointing at the template (its own settings are the host's).
        'postgresql.service': renderService({ ...services.postgresql, description: 'PostgreSQL', serviceConfig: { ExecStart: `${pkg}/bin/steward` } }),
      };
      expect(verify(files)).toEqual({ status: 0, output: '' });
    });

    it('would say so about a unit it does not accept (the check can fail)', () => {
      const { services } = evaluate(ALL);
      const broken = renderService({ ...services['steward-serve']!, serviceConfig: { ...services['steward-serve']!.serviceConfig, ProtectSystem: 'sometimes', NoSuchKey: 'x' } });
      const result = verify({ 'steward-serve.service': broken });
      expect(result.output).toMatch(/NoSuchKey/);
      expect(result.output).toMatch(/protect system value.*sometimes/);
    });
  });
});

if (!hasSystemdAnalyze) console.warn('SKIPPED: systemd-analyze is not installed (apt-get install systemd): the unit files of nix/module.nix were not verified');
