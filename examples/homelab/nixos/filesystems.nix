# fileSystems and swapDevices -> /etc/fstab (NixOS compares fstab itself on switch).
{ config, lib, ... }:
let
  fsLine = mountPoint: fs:
    "${fs.device} ${mountPoint} ${fs.fsType} ${builtins.concatStringsSep "," (fs.options or [ "defaults" ])} 0 ${if fs.fsType == "ext4" && mountPoint == "/" then "1" else if fs.fsType == "ext4" then "2" else "0"}\n";
  swapLine = s: "${s.device} none swap defaults 0 0\n";
in
{
  environment.etc.fstab.text =
    "# This is a generated file.  Do not edit!\n"
    + lib.concatMapStrings (mp: fsLine mp config.fileSystems.${mp}) (builtins.attrNames config.fileSystems)
    + "\n# Swap devices.\n"
    + lib.concatMapStrings swapLine config.swapDevices;
}
