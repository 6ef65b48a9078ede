# Evaluates nix/module.nix against the stub lib with the given settings (JSON) and returns what it
# defines for systemd and users, as JSON (nix-instantiate --eval --strict --json).
{ modulePath, settingsJson, packagePath }:
let
  lib = import ./stub-lib.nix;
  self = { packages.x86_64-linux.default = packagePath; };
  pkgs = { stdenv.hostPlatform.system = "x86_64-linux"; };
  module = import modulePath self;
  options = (module { config = { }; inherit lib pkgs; }).options;
  config = lib.merge (lib.collectDefaults options) (builtins.fromJSON settingsJson);
  out = lib.resolve (module { inherit config lib pkgs; }).config;
in
{
  services = out.systemd.services or { };
  timers = out.systemd.timers or { };
  users = out.users or { };
  systemPackages = out.environment.systemPackages or [ ];
}
