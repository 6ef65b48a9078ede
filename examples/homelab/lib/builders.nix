# Derivation builders without nixpkgs: plain `derivation` calls with /bin/sh as the builder,
# so the example builds offline with Nix installed from a distribution package.
{ system }:
let
  lib = import ./lib.nix;
in
rec {
  mkDerivation = { name, script, ... }@attrs:
    derivation ((builtins.removeAttrs attrs [ "script" ]) // {
      inherit name system;
      builder = "/bin/sh";
      # The host's tools: the example builds without nixpkgs (sandbox = false, see the README).
      PATH = "/usr/bin:/bin:/run/current-system/sw/bin";
      args = [ "-c" script ];
    });

  # A file in the store with the given text (the text may refer to other store paths).
  writeText = name: text: mkDerivation {
    inherit name text;
    passAsFile = [ "text" ];
    script = ''cp "$textPath" "$out"'';
  };

  writeShellScript = name: text: mkDerivation {
    inherit name;
    text = "#!/bin/sh\n" + text;
    passAsFile = [ "text" ];
    script = ''cp "$textPath" "$out"; chmod +x "$out"'';
  };

  # A fake package: `pname-version` with a bin/ program that refers to its dependencies,
  # so closures (and closure diffs) look like real ones.
  mkPackage = { pname, version, deps ? [ ], bins ? [ pname ] }:
    mkDerivation {
      name = "${pname}-${version}";
      inherit pname version;
      depsList = map toString deps;
      script = ''
        mkdir -p $out/bin $out/nix-support
        for b in ${builtins.concatStringsSep " " bins}; do
          printf '#!/bin/sh\necho "%s %s"\n' "$b" "${version}" > $out/bin/$b
          chmod +x $out/bin/$b
        done
        echo "$depsList" > $out/nix-support/propagated-deps
      '';
    } // { inherit pname version; };
}
