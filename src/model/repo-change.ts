// What a change does at the repository level: files, option-level signals from the textual diff,
// flake input bumps and secret files. Available with or without Nix.
import { z } from 'zod';

export const FileKind = z.enum(['nix', 'lock', 'secret', 'docs', 'nomad', 'other']);
export type FileKind = z.infer<typeof FileKind>;

export const FileChange = z
  .object({
    path: z.string(),
    oldPath: z.string().optional(),
    status: z.enum(['added', 'modified', 'deleted', 'renamed']),
    kind: FileKind,
    additions: z.number().int(),
    deletions: z.number().int(),
    /** Hosts this file is attributed to by its path (`hosts/<name>/…`); empty = shared or unknown. */
    hosts: z.array(z.string()),
    /** Only comments or whitespace changed. */
    cosmetic: z.boolean(),
    /** Not readable as text at one of the revisions (NUL byte, invalid UTF-8): nothing in it can be reviewed. */
    unreadable: z.boolean().optional(),
  })
  .strict();
export type FileChange = z.infer<typeof FileChange>;

/** One changed line of Nix, located by the option (attribute path) it sets. */
export const DiffSignal = z
  .object({
    file: z.string(),
    line: z.number().int().positive(),
    side: z.enum(['added', 'removed']),
    /** Attribute path the line sets, e.g. `services.openssh.settings.PasswordAuthentication`; '' when unknown. */
    option: z.string(),
    text: z.string(),
    hosts: z.array(z.string()),
    /** How the file reaches its first host (`flake.nix:12 → hosts/a/default.nix:3`), when known. */
    via: z.string().optional(),
  })
  .strict();
export type DiffSignal = z.infer<typeof DiffSignal>;

export const InputBump = z
  .object({
    input: z.string(),
    change: z.enum(['added', 'removed', 'updated']),
    from: z.string().nullable(),
    to: z.string().nullable(),
    /** Hosts whose toplevel changed when this input moved (build level), or null when unknown. */
    reaches: z.array(z.string()).nullable(),
    /** Where the input comes from (`NixOS/nixpkgs`, a URL): says what it is whatever its name. */
    source: z.string().optional(),
  })
  .strict();
export type InputBump = z.infer<typeof InputBump>;

export const RepoChange = z
  .object({
    files: z.array(FileChange),
    signals: z.array(DiffSignal),
    inputs: z.array(InputBump),
    /** Encrypted or secret files touched; their contents are never read. */
    secrets: z.array(z.string()),
    docsOnly: z.boolean(),
  })
  .strict();
export type RepoChange = z.infer<typeof RepoChange>;
