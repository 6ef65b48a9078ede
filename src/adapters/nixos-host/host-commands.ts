// The shell scripts Steward runs on a NixOS host (pure builders, tested for their exact text).
// A real host (root `/`) uses NixOS's own paths, systemd-run and systemctl; a fixture host (any
// other root) keeps the same files under its root and uses background processes instead.
import type { ActivationAction, GuardSpec } from '../../ports/host.js';

export interface HostLayout {
  root: string;
  fixture: boolean;
  profile: string;
  currentSystem: string;
  bootedSystem: string;
  /** Fixture hosts keep the bootloader's choice in boot/default-system; real ones in the profile. */
  bootDefault: string;
  stateDir: string;
}

/** Single-quotes a word for sh. */
export function q(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function hostLayout(root: string, profile = '/nix/var/nix/profiles/system'): HostLayout {
  const fixture = root !== '/';
  const at = (p: string) => (fixture ? `${root.replace(/\/+$/, '')}${p}` : p);
  return {
    root,
    fixture,
    profile: at(profile),
    currentSystem: at('/run/current-system'),
    bootedSystem: at('/run/booted-system'),
    bootDefault: fixture ? at('/boot/default-system') : at(profile),
    stateDir: at('/var/lib/steward'),
  };
}

/** Makes switch-to-configuration of a fixture toplevel act on the fixture root (and nowhere else). */
function env(layout: HostLayout): string {
  return layout.fixture ? `NIXOS_FIXTURE_ROOT=${q(layout.root)}; export NIXOS_FIXTURE_ROOT\n` : '';
}

const guardPath = (layout: HostLayout, id: string) => `${layout.stateDir}/guards/${id}`;

export function readStateScript(layout: HostLayout): string {
  const bootId = layout.fixture ? `cat ${q(`${layout.root}/run/boot-id`)} 2>/dev/null` : 'cat /proc/sys/kernel/random/boot_id 2>/dev/null';
  return [
    'r() { readlink -f "$1" 2>/dev/null || true; }',
    `echo "current=$(r ${q(layout.currentSystem)})"`,
    `echo "booted=$(r ${q(layout.bootedSystem)})"`,
    `echo "profile=$(r ${q(layout.profile)})"`,
    `echo "bootDefault=$(r ${q(layout.bootDefault)})"`,
    `echo "bootId=$(${bootId})"`,
  ].join('\n');
}

export function setProfileScript(layout: HostLayout, toplevel: string): string {
  return `mkdir -p ${q(layout.profile.slice(0, layout.profile.lastIndexOf('/')))}\nnix-env -p ${q(layout.profile)} --set ${q(toplevel)}`;
}

/**
 * Runs switch-to-configuration. On a real host the switch runs in its own transient unit (as
 * nixos-rebuild does), so that a dropped SSH connection cannot kill it halfway. With a guard, the
 * `switching` and `switched` markers tell the guard when its confirmation window starts.
 */
export function activateScript(layout: HostLayout, toplevel: string, action: ActivationAction, guardId?: string): string {
  const bin = q(`${toplevel}/bin/switch-to-configuration`);
  const direct = `${bin} ${action}`;
  const command =
    layout.fixture || action === 'dry-activate'
      ? direct
      : `if command -v systemd-run >/dev/null 2>&1; then systemd-run -E LOCALE_ARCHIVE -E NIXOS_INSTALL_BOOTLOADER --collect --no-ask-password --pipe --quiet --service-type=exec --unit=${q(`steward-${action}-${unitSuffix(toplevel)}`)} --wait ${direct}; else ${direct}; fi`;
  if (!guardId) return `exec 2>&1\n${env(layout)}${command}`;
  const s = q(guardPath(layout, guardId));
  return [
    `exec 2>&1`,
    `${env(layout)}mkdir -p ${q(`${layout.stateDir}/guards`)}`,
    `: > ${s}.switching`,
    // The marker first, then the check: a guard that fires after this line sees the switch and
    // waits for its end, so a rollback never runs beside a switch.
    `if [ ! -e ${s}.armed ]; then rm -f ${s}.switching; echo '${GUARD_FIRED_BEFORE_SWITCH}'; exit ${GUARD_FIRED_EXIT}; fi`,
    command,
    'code=$?',
    `${UPTIME_SECONDS} > ${s}.switched`,
    `rm -f ${s}.switching`,
    'exit $code',
  ].join('\n');
}

/** `abc123…-nixos-system-x` -> the hash part, enough to name a transient unit. */
function unitSuffix(toplevel: string): string {
  return (toplevel.split('/').pop() ?? 'system').slice(0, 12);
}

/** Seconds since boot, from the kernel's monotonic clock (Linux). */
const UPTIME_SECONDS = 'cut -d. -f1 /proc/uptime';
/** What an activation prints, and its exit code, when its guard fired before the switch began. */
export const GUARD_FIRED_BEFORE_SWITCH = 'steward: the rollback guard fired before the switch began; not switching';
export const GUARD_FIRED_EXIT = 3;

/** The guard itself: runs on the host when its timer fires. */
export function guardScript(layout: HostLayout, guard: GuardSpec): string {
  const s = q(guardPath(layout, guard.id));
  const poll = layout.fixture ? '0.1' : '1';
  return [
    '#!/bin/sh',
    `# Steward rollback guard ${guard.id}: armed before a ${guard.action}; returns the host to`,
    `# ${guard.previous} unless a confirmation over a new connection disarms it first.`,
    layout.fixture ? '' : 'export PATH=/run/current-system/sw/bin:/nix/var/nix/profiles/default/bin:$PATH',
    // Monotonic seconds (uptime), never the wall clock: an NTP step must not fire the guard.
    `now() { ${UPTIME_SECONDS}; }`,
    `deadline=$(( $(now) + ${Math.ceil(guard.activationSeconds)} ))`,
    // The window counts from the switch, not from the arming: a slow pre-switch step (copy,
    // profile, a loaded host) must not let the guard roll back a switch that has not begun.
    `while [ -e ${s}.armed ] && [ ! -e ${s}.switching ] && [ ! -e ${s}.switched ] && [ "$(now)" -lt "$deadline" ]; do sleep ${poll}; done`,
    `while [ -e ${s}.switching ] && [ "$(now)" -lt "$deadline" ]; do sleep ${poll}; done`,
    `if [ -e ${s}.switched ]; then`,
    `  until=$(( $(cat ${s}.switched) + ${Math.ceil(guard.confirmSeconds)} ))`,
    `  while [ -e ${s}.armed ] && [ "$(now)" -lt "$until" ]; do sleep ${poll}; done`,
    'fi',
    `mv ${s}.armed ${s}.fired 2>/dev/null || exit 0`,
    // A switch that began just before the guard fired runs to its end first.
    `while [ -e ${s}.switching ] && [ "$(now)" -lt "$deadline" ]; do sleep ${poll}; done`,
    `${env(layout)}nix-env -p ${q(layout.profile)} --set ${q(guard.previous)} > ${s}.log 2>&1 && ${q(`${guard.previous}/bin/switch-to-configuration`)} ${guard.action} >> ${s}.log 2>&1`,
    `echo $? > ${s}.rolled-back`,
  ]
    .filter((l) => l !== '')
    .join('\n');
}

/** Writes the guard and starts its timer: `systemd-run --on-active` on a real host, a background sleep in a fixture. */
export function armGuardScript(layout: HostLayout, guard: GuardSpec): string {
  const s = guardPath(layout, guard.id);
  const seconds = Math.ceil(guard.confirmSeconds);
  const timer = layout.fixture
    ? `setsid sh -c ${q(`sleep ${seconds}; exec sh ${q(`${s}.sh`)}`)} </dev/null >/dev/null 2>&1 &\necho $! > ${q(`${s}.pid`)}`
    : `systemd-run --unit=${q(`steward-guard-${guard.id}`)} --description='Steward rollback guard' --on-active=${seconds}s --timer-property=AccuracySec=1s /bin/sh ${q(`${s}.sh`)}`;
  return [`set -e`, `mkdir -p ${q(`${layout.stateDir}/guards`)}`, `cat > ${q(`${s}.sh`)} <<'STEWARD_GUARD'`, guardScript(layout, guard), 'STEWARD_GUARD', `: > ${q(`${s}.armed`)}`, timer].join('\n');
}

/** Disarms: `confirmed` (the proof of a new connection) or `disarmed` (Steward rolls back itself). Prints the guard's state. */
export function disarmGuardScript(layout: HostLayout, id: string, as: 'confirmed' | 'disarmed'): string {
  const s = q(guardPath(layout, id));
  const stop = layout.fixture
    ? `pid="$(cat ${s}.pid 2>/dev/null)"; if [ -n "$pid" ]; then kill -TERM -"$pid" 2>/dev/null || true; fi`
    : `systemctl stop ${q(`steward-guard-${id}.timer`)} ${q(`steward-guard-${id}.service`)} 2>/dev/null || true`;
  return `if mv ${s}.armed ${s}.${as} 2>/dev/null; then ${stop}; echo ${as}; exit 0; fi\n${guardStateScript(layout, id)}`;
}

export function guardStateScript(layout: HostLayout, id: string): string {
  const s = q(guardPath(layout, id));
  return ['rolled-back', 'fired', 'armed', 'confirmed', 'disarmed'].map((state) => `if [ -e ${s}.${state} ]; then echo ${state}; exit 0; fi`).join('\n') + '\necho unknown';
}

export function failedUnitsScript(layout: HostLayout): string {
  return layout.fixture
    ? `cat ${q(`${layout.root}/run/failed-units`)} 2>/dev/null || true`
    : "systemctl list-units --state=failed --plain --no-legend --no-pager 2>/dev/null | awk '{ print $1 }'";
}

export const NO_MOUNT_TABLE = '__steward_no_mount_table__';

export function liveMountsScript(layout: HostLayout): string {
  return layout.fixture ? `cat ${q(`${layout.root}/run/mounts`)} 2>/dev/null || echo ${NO_MOUNT_TABLE}` : `cat /proc/self/mounts 2>/dev/null || echo ${NO_MOUNT_TABLE}`;
}

/**
 * Starts a reboot that outlives the connection. A fixture host goes away (run/unreachable), then
 * boots its boot default after `etc/fixture/reboot-seconds` (0.3 s by default): booted and
 * current system, live mounts from its fstab, no failed units, a new boot id.
 */
export function rebootScript(layout: HostLayout): string {
  if (!layout.fixture) return `systemd-run --on-active=1 --unit=steward-reboot-$(date +%s) systemctl reboot`;
  const r = layout.root.replace(/\/+$/, '');
  const boot = [
    `d="$(readlink ${q(`${r}/boot/default-system`)})"`,
    `ln -sfn "$d" ${q(`${r}/run/booted-system`)}`,
    `ln -sfn "$d" ${q(`${r}/run/current-system`)}`,
    `grep -v '^#' "$d/etc/fstab" | awk 'NF >= 4 && $3 != "swap" { print $1, $2, $3, $4, 0, 0 }' > ${q(`${r}/run/mounts`)}`,
    `rm -f ${q(`${r}/run/failed-units`)}`,
    `cat /proc/sys/kernel/random/uuid > ${q(`${r}/run/boot-id`)}`,
    `echo "$(date +%s%N) up" >> ${q(`${r}/var/log/reboots.log`)}`,
    `rm -f ${q(`${r}/run/unreachable`)}`,
  ].join('\n');
  return [
    `mkdir -p ${q(`${r}/var/log`)} ${q(`${r}/var/lib/steward`)}`,
    `cat > ${q(`${r}/var/lib/steward/fixture-boot.sh`)} <<'STEWARD_BOOT'`,
    `sleep "$(cat ${q(`${r}/etc/fixture/reboot-seconds`)} 2>/dev/null || echo 0.3)"`,
    boot,
    'STEWARD_BOOT',
    `echo "$(date +%s%N) down" >> ${q(`${r}/var/log/reboots.log`)}`,
    `: > ${q(`${r}/run/unreachable`)}`,
    `setsid sh ${q(`${r}/var/lib/steward/fixture-boot.sh`)} </dev/null >/dev/null 2>&1 &`,
  ].join('\n');
}

export function readFileScript(path: string): string {
  return `[ -e ${q(path)} ] || exit 3\ncat ${q(path)}`;
}

export function resolveScript(path: string): string {
  return `readlink -f ${q(path)} || exit 3`;
}

export function runScript(argv: string[]): string {
  return `exec 2>&1\nexec ${argv.map(q).join(' ')}`;
}

/**
 * The fixture's stand-in for a refused connection: a fixture host whose switched system "broke
 * sshd" has run/unreachable, and every new connection to it fails like ssh does (exit 255).
 */
export function fixtureConnectionGate(root: string): string {
  if (root === '/') return '';
  return `if [ -e ${q(`${root.replace(/\/+$/, '')}/run/unreachable`)} ]; then echo '${UNREACHABLE_MARK}' >&2; exit 255; fi\n`;
}

export const UNREACHABLE_MARK = 'connect to host: Connection refused (fixture host unreachable)';
