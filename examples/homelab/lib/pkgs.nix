# The example's package set: fake packages with real names and versions, so that version bumps,
# kernel changes and closure diffs look exactly as they would with nixpkgs.
{ system }:
let
  b = import ./builders.nix { inherit system; };
  pkg = pname: version: deps: b.mkPackage { inherit pname version deps; };

  mkKernel = version: rec {
    inherit version;
    kernel = b.mkDerivation {
      name = "linux-${version}";
      pname = "linux";
      inherit version;
      script = ''
        mkdir -p $out/lib/modules/${version}
        echo "Linux ${version} bzImage" > $out/bzImage
        echo "${version}" > $out/System.map
        printf 'ext4\nxfs\nnfs\nnfsv4\nvirtio_net\nvirtio_blk\nwireguard\n' > $out/lib/modules/${version}/modules.list
      '';
    } // { inherit version; };
  };

  self = rec {
    inherit (b) writeText writeShellScript mkDerivation;

    glibc = pkg "glibc" "2.39-52" [ ];
    coreutils = pkg "coreutils" "9.5" [ glibc ];
    bash = pkg "bash" "5.2p32" [ glibc ];
    openssl = pkg "openssl" "3.0.14" [ glibc ];
    openssl_3_3 = pkg "openssl" "3.3.2" [ glibc ];
    openssh = b.mkPackage { pname = "openssh"; version = "9.8p1"; deps = [ openssl glibc ]; bins = [ "sshd" "ssh" ]; };
    systemd = b.mkPackage { pname = "systemd"; version = "256.8"; deps = [ glibc ]; bins = [ "systemctl" "systemd" ]; };
    systemd_257 = b.mkPackage { pname = "systemd"; version = "257.1"; deps = [ glibc ]; bins = [ "systemctl" "systemd" ]; };
    dbus = pkg "dbus" "1.14.10" [ glibc ];
    nix = pkg "nix" "2.24.10" [ openssl glibc ];
    iptables = pkg "iptables" "1.8.10" [ glibc ];
    consul = pkg "consul" "1.19.2" [ ];
    consul_1_20 = pkg "consul" "1.20.1" [ ];
    nomad = pkg "nomad" "1.8.4" [ ];
    nomad_1_9 = pkg "nomad" "1.9.3" [ ];
    prometheus-node-exporter = b.mkPackage { pname = "node_exporter"; version = "1.8.2"; bins = [ "node_exporter" ]; };
    nfs-utils = pkg "nfs-utils" "2.6.4" [ glibc ];
    tailscale = pkg "tailscale" "1.76.6" [ ];
    restic = pkg "restic" "0.17.3" [ ];
    homepage-dashboard = pkg "homepage-dashboard" "0.9.13" [ ];
    postgresql_15 = b.mkPackage { pname = "postgresql"; version = "15.10"; deps = [ openssl glibc ]; bins = [ "psql" "postgres" ]; };
    postgresql_16 = b.mkPackage { pname = "postgresql"; version = "16.6"; deps = [ openssl glibc ]; bins = [ "psql" "postgres" ]; };
    htop = pkg "htop" "3.3.0" [ glibc ];
    git = pkg "git" "2.47.1" [ openssl glibc ];
    vim = pkg "vim" "9.1.0765" [ glibc ];
    tmux = pkg "tmux" "3.5a" [ glibc ];
    jq = pkg "jq" "1.7.1" [ glibc ];
    linux-firmware = pkg "linux-firmware" "20241110" [ ];
    intel-microcode = pkg "microcode-intel" "20241112" [ ];
    nvidia-x11 = pkg "nvidia-x11" "565.77" [ glibc ];
    nvidia-x11_550 = pkg "nvidia-x11" "550.135" [ glibc ];

    linuxPackages_6_6 = mkKernel "6.6.66";
    linuxPackages_6_12 = mkKernel "6.12.6";
    linuxPackages = linuxPackages_6_6;
  };
in
self
