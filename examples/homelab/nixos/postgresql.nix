# PostgreSQL server: stateful; a major version change needs a data migration.
{ config, pkgs, lib, ... }:
let
  cfg = config.services.postgresql;
in
{
  systemd.services = lib.optionalAttrs cfg.enable {
    postgresql = {
      description = "PostgreSQL Server";
      after = [ "network.target" ];
      serviceConfig.ExecStart = "${cfg.package}/bin/postgres -D ${cfg.dataDir}";
      serviceConfig.StateDirectory = "postgresql";
    };
  };
  environment.systemPackages = lib.optional cfg.enable cfg.package;
}
