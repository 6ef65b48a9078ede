// What failures look like in the text NixOS, systemd, mount(8) and Nomad print. Each pattern is
// a class of real messages (NIXOS-FACTS.md; util-linux, nfs-utils, cifs-utils, systemd, Docker),
// so that a line can be matched without trusting anything else it says.

/**
 * A mount that cannot be changed live: umount's "target is busy", mount's "already mounted or
 * mount point busy", CIFS "mount error(16)", NFS refusing new options on a remount, systemd's
 * "Failed to remount".
 */
export const MOUNT_REFUSED = /target is busy|device or resource busy|(?:is busy or )?already mounted(?: or mount point busy)?|mount point busy|mount error\(16\)|remount(?:ing)? (?:failed|refused|is not supported)|failed to remount|cannot remount|incorrect mount option was specified/i;

/** The old unit still held the port or lock when the new one started (a handover on switch). */
export const PORT_IN_USE = /address already in use|EADDRINUSE|bind\(\) to \S+ failed \(98/i;

/** Something the unit needs was not up yet: a connection, a name, a dependency unit. */
export const NOT_READY =
  /connection refused|ECONNREFUSED|no route to host|network is unreachable|temporary failure in name resolution|could not resolve|name or service not known|dependency failed for|not (?:yet )?ready|service unavailable|(?:HTTP\S*|status|code|:)\s*50[234]\b|a start job is running for|timed out waiting for|connection timed out/i;

/** switch-to-configuration's pre-switch check on switch inhibitors (NIXOS-FACTS.md). */
export const SWITCH_INHIBITED = /Pre-switch check 'switchInhibitors' failed|There are changes to critical components of the system/;

/**
 * A Nomad task waiting on something else: a template whose Consul service or key is missing
 * (`Missing: service.postgres`), or a dependency named as failed. A job's OWN check refusing
 * connections is not this: its task is not listening, which waiting does not explain.
 */
export const NOMAD_DEPENDENCY = /Missing: (?:\S+\.)?(?:service|kv|nomad\.service|nomad\.var)\.|dependency failed|waiting for (?:service|dependency)/i;

/** A Nomad task that could not get its image (Docker and Podman drivers). */
export const IMAGE_PULL = /failed to pull|image pull|pull access denied|manifest unknown|manifest for \S+ not found|ErrImagePull|repository does not exist/i;

/** A Nomad task that crashed or was killed: the job itself is wrong, waiting will not help. */
export const TASK_CRASHED = /OOM Killed|out of memory|Exit Code: (?!0\b)\d+|Failed Validation|Template failed|missing key|Task hook failed|Driver Failure/i;

/** The lines of `texts` that match, trimmed and bounded, without repeats. */
export function matchingLines(texts: string[], pattern: RegExp, limit = 3): string[] {
  const out: string[] = [];
  for (const line of texts.flatMap((t) => t.split('\n'))) {
    const trimmed = line.replace(/\x1b\[[0-9;]*m/g, '').trim();
    if (!trimmed || !pattern.test(trimmed) || out.includes(trimmed)) continue;
    out.push(trimmed.slice(0, 300));
    if (out.length >= limit) break;
  }
  return out;
}

/** Whether any line names one of `names` as a word (a host name, FQDN or address). */
export function mentions(lines: string[], names: string[]): boolean {
  return names.some((name) => {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(`(^|[^A-Za-z0-9-])${escaped}([^A-Za-z0-9-]|$)`, 'i');
    return lines.some((l) => re.test(l));
  });
}
