// Which URIs the chat view may ask the host to read as images (Explorer files dropped onto the
// view arrive as URIs, and the host reads them). The webview is the least trusted part of the
// extension (it renders model output), so a message naming `git:`, `vscode-userdata:` or any other
// file system provider's scheme, or a path outside the open folders, is refused here: only files
// inside a workspace folder are read, through that folder's own scheme.

/** The parts of a URI that decide where it reads from (vscode.Uri has them; so does a plain object). */
export interface UriParts {
  scheme: string;
  authority: string;
  path: string;
}

export type DroppedUriCheck = { ok: true; uri: UriParts } | { ok: false; message: string };

/**
 * `vscode-remote` is what the workbench's Explorer puts in a drop when the window is remote (as in
 * code-server); the extension host then sees the same folder as `file:`. Nothing else is accepted.
 */
const DROP_SCHEMES = new Set(['file', 'vscode-remote']);

/** Resolves `.` and `..` segments the way a file system would; undefined when `..` climbs above the root. */
export function normalizePosixPath(path: string): string | undefined {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(segment);
  }
  return `/${out.join('/')}`;
}

const isInside = (path: string, folder: string, caseInsensitive: boolean): boolean => {
  const [p, f] = caseInsensitive ? [path.toLowerCase(), folder.toLowerCase()] : [path, folder];
  const root = f.endsWith('/') ? f : `${f}/`;
  return p.startsWith(root);
};

/**
 * The URI to read for a dropped file, rebased onto the workspace folder that contains it, or why
 * it is refused. `caseInsensitive` for Windows and macOS file systems.
 */
export function confineDroppedUri(uri: UriParts, folders: readonly UriParts[], caseInsensitive = false): DroppedUriCheck {
  const name = uri.path.split('/').pop() || uri.path || 'the dropped item';
  const refuse = (why: string): DroppedUriCheck => ({ ok: false, message: `${name} was not attached: ${why}` });
  if (!DROP_SCHEMES.has(uri.scheme)) return refuse(`only files can be dropped onto the chat (not ${uri.scheme}: addresses).`);
  const path = normalizePosixPath(uri.path);
  if (!path) return refuse('its path is not valid.');
  for (const folder of folders) {
    const folderPath = normalizePosixPath(folder.path);
    if (!folderPath) continue;
    const sameOrigin = folder.scheme === uri.scheme && folder.authority === uri.authority;
    // A remote window's drop names the file as vscode-remote; this host reads the folder as file:.
    const remoteOfLocal = uri.scheme === 'vscode-remote' && folder.scheme === 'file';
    if ((sameOrigin || remoteOfLocal) && isInside(path, folderPath, caseInsensitive)) {
      return { ok: true, uri: { scheme: folder.scheme, authority: folder.authority, path } };
    }
  }
  return refuse('only files inside the open workspace folders can be dropped onto the chat; use Attach image to pick another file.');
}
