#!/bin/sh
# Fixture switch-to-configuration: mimics NixOS's own (actions, output format, exit codes) on a
# FIXTURE host whose root is $NIXOS_FIXTURE_ROOT. It never touches the real machine.
#   actions: switch | boot | test | dry-activate | check
#   exit codes: 0 ok; 1 pre-switch check failed or usage; 2 activation failed;
#               4 units failed after the switch; 100 reboot required (init interface changed)
#   faults: $root/etc/fixture/<action>.exit (an exit code), <action>.hang (sleeps),
#           <action>.wait (the switch waits until $root/etc/fixture/release exists: a test holds
#           a switch open at a known state, e.g. to step the clock mid-switch),
#           failed-units (unit names that "fail" after a switch), cut-access (the switched system
#           is unreachable: $root/run/unreachable, as if sshd or the network broke).
#   Faults are one-shot: each is consumed when it fires, so that the rollback (which runs the
#   previous generation's own switch-to-configuration) is not hit by the fault that caused it.
#   Live state it keeps, like a running system: run/current-system, boot/default-system,
#   run/failed-units (units failed after the last switch), run/mounts (what is mounted, in fstab
#   format: local mounts are remounted with new options, network ones keep their old options).
set -u
out="@out@"
action="${1:-}"
root="${NIXOS_FIXTURE_ROOT:-}"
if [ -z "$root" ]; then
  echo "switch-to-configuration (example homelab fixture): NIXOS_FIXTURE_ROOT is not set; refusing to touch this machine" >&2
  exit 1
fi
case "$action" in
  switch|boot|test|dry-activate|check) ;;
  *) echo "Usage: $0 [switch|boot|test|dry-activate|check]" >&2; exit 1 ;;
esac

current="$(readlink "$root/run/current-system" 2>/dev/null || true)"
mkdir -p "$root/var/log" "$root/etc/fixture" "$root/run"
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $action $out" >> "$root/var/log/switch-to-configuration.log"
take_fault() { [ -e "$root/etc/fixture/$1" ] || return 1; cat "$root/etc/fixture/$1"; rm -f "$root/etc/fixture/$1"; }
take_fault "$action.hang" >/dev/null && sleep 3600
if take_fault "$action.wait" >/dev/null; then while [ ! -e "$root/etc/fixture/release" ]; do sleep 0.05; done; fi
code="$(take_fault "$action.exit" || echo 0)"
if [ "$code" = 1 ] && [ "$action" != dry-activate ]; then echo "Pre-switch check 'fixture' failed" >&2; exit 1; fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for list in stop start restart reload skip swap; do : > "$work/$list"; done

# --- Pre-switch check: switch inhibitors (keys present in both maps whose values differ). ---
check_inhibitors() {
  [ "${NIXOS_NO_CHECK:-}" = 1 ] && return 0
  [ -n "$current" ] && [ -f "$current/switch-inhibitors" ] && [ -f "$out/switch-inhibitors" ] || return 0
  tr -d '{}"' < "$current/switch-inhibitors" | tr ',' '\n' | sort > "$work/inh.old"
  tr -d '{}"' < "$out/switch-inhibitors" | tr ',' '\n' | sort > "$work/inh.new"
  changed=""
  while IFS=: read -r key old; do
    [ -n "$key" ] || continue
    new="$(grep "^$key:" "$work/inh.new" | cut -d: -f2-)"
    if [ -n "$new" ] && [ "$new" != "$old" ]; then changed="$changed  $key : $old -> $new\n"; fi
  done < "$work/inh.old"
  if [ -n "$changed" ]; then
    echo "There are changes to critical components of the system:" >&2
    printf "$changed" >&2
    echo "Pre-switch check 'switchInhibitors' failed" >&2
    return 1
  fi
}

if [ "$action" != boot ] && [ "$action" != dry-activate ]; then
  check_inhibitors || exit 1
fi
[ "$action" = check ] && exit 0

