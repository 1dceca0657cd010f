// Which workspace paths need the user's word whatever the auto-approval settings say:
// secret-looking files (never read, searched or echoed without an explicit Allow) and files whose
// change alters the editor's or the repository's behaviour (.vscode/, .git/, workspace files).
import { minimatch } from 'minimatch';

/**
 * Built-in secret patterns, matched case-insensitively against the workspace-relative path and
 * the real path. A pattern without a slash matches the file name in any folder.
 */
export const BUILTIN_SECRET_PATTERNS: readonly string[] = [
  '.env', '.env.*', '*.env', '.envrc',
  '*.pem', '*.key', '*.p12', '*.pfx', '*.jks', '*.keystore', '*.ppk', '*.asc', '*.gpg',
  'id_rsa*', 'id_dsa*', 'id_ecdsa*', 'id_ed25519*',
  '**/.ssh/**', '**/.aws/**', '**/.gnupg/**', '**/.kube/config', '**/.docker/config.json',
  '.npmrc', '.yarnrc.yml', '.pypirc', '.netrc', '_netrc', '.git-credentials', '.htpasswd',
  // Data files only: `credentials.ts` or `secrets.ts` are ordinary source code.
  'credentials', 'credentials.{json,yml,yaml,xml,toml,csv,db}', '*-credentials.json', 'secrets.{json,yml,yaml,toml,env}', '*.secret', '*.secrets',
  // The repository's own config may hold tokens in remote URLs.
  '**/.git/config',
];

/** Paths whose edit always asks (a change here can run code or rewire the editor). */
const ALWAYS_ASK_EDIT_PATTERNS: readonly string[] = ['**/.vscode/**', '**/.git/**', '*.code-workspace', '**/.devcontainer/**', '.gitattributes', '.gitmodules'];

const matchOptions = { dot: true, nocase: true, nocomment: true, nonegate: true } as const;

function matchesAny(relPath: string, patterns: readonly string[]): boolean {
  const name = relPath.split('/').pop() ?? relPath;
  return patterns.some((pattern) => {
    const p = pattern.trim();
    if (!p) return false;
    if (!p.includes('/')) return minimatch(name, p, matchOptions);
    return minimatch(relPath, p, matchOptions) || minimatch(relPath, p.replace(/^\*\*\//, ''), matchOptions);
  });
}

export class SensitivePaths {
  private readonly secretPatterns: readonly string[];

  constructor(extraSecretPatterns: readonly string[] = []) {
    this.secretPatterns = [...BUILTIN_SECRET_PATTERNS, ...extraSecretPatterns.filter((p) => typeof p === 'string' && p.trim())];
  }

  /** `paths`: every name the file goes by (requested, workspace-relative real, absolute real). */
  isSecret(...paths: string[]): boolean {
    return paths.some((p) => matchesAny(p.replace(/\\/g, '/').replace(/^\/+/, ''), this.secretPatterns));
  }

  /**
   * Why an edit must ask even when edits are auto-applied, or undefined.
   * `contents` are the old and new text: a JSON settings file that mentions this extension's
   * settings is protected so the model cannot widen its own permissions.
   */
  editNeedsApproval(relPath: string, contents: string[] = []): string | undefined {
    const normalized = relPath.replace(/\\/g, '/');
    if (this.isSecret(normalized)) return 'the file looks like it holds secrets';
    if (matchesAny(normalized, ALWAYS_ASK_EDIT_PATTERNS)) return 'edits to .vscode/, .git/ and workspace files always ask';
    // Only settings-like files: source code that merely mentions the name (this extension's own repository) is ordinary.
    if (/\.(jsonc?|code-workspace)$/i.test(normalized) && contents.some((c) => c.includes('aimlChat'))) return "the edit touches AIML Chat's own settings";
    return undefined;
  }
}
