// A tolerant reader of `git diff` output: files and hunks with their line ranges. Never throws:
// a patch Steward cannot read fully still yields the hunks it could.

export interface PatchHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** The `@@ ... @@ context` line. */
  header: string;
  /** Body lines with their ` `, `+`, `-` or `\` prefix. */
  lines: string[];
}

export interface PatchFile {
  path: string;
  oldPath?: string;
  binary: boolean;
  hunks: PatchHunk[];
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

function unquote(path: string): string {
  const p = path.trim();
  return p.startsWith('"') && p.endsWith('"') ? p.slice(1, -1).replace(/\\(.)/g, '$1') : p;
}

function stripPrefix(path: string): string | null {
  const p = unquote(path.replace(/\t.*$/, ''));
  if (p === '/dev/null') return null;
  return p.replace(/^[ab]\//, '');
}

function fromGitHeader(line: string): { oldPath: string; path: string } {
  // `diff --git a/x b/y`: split on " b/" from the right, which holds for paths without " b/".
  const rest = line.slice('diff --git '.length);
  const cut = rest.lastIndexOf(' b/');
  if (cut < 0) return { oldPath: rest, path: rest };
  return { oldPath: stripPrefix(rest.slice(0, cut)) ?? '', path: stripPrefix(rest.slice(cut + 1)) ?? '' };
}

export function parseUnifiedDiff(patch: string): PatchFile[] {
  const files: PatchFile[] = [];
  let file: PatchFile | undefined;
  let hunk: PatchHunk | undefined;
  // Lines still expected in the current hunk, per side: inside a hunk, `--- x` is a removed line.
  let oldLeft = 0;
  let newLeft = 0;
  let inHeader = false;
  const startFile = (path: string, oldPath?: string) => {
    file = { path, binary: false, hunks: [], ...(oldPath !== undefined && oldPath !== path ? { oldPath } : {}) };
    files.push(file);
    hunk = undefined;
    inHeader = true;
  };
  for (const line of patch.replace(/\r\n/g, '\n').split('\n')) {
    const inBody = hunk !== undefined && (oldLeft > 0 || newLeft > 0);
    if (inBody && hunk && /^[ +\-\\]/.test(line)) {
      hunk.lines.push(line);
      if (line.startsWith('+')) newLeft -= 1;
      else if (line.startsWith('-')) oldLeft -= 1;
      else if (line.startsWith(' ')) {
        oldLeft -= 1;
        newLeft -= 1;
      }
      continue;
    }
    if (line.startsWith('\\') && hunk) {
      hunk.lines.push(line); // "\ No newline at end of file" after the last line
      continue;
    }
    if (line.startsWith('diff --git ')) {
      const { oldPath, path } = fromGitHeader(line);
      startFile(path, oldPath);
      continue;
    }
    const header = HUNK_HEADER.exec(line);
    if (header && file) {
      hunk = {
        oldStart: Number(header[1]),
        oldLines: header[2] === undefined ? 1 : Number(header[2]),
        newStart: Number(header[3]),
        newLines: header[4] === undefined ? 1 : Number(header[4]),
        header: line,
        lines: [],
      };
      oldLeft = hunk.oldLines;
      newLeft = hunk.newLines;
      file.hunks.push(hunk);
      inHeader = false;
      continue;
    }
    if (line.startsWith('--- ')) {
      // A plain unified diff (no `diff --git` line) starts a file here.
      if (!inHeader) startFile(stripPrefix(line.slice(4)) ?? '');
      else if (file && !file.path) file.path = stripPrefix(line.slice(4)) ?? '';
      continue;
    }
    if (line.startsWith('+++ ') && inHeader && file) {
      const path = stripPrefix(line.slice(4));
      if (path) file.path = path;
      continue;
    }
    if (inHeader && file) {
      if (line.startsWith('Binary files ') || line.startsWith('GIT binary patch')) file.binary = true;
      else if (line.startsWith('rename from ')) file.oldPath = line.slice('rename from '.length);
      else if (line.startsWith('rename to ')) file.path = line.slice('rename to '.length);
    }
  }
  return files;
}

/** Line numbers a hunk covers on each side, for matching citations (`file:line`) to hunks. */
export function hunkCovers(hunk: PatchHunk, line: number): boolean {
  const inNew = line >= hunk.newStart && line < hunk.newStart + Math.max(hunk.newLines, 1);
  const inOld = line >= hunk.oldStart && line < hunk.oldStart + Math.max(hunk.oldLines, 1);
  return inNew || inOld;
}
