# /etc: every environment.etc entry becomes a symlink into the store, as in NixOS's etc derivation.
{ config, pkgs, lib, ... }:
let
  entries = lib.mapAttrsToList
    (target: e: {
      inherit target;
      source = if e ? source then e.source else pkgs.writeText "etc-${baseNameOf target}" e.text;
    })
    config.environment.etc;
in
{
  system.build.etc = pkgs.mkDerivation {
    name = "etc";
    script = "mkdir -p $out/etc\n" + lib.concatMapStrings
      (e: ''
        mkdir -p "$out/etc/$(dirname ${e.target})"
        ln -s ${e.source} "$out/etc/${e.target}"
      '')
      entries;
  };
}
