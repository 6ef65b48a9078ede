# Renders systemd.services/timers into unit files, one derivation per unit, the way NixOS does
# (X-Restart-Triggers, X-Reload-Triggers, X-ReloadIfChanged, X-RestartIfChanged, X-StopIfChanged).
{ config, pkgs, lib, ... }:
let
  cfg = config.systemd;
  line = k: v: "${k}=${lib.toStr v}\n";
  lines = k: vs: lib.optionalString (vs != [ ]) (line k (builtins.concatStringsSep " " (map toString vs)));

  serviceText = name: s:
    let
      execStart = if s ? script then "${pkgs.writeShellScript "unit-script-${name}-start" s.script}" else s.serviceConfig.ExecStart;
      serviceConfig = builtins.removeAttrs (s.serviceConfig or { }) [ "ExecStart" ];
      env = s.environment or { };
    in
    "[Unit]\n"
    + line "Description" (s.description or name)
    + lines "After" (s.after or [ ])
    + lines "Requires" (s.requires or [ ])
    + lines "X-Restart-Triggers" (s.restartTriggers or [ ])
    + lines "X-Reload-Triggers" (s.reloadTriggers or [ ])
    + lib.optionalString (s.reloadIfChanged or false) (line "X-ReloadIfChanged" true)
    + lib.optionalString (!(s.restartIfChanged or true)) (line "X-RestartIfChanged" false)
    + lib.optionalString (!(s.stopIfChanged or true)) (line "X-StopIfChanged" false)
    + "\n[Service]\n"
    + lib.concatMapStrings (k: "Environment=\"${k}=${toString env.${k}}\"\n") (builtins.attrNames env)
    + line "ExecStart" execStart
    + lib.optionalString (s ? reload) (line "ExecReload" "${pkgs.writeShellScript "unit-script-${name}-reload" s.reload}")
    + lib.concatMapStrings (k: line k serviceConfig.${k}) (builtins.attrNames serviceConfig)
    + "\n[Install]\n"
    + lines "WantedBy" (s.wantedBy or [ "multi-user.target" ]);

  timerText = name: t:
    "[Unit]\n" + line "Description" (t.description or "Timer for ${name}")
    + "\n[Timer]\n" + lib.concatMapStrings (k: line k t.timerConfig.${k}) (builtins.attrNames t.timerConfig)
    + "\n[Install]\n" + lines "WantedBy" (t.wantedBy or [ "timers.target" ]);

  unitFile = name: text: pkgs.mkDerivation {
    name = "unit-${name}";
    inherit text;
    passAsFile = [ "text" ];
    script = ''mkdir -p $out; cp "$textPath" "$out/${name}"'';
  };

  # Units shipped by the systemd package itself: a systemd bump changes them too.
  upstream = {
    "systemd-journald.service" = "[Unit]\nDescription=Journal Service\n\n[Service]\nExecStart=${cfg.package}/lib/systemd/systemd-journald\n";
    "systemd-logind.service" = "[Unit]\nDescription=User Login Management\n\n[Service]\nExecStart=${cfg.package}/lib/systemd/systemd-logind\n";
    "systemd-timesyncd.service" = "[Unit]\nDescription=Network Time Synchronization\n\n[Service]\nExecStart=${cfg.package}/lib/systemd/systemd-timesyncd\n";
    "multi-user.target" = "[Unit]\nDescription=Multi-User System\n";
    "timers.target" = "[Unit]\nDescription=Timer Units\n";
  };

  # `text` is null for units that come from a package (here: systemd's own), as in NixOS where
  # their files are only known once the package is built.
  generated = name: text: { inherit name text; drv = unitFile name text; };
  units =
    (lib.mapAttrsToList (n: s: generated "${n}.service" (serviceText n s)) cfg.services)
    ++ (lib.mapAttrsToList (n: t: generated "${n}.timer" (timerText n t)) cfg.timers)
    ++ (lib.mapAttrsToList (n: text: { name = n; text = null; drv = unitFile n text; }) upstream);

  systemUnits = pkgs.mkDerivation {
    name = "system-units";
    script = "mkdir -p $out\n" + lib.concatMapStrings (u: "ln -s ${u.drv}/${u.name} $out/${u.name}\n") units;
  };
in
{
  # NixOS's systemd.units: every unit with its text and its `unit` derivation (a directory
  # holding the file under the unit's name).
  systemd.units = builtins.listToAttrs (map (u: { inherit (u) name; value = { inherit (u) text; unit = u.drv; enable = true; }; }) units);
  environment.etc."systemd/system".source = systemUnits;
  environment.etc."systemd/system.conf".text = "[Manager]\nDefaultTimeoutStopSec=90s\n" + cfg.extraConfig;
}
