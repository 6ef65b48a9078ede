# Steward as a Nix package: built from package-lock.json without a vendor hash (importNpmLock),
# with git and nix on its PATH.
{ lib, buildNpmPackage, importNpmLock, nodejs_20, python3, makeWrapper, git, nix, src }:

buildNpmPackage {
  pname = "steward";
  version = (lib.importJSON "${src}/package.json").version;
  inherit src;
  nodejs = nodejs_20;

  npmDeps = importNpmLock { npmRoot = src; };
  npmConfigHook = importNpmLock.npmConfigHook;

  # better-sqlite3 builds its native addon with node-gyp.
  nativeBuildInputs = [ python3 makeWrapper ];
  npmBuildScript = "build";

  postInstall = ''
    wrapProgram $out/bin/steward --prefix PATH : ${lib.makeBinPath [ git nix ]}
  '';

  meta = {
    description = "GitOps intelligence for NixOS + Nomad homelabs";
    license = lib.licenses.mit;
    mainProgram = "steward";
  };
}
