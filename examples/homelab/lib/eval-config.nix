# A miniature NixOS module system: evaluates a host's modules (defaults first, host last) into
# `config`, whose `system.build.toplevel` is shaped like a real NixOS toplevel.
{ system, hostName, modules }:
let
  lib = import ./lib.nix;
  pkgs = import ./pkgs.nix { inherit system; };
  args = { inherit config pkgs lib; };
  load = m:
    if builtins.isPath m || builtins.isString m then load (import m)
    else if builtins.isFunction m then m args
    else m;
  # `imports` may not depend on `config` (as in NixOS), so collecting them is safe and lazy.
  collect = m:
    let result = load m;
    in [ (builtins.removeAttrs result [ "imports" ]) ] ++ builtins.concatMap collect (result.imports or [ ]);
  config = lib.mergeAll (builtins.concatMap collect (
    (import ../nixos/module-list.nix) ++ [{ networking.hostName = hostName; }] ++ modules
  ));
in
{
  inherit config pkgs;
}
