# system.build.toplevel: the same shape as a NixOS toplevel (kernel, initrd, kernel-modules,
# firmware, kernel-params, systemd, etc, sw, reboot-triggers, switch-inhibitors,
# bin/switch-to-configuration).
{ config, pkgs, lib, ... }:
let
  build = config.system.build;
  cfg = config.system;
  sw = pkgs.mkDerivation {
    name = "system-path";
    packages = map toString config.environment.systemPackages;
    script = ''
      mkdir -p $out
      for p in $packages; do ln -sfn "$p" "$out/$(basename "$p" | cut -d- -f2-)"; done
    '';
  };
  kernelParams = builtins.concatStringsSep " " config.boot.kernelParams;
  rebootTriggers = builtins.toJSON ({
    kernel = "${build.kernel}/bzImage";
    firmware = "${build.firmware}/lib/firmware";
    kernel-params = builtins.concatStringsSep "," config.boot.kernelParams;
  } // cfg.switch.inhibitors);
  # Synthetic evaluation cost standing in for nixpkgs' module system (0 = none); it depends on
  # the host name so that Nix cannot share it between hosts.
  seed = builtins.stringLength config.networking.hostName + 1;
  evalWork = if cfg.evalCost == 0 then 0 else builtins.foldl' (a: b: a + b) 0 (builtins.genList (x: x * seed) cfg.evalCost);
in
{
  environment.etc.timezone.text = "${config.time.timeZone}\n";
  system.build.toplevel = pkgs.mkDerivation {
    name = "nixos-system-${config.networking.hostName}-${cfg.nixos.release}";
    inherit evalWork kernelParams rebootTriggers;
    inhibitors = if cfg.switch.inhibitors == { } then "" else builtins.toJSON cfg.switch.inhibitors;
    revision = if cfg.configurationRevision == null then "" else cfg.configurationRevision;
    script = ''
      mkdir -p $out/bin
      ln -s ${build.kernel}/bzImage $out/kernel
      ln -s ${build.initrd}/initrd $out/initrd
      ln -s ${build.modulesTree} $out/kernel-modules
      ln -s ${build.firmware}/lib/firmware $out/firmware
      ln -s ${config.systemd.package} $out/systemd
      ln -s ${build.etc}/etc $out/etc
      ln -s ${sw} $out/sw
      printf '%s' "$kernelParams" > $out/kernel-params
      printf '%s' "$rebootTriggers" > $out/reboot-triggers
      if [ -n "$inhibitors" ]; then printf '%s' "$inhibitors" > $out/switch-inhibitors; fi
      if [ -n "$revision" ]; then printf '%s' "$revision" > $out/configuration-revision; fi
      printf '%s' "${cfg.nixos.release}" > $out/nixos-version
      printf '%s' "systemd 2" > $out/init-interface-version
      sed "s|@out@|$out|g" ${../lib/switch-to-configuration.sh} > $out/bin/switch-to-configuration
      chmod +x $out/bin/switch-to-configuration
    '';
  };
}
