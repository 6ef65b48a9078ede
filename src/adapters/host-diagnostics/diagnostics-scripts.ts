// The shell scripts behind HostDiagnostics (pure, tested for their exact text). A real host (root
// `/`) asks systemd and journald; a fixture host keeps the same facts in files under its root:
// run/failed-units, var/log/journal/<unit>.log, and var/log/restarts.log for what was restarted.
import { q } from '../nixos-host/host-commands.js';

const under = (root: string, p: string) => `${root.replace(/\/+$/, '')}${p}`;

export function failedUnitsScript(root: string): string {
  return root === '/'
    ? "systemctl list-units --state=failed --plain --no-legend --no-pager 2>/dev/null | awk '{ print $1 }'"
    : `cat ${q(under(root, '/run/failed-units'))} 2>/dev/null || true`;
}

/** `unit` is already checked against UNIT_NAME; `lines` is an integer. */
export function journalScript(root: string, unit: string | undefined, lines: number): string {
  const n = String(Math.max(1, Math.floor(lines)));
  if (root === '/') {
    const which = unit ? `-u ${q(unit)}` : '';
    return `journalctl ${which} -p err -n ${n} --no-pager -o short-iso --since -6h 2>/dev/null || true`;
  }
  const dir = under(root, '/var/log/journal');
  return unit ? `tail -n ${n} ${q(`${dir}/${unit}.log`)} 2>/dev/null || true` : `cat ${q(dir)}/*.log 2>/dev/null | sort | tail -n ${n} || true`;
}

/**
 * Restarts a unit and says whether it is active afterwards. A fixture host records the restart and
 * clears the unit from run/failed-units, unless etc/fixture/restart-fails names the unit.
 */
export function restartUnitScript(root: string, unit: string): string {
  if (root === '/') return `systemctl restart ${q(unit)}; rc=$?; echo "active=$(systemctl is-active ${q(unit)} 2>/dev/null)"; exit $rc`;
  const failed = under(root, '/run/failed-units');
  const fails = under(root, '/etc/fixture/restart-fails');
  return [
    `mkdir -p ${q(under(root, '/var/log'))}`,
    `echo "$(date +%s%N) restart ${unit}" >> ${q(under(root, '/var/log/restarts.log'))}`,
    `if grep -qxF ${q(unit)} ${q(fails)} 2>/dev/null; then echo "active=failed"; exit 1; fi`,
    `if [ -e ${q(failed)} ]; then grep -vxF ${q(unit)} ${q(failed)} > ${q(`${failed}.tmp`)}; mv ${q(`${failed}.tmp`)} ${q(failed)}; fi`,
    'echo "active=active"',
  ].join('\n');
}

/** Which NixOS generation runs and which one booted (same paths on a real and a fixture host). */
export function systemScript(root: string): string {
  // `readlink -f` prints a path even when it does not exist: only an existing link counts.
  return ['current-system', 'booted-system'].map((l) => `p=${q(under(root, `/run/${l}`))}; [ -e "$p" ] && echo "${l}=$(readlink -f "$p")"`).join('\n') + '\ntrue';
}
