import { describe, expect, it } from 'vitest';
import { classifyFailure } from './failure-signature.js';
import type { FailedStep, UnitEvidence } from './failed-step.js';

// Real-looking output of switch-to-configuration (switch-to-configuration-ng) and systemd.
const SWITCH_UNITS_FAILED = (unit: string) => `stopping the following units: grafana.service
activating the configuration...
setting up /etc...
reloading user units for root...
restarting sysinit-reactivation.target
reloading the following units: mnt-media.mount
starting the following units: grafana.service
warning: the following units failed: ${unit}

× ${unit}
     Loaded: loaded
     Active: failed (Result: exit-code) since Tue 2025-06-03 02:14:07 UTC; 12ms ago
`;

const NFS_BUSY: UnitEvidence = {
  unit: 'mnt-media.mount',
  journal: [
    'Jun 03 02:14:07 nas systemd[1]: Reloading mnt-media.mount - /mnt/media...',
    'Jun 03 02:14:07 nas mount[48213]: mount.nfs: /mnt/media is busy or already mounted',
    'Jun 03 02:14:07 nas systemd[1]: mnt-media.mount: Mount process exited, code=exited, status=32/n/a',
    'Jun 03 02:14:07 nas systemd[1]: Reload failed for mnt-media.mount - /mnt/media.',
  ],
};

const activation = (over: Partial<Extract<FailedStep, { step: 'activation' }>>): FailedStep => ({ step: 'activation', host: 'node1', action: 'switch', exitCode: 4, timedOut: false, output: '', failedUnits: [], ...over });

describe('classifyFailure: the switch', () => {
  it('reads an NFS mount that refuses a live remount as mount.remount-refused, citing the journal line', () => {
    const failure = classifyFailure(activation({ output: SWITCH_UNITS_FAILED('mnt-media.mount'), failedUnits: [NFS_BUSY] }));
    expect(failure.signature).toBe('mount.remount-refused');
    expect(failure.evidence).toContainEqual({ host: 'node1', unit: 'mnt-media.mount', signal: 'journal', detail: 'Jun 03 02:14:07 nas mount[48213]: mount.nfs: /mnt/media is busy or already mounted' });
    expect(failure.evidence[0]).toEqual({ host: 'node1', signal: 'switch-to-configuration switch exit 4' });
  });

  it("reads umount's 'target is busy' and CIFS mount error(16) the same way", () => {
    const umount = { unit: 'mnt-backup.mount', journal: ['umount: /mnt/backup: target is busy.'] };
    const cifs = { unit: 'mnt-share.mount', journal: ['mount error(16): Device or resource busy', 'Refer to the mount.cifs(8) manual page (e.g. man mount.cifs)'] };
    expect(classifyFailure(activation({ failedUnits: [umount] })).signature).toBe('mount.remount-refused');
    expect(classifyFailure(activation({ failedUnits: [cifs] })).signature).toBe('mount.remount-refused');
  });

  it('reads a port still held by the old unit as switch.port-handover', () => {
    const grafana = { unit: 'grafana.service', journal: ['Jun 03 02:14:07 node1 grafana[1234]: logger=server level=error msg="Server shutdown" error="listen tcp 0.0.0.0:3000: bind: address already in use"'] };
    expect(classifyFailure(activation({ output: SWITCH_UNITS_FAILED('grafana.service'), failedUnits: [grafana] })).signature).toBe('switch.port-handover');
  });

  it('reads a dependency that was not up as unit.dependency-not-ready, and as unit.dependency-order when it names a host this rollout has not reached', () => {
    const vault = {
      unit: 'vaultwarden.service',
      journal: ['Jun 03 02:14:09 node2 vaultwarden[2210]: [ERROR] Error connecting to database: could not connect to server: Connection refused', '\tIs the server running on host "db.home.arpa" (10.0.0.20) and accepting TCP/IP connections on port 5432?'],
    };
    const step = activation({ host: 'node2', failedUnits: [vault] });
    expect(classifyFailure(step).signature).toBe('unit.dependency-not-ready');
    // The refused connection line itself does not name db; the order needs the host in the same line.
    const nfsClient = { unit: 'immich.service', journal: ['immich[311]: Error: connect ECONNREFUSED nas.home.arpa:2049'] };
    const ordered = classifyFailure(activation({ host: 'node2', failedUnits: [nfsClient] }), { pendingHosts: ['node3', 'nas'], aliases: { nas: ['nas.home.arpa'] } });
    expect(ordered).toMatchObject({ signature: 'unit.dependency-order', dependsOn: ['nas'] });
  });

  it('leaves a failed unit with no recognised cause unexplained (switch.units-failed), even beside an explained one', () => {
    const odd = { unit: 'frigate.service', journal: ['frigate[77]: segmentation fault (core dumped)'] };
    const failure = classifyFailure(activation({ failedUnits: [NFS_BUSY, odd] }));
    expect(failure.signature).toBe('switch.units-failed');
    expect(failure.summary).toContain('no known cause for frigate.service');
  });

  it('reads exit 1 with changed switch inhibitors as switch.inhibited, other exit 1 as pre-switch-failed, exit 2 as the activation script', () => {
    const inhibited = 'There are changes to critical components of the system:\n  systemd : 255.6 -> 256.8\nPre-switch check \'switchInhibitors\' failed\n';
    expect(classifyFailure(activation({ exitCode: 1, output: inhibited })).signature).toBe('switch.inhibited');
    expect(classifyFailure(activation({ exitCode: 1, output: 'updating GRUB 2 menu...\ninstalling the GRUB 2 boot loader on /dev/sda...\ngrub-install: error: /boot/grub/i386-pc/modinfo.sh doesn\'t exist.\n' })).signature).toBe('switch.pre-switch-failed');
    expect(classifyFailure(activation({ exitCode: 2, output: "activating the configuration...\nActivation script snippet 'agenix' failed (1)\n" }))).toMatchObject({ signature: 'switch.activation-script-failed', evidence: [{ signal: 'switch-to-configuration switch exit 2' }, { detail: 'activating the configuration...' }, { detail: "Activation script snippet 'agenix' failed (1)" }] });
  });

  it('reads a hung switch as switch.timeout, or as a dependency when it waited on a start job', () => {
    expect(classifyFailure(activation({ exitCode: null, timedOut: true, output: 'activating the configuration...\n' })).signature).toBe('switch.timeout');
    expect(classifyFailure(activation({ exitCode: null, timedOut: true, output: 'A start job is running for /mnt/media (1min 30s / no limit)\n' })).signature).toBe('unit.dependency-not-ready');
  });
});