# --- Unit plan: compare the current and the new unit files (only when a system is running). ---
unit_key_absent() { ! grep -q "^$2" "$1"; }
if [ -n "$current" ]; then
  old_units="$current/etc/systemd/system"
  new_units="$out/etc/systemd/system"
  { ls "$old_units"; ls "$new_units"; } 2>/dev/null | sort -u | grep -v '\.target$' > "$work/units"
  while read -r unit; do
    old="$old_units/$unit"; new="$new_units/$unit"
    if [ ! -e "$new" ]; then echo "$unit" >> "$work/stop"; continue; fi
    if [ ! -e "$old" ]; then echo "$unit" >> "$work/start"; continue; fi
    cmp -s "$old" "$new" && continue
    if grep -q '^X-RestartIfChanged=false' "$new"; then echo "$unit" >> "$work/skip"; continue; fi
    grep -v '^X-Reload-Triggers=' "$old" > "$work/o"; grep -v '^X-Reload-Triggers=' "$new" > "$work/n"
    if cmp -s "$work/o" "$work/n" || grep -q '^X-ReloadIfChanged=true' "$new"; then echo "$unit" >> "$work/reload"; continue; fi
    case "$unit" in *.socket|*.slice) continue ;; esac
    case "$unit" in
      *.service) if unit_key_absent "$new" 'X-StopIfChanged=false'; then echo "$unit" >> "$work/stop"; echo "$unit" >> "$work/start"; else echo "$unit" >> "$work/restart"; fi ;;
      *) echo "$unit" >> "$work/restart" ;;
    esac
  done < "$work/units"

  # fstab is compared on its own: options only -> reload (remount); device or type -> restart.
  fstab_entries() { grep -v '^#' "$1/etc/fstab" 2>/dev/null | awk 'NF >= 4 { print $2 "\t" $1 "\t" $3 "\t" $4 }'; }
  fstab_entries "$current" | sort > "$work/fs.old"
  fstab_entries "$out" | sort > "$work/fs.new"
  mount_unit() { if [ "$1" = / ]; then echo -- "-.mount"; else echo "$1" | sed 's|^/||; s|-|\\x2d|g; s|/|-|g; s|$|.mount|'; fi; }
  while IFS="$(printf '\t')" read -r mp dev type opts; do
    line="$(awk -F'\t' -v mp="$mp" '$1 == mp' "$work/fs.new")"
    if [ "$type" = swap ]; then
      grep -q "	$dev	swap" "$work/fs.new" || echo "$dev" >> "$work/swap"
      continue
    fi
    if [ -z "$line" ]; then mount_unit "$mp" >> "$work/stop"; continue; fi
    ndev="$(echo "$line" | cut -f2)"; ntype="$(echo "$line" | cut -f3)"; nopts="$(echo "$line" | cut -f4)"
    if [ "$ndev" != "$dev" ] || [ "$ntype" != "$type" ]; then mount_unit "$mp" >> "$work/restart"
    elif [ "$nopts" != "$opts" ]; then mount_unit "$mp" >> "$work/reload"; fi
  done < "$work/fs.old"
  while IFS="$(printf '\t')" read -r mp dev type opts; do
    [ "$type" = swap ] && continue
    awk -F'\t' -v mp="$mp" '$1 == mp { found = 1 } END { exit !found }' "$work/fs.old" || mount_unit "$mp" >> "$work/start"
  done < "$work/fs.new"

  restart_systemd=""
  if [ "$(readlink "$current/systemd")" != "$(readlink "$out/systemd")" ] || ! cmp -s "$current/etc/systemd/system.conf" "$out/etc/systemd/system.conf"; then
    restart_systemd=1
  fi
else
  restart_systemd=""
  ls "$out/etc/systemd/system" | grep -v '\.target$' > "$work/start"
fi

joined() { sort -u "$work/$1" | awk 'BEGIN { ORS = "" } { if (NR > 1) print ", "; print }'; }
section() { if [ -s "$work/$2" ]; then echo "$1 $(joined "$2")" >&2; fi; }

if [ "$action" = dry-activate ]; then
  [ "$code" != 0 ] && { echo "dry-activate failed (fixture fault)" >&2; exit "$code"; }
  [ -s "$work/swap" ] && while read -r dev; do echo "would stop swap device: $dev" >&2; done < "$work/swap"
  section "would stop the following units:" stop
  section "would NOT stop the following changed units:" skip
  echo "would activate the configuration..." >&2
  [ -n "$restart_systemd" ] && echo "would restart systemd" >&2
  section "would reload the following units:" reload
  section "would restart the following units:" restart
  section "would start the following units:" start
  exit 0
fi

if [ -n "$current" ] && [ "$(cat "$current/init-interface-version" 2>/dev/null)" != "$(cat "$out/init-interface-version")" ] && [ "$action" != boot ]; then
  [ "$action" = switch ] && mkdir -p "$root/boot" && ln -sfn "$out" "$root/boot/default-system"
  echo "Warning: the new NixOS configuration has an ‘init’ that is" >&2
  echo "incompatible with the current configuration.  The new configuration" >&2
  echo "won't take effect until you reboot the system." >&2
  exit 100
fi

if [ "$action" = switch ] || [ "$action" = boot ]; then
  mkdir -p "$root/boot" && ln -sfn "$out" "$root/boot/default-system"
  echo "updating GRUB 2 menu..." >&2
fi
[ "$action" = boot ] && exit "$code"

[ -s "$work/swap" ] && while read -r dev; do echo "stopping swap device: $dev" >&2; done < "$work/swap"
section "stopping the following units:" stop
section "NOT restarting the following changed units:" skip
echo "activating the configuration..." >&2
if [ "$code" = 2 ]; then echo "Activation script snippet 'fixture' failed (1)" >&2; exit 2; fi
ln -sfn "$out" "$root/run/current-system"
if take_fault cut-access >/dev/null; then : > "$root/run/unreachable"; else rm -f "$root/run/unreachable"; fi
# Live mounts: local filesystems are remounted with their new options; a network filesystem
# keeps the options it was mounted with (a remount may succeed without effect: reboot).
if [ -f "$root/run/mounts" ]; then
  grep -v '^#' "$out/etc/fstab" | awk 'NF >= 4 && $3 != "swap"' > "$work/mounts.new"
  awk -v live="$root/run/mounts" 'BEGIN { while ((getline l < live) > 0) { split(l, f, " "); old[f[2]] = l; type[f[2]] = f[3] } }
    { if (($2 in old) && type[$2] ~ /^(nfs|nfs4|cifs|smb3|sshfs)$/) print old[$2]; else print $1, $2, $3, $4, 0, 0 }' "$work/mounts.new" > "$work/mounts.live"
  cat "$work/mounts.live" > "$root/run/mounts"
fi
[ -n "$restart_systemd" ] && echo "restarting systemd..." >&2
section "reloading the following units:" reload
section "restarting the following units:" restart
section "starting the following units:" start
failed="$(take_fault failed-units || true)"
[ "$code" = 4 ] && [ -z "$failed" ] && failed="fixture-fault.service"
if [ -n "$failed" ]; then
  echo "$failed" | sort -u > "$root/run/failed-units"
  echo "warning: the following units failed: $(echo "$failed" | sort -u | awk 'BEGIN { ORS = "" } { if (NR > 1) print ", "; print }')" >&2
  exit 4
fi
rm -f "$root/run/failed-units"
exit "$code"
