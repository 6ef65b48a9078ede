# Media and backup shares from the NAS.
{ ... }:
{
  fileSystems."/mnt/media" = {
    device = "nas.home.arpa:/export/media";
    fsType = "nfs4";
    options = [ "nfsvers=4.2" "_netdev" "x-systemd.automount" ];
  };
  fileSystems."/mnt/backup" = {
    device = "nas.home.arpa:/export/backup";
    fsType = "nfs4";
    options = [ "nfsvers=4.2" "_netdev" "x-systemd.automount" ];
  };
}