describe('classifyFailure: reaching the host', () => {
  it('tells an unreachable host before the switch from access lost after it', () => {
    expect(classifyFailure({ step: 'connection', host: 'nas', detail: 'ssh: connect to host 10.0.0.10 port 22: No route to host' }).signature).toBe('host.unreachable');
    expect(classifyFailure({ step: 'confirmation', host: 'nas', detail: 'unreachable over a new connection after the switch' }).signature).toBe('host.lost-access');
  });

  it('reads verification failures by their units, else verification.failed', () => {
    const checks = [{ name: 'failed units', ok: false, detail: 'newly failed: mnt-media.mount', target: 'host nas' }];
    expect(classifyFailure({ step: 'verification', host: 'nas', checks, failedUnits: [NFS_BUSY] }).signature).toBe('mount.remount-refused');
    expect(classifyFailure({ step: 'verification', host: 'nas', checks: [{ name: 'current system', ok: false, detail: 'runs abc-nixos-system' }], failedUnits: [] })).toMatchObject({ signature: 'verification.failed', evidence: [{ signal: 'check current system' }] });
    const invariant = [{ name: 'current system', ok: true, detail: 'runs x' }, { name: 'invariant: grafana', ok: false, detail: 'GET http://nas:3000/: 503 (expected 200)', target: 'host nas' }];
    expect(classifyFailure({ step: 'verification', host: 'nas', checks: invariant, failedUnits: [] })).toMatchObject({ signature: 'invariant.not-ready', step: 'verification', target: { kind: 'host', name: 'nas' } });
  });
});

describe('classifyFailure: invariants and Nomad', () => {
  it('reads an invariant that is not answering yet as invariant.not-ready, a wrong answer as invariant.failed', () => {
    const refused = [{ name: 'invariant: grafana up', ok: false, detail: 'connect ECONNREFUSED 127.0.0.1:3000' }, { name: 'invariant: gateway', ok: false, detail: 'GET http://127.0.0.1/health: 503 (expected 200)' }];
    expect(classifyFailure({ step: 'invariant', checks: refused })).toMatchObject({ signature: 'invariant.not-ready', target: { kind: 'invariant', name: 'grafana up, gateway' } });
    expect(classifyFailure({ step: 'invariant', checks: [{ name: 'invariant: nfs mounted', ok: false, detail: 'exit 1: /mnt/media is not a mountpoint', target: 'host nas' }] })).toMatchObject({ signature: 'invariant.failed', evidence: [{ host: 'nas' }] });
  });

  const alloc = (events: string[], checks: string[] = []) => ({ name: 'web.web[0]', id: '5f0c1a2b-0000-4000-8000-000000000001', node: 'client-1', clientStatus: 'running', healthy: false, events, checks });

  it('reads allocation events: an image pull, a crash, a dependency that was not up', () => {
    const job = (allocations: ReturnType<typeof alloc>[]): FailedStep => ({ step: 'job-deployment', job: 'web', status: 'failed', description: 'Failed due to unhealthy allocations', allocations });
    expect(classifyFailure(job([alloc(['Driver Failure: Failed to pull `ghcr.io/acme/web:2.0`: manifest unknown'])])).signature).toBe('nomad.image-pull-failed');
    expect(classifyFailure(job([alloc(['Terminated: OOM Killed', 'Restarting: Exceeded allowed attempts 2 in interval 30m0s'])])).signature).toBe('nomad.deployment-failed');
    const waiting = classifyFailure(job([alloc(['Template: Missing: service.postgres'], ['check "http" critical: dial tcp 10.0.0.5:8080: connect: connection refused'])]));
    expect(waiting).toMatchObject({ signature: 'nomad.dependency-not-ready', target: { kind: 'job', name: 'web' } });
    expect(waiting.evidence).toContainEqual({ job: 'web', signal: 'allocation web.web[0] on client-1', detail: 'Template: Missing: service.postgres' });
    // Its own check refusing connections: the task is not listening; waiting explains nothing.
    expect(classifyFailure(job([alloc(['Started: Task started by client'], ['check "http" critical: dial tcp: connection refused'])])).signature).toBe('nomad.deployment-failed');
    expect(classifyFailure(job([alloc(['Started: Task started by client'], ['check "http" critical: HTTP GET http://10.0.0.5:8080/: 500 Internal Server Error'])])).signature).toBe('nomad.deployment-failed');
  });
});
