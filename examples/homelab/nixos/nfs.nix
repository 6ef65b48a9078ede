# NFS server: /etc/exports, reloaded (exportfs -ra) when it changes.
{ config, pkgs, lib, ... }:
let
  cfg = config.services.nfs.server;
  exports = pkgs.writeText "exports" cfg.exports;
in
{
  environment.etc = lib.optionalAttrs cfg.enable { exports.source = exports; };
  systemd.services = lib.optionalAttrs cfg.enable {
    nfs-server = {
      description = "NFS server and services";
      reloadTriggers = [ exports ];
      serviceConfig.ExecStart = "${pkgs.nfs-utils}/bin/rpc.nfsd 8";
      reload = "${pkgs.nfs-utils}/bin/exportfs -ra";
    };
    nfs-mountd = {
      description = "NFS Mount Daemon";
      serviceConfig.ExecStart = "${pkgs.nfs-utils}/bin/rpc.mountd --foreground";
    };
  };
  networking.firewall.allowedTCPPorts = lib.optionals cfg.enable [ 111 2049 ];
  environment.systemPackages = [ pkgs.nfs-utils ];
}
