// Which workspace paths need the user's word whatever the auto-approval settings say:
// secret-looking files (never read, searched or echoed without an explicit Allow) and files whose
// change alters the editor's or the repository's behaviour (.vscode/, .git/, workspace files).
import { Minimatch } from 'minimatch';

/**
 * Built-in secret patterns, matched case-insensitively against the workspace-relative path and
 * the real path. A pattern without a slash matches the file name in any folder.
 */
export const BUILTIN_SECRET_PATTERNS: readonly string[] = [
  // Stryker disable next-line StringLiteral: '*.env' below also matches '.env' (dot: true); kept for the reader.
  '.env',
  '.env.*', '*.env', '.envrc',
  '*.pem', '*.key', '*.p12', '*.pfx', '*.jks', '*.keystore', '*.ppk', '*.asc', '*.gpg',
  'id_rsa*', 'id_dsa*', 'id_ecdsa*', 'id_ed25519*',
  '**/.ssh/**', '**/.aws/**', '**/.gnupg/**', '**/.kube/config', '**/.docker/config.json',
  '.npmrc', '.yarnrc.yml', '.pypirc', '.netrc', '_netrc', '.git-credentials', '.htpasswd',
  // Data files only: `credentials.ts` or `secrets.ts` are ordinary source code.
  'credentials', 'credentials.{json,yml,yaml,xml,toml,csv,db}', '*-credentials.json', 'secrets.{json,yml,yaml,toml,env}', '*.secret', '*.secrets',
  // The repository's own config may hold tokens in remote URLs.
  '**/.git/config',
  // Cloud and tool credentials: Terraform state and variables (hold provider secrets), Google
  // application-default and service-account keys, PostgreSQL passwords, Cloudflare Workers'
  // local secrets, Apple .p8 keys, the GitHub CLI's token file, Composer's and other tools' auth.json.
  '*.tfstate', '*.tfstate.*', '*.tfvars', '*.tfvars.json', 'application_default_credentials.json',
  '*service-account*.json', '*service_account*.json', '*-sa.json', '*-sa-key.json',
  '.pgpass', '.dev.vars', '*.p8', '**/gh/hosts.yml', 'auth.json',
];

/**
 * Paths whose edit always asks, even with edits auto-applied: a change here configures or runs
 * code (install scripts, hooks, CI, build files, linters and compilers that load plugins) or
 * rewires the editor. VS Code's own `chat.tools.edits.autoApprove` defaults are the floor:
 * `.vscode/*.json`, `.git/**`, package.json, package-lock.json, server.xml, build.rs, web.config,
 * .gitattributes, .env, *.code-workspace and the .NET / MSBuild project files.
 */
export const ALWAYS_ASK_EDIT_PATTERNS: readonly string[] = [
  // The editor and the repository.
  '**/.vscode/**', '**/.git/**', '.git', '*.code-workspace', '**/.devcontainer/**', '.devcontainer.json', '.gitattributes', '.gitmodules',
  // VS Code's floor beyond the above.
  'server.xml', 'build.rs', 'web.config', '*.{csproj,fsproj,vbproj,vcxproj,proj,targets,props,sln}',
  // Package managers: manifests run scripts on install, lock files choose what gets installed.
  'package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'bun.lock', 'bun.lockb',
  '.yarnrc', '.pnpmfile.cjs', 'Cargo.toml', 'Cargo.lock', 'go.mod', 'go.sum', 'pyproject.toml', 'setup.py', 'setup.cfg', 'requirements*.txt',
  'Pipfile', 'Pipfile.lock', 'poetry.lock', 'uv.lock', 'Gemfile', 'Gemfile.lock', 'composer.json', 'composer.lock', '*.gemspec', 'pom.xml',
  // Hooks, CI and containers.
  '**/.husky/**', '**/.githooks/**', '.pre-commit-config.yaml', '**/.github/workflows/**', '**/.github/actions/**', '.gitlab-ci.yml',
  '**/.circleci/**', 'azure-pipelines.yml', 'Jenkinsfile', '.travis.yml', 'Dockerfile', 'Dockerfile.*', '*.dockerfile', 'docker-compose*.y{,a}ml', 'compose*.y{,a}ml',
  // Build scripts and task runners.
  // Matching ignores case, so `makefile`, `justfile`, `gulpfile.*` are covered by the names below.
  'Makefile', 'GNUmakefile', '*.mk', 'CMakeLists.txt', '*.cmake', '*.sh', '*.bash', '*.zsh', '*.ps1', '*.bat', '*.cmd',
  '*.gradle', '*.gradle.kts', 'gradlew', 'gradle.properties', '**/gradle/wrapper/**', 'build.xml', 'Rakefile', 'Justfile', 'Taskfile.y{,a}ml',
  // `.envrc` and `.npmrc` are secret patterns too, which ask for every edit before this list is consulted.
  'Gulpfile.*', 'Gruntfile.*', '.tool-versions', '.nvmrc', '.node-version',
  // Tools that load code or plugins from their config.
  'eslint.config.*', '.eslintrc', '.eslintrc.*', 'tsconfig*.json', 'jsconfig*.json', '.babelrc', '.babelrc.*', 'babel.config.*',
  'vite.config.*', 'vitest.config.*', 'webpack.config.*', 'rollup.config.*', 'esbuild.*js', 'jest.config.*', '.mocharc*', 'playwright.config.*',
  'prettier.config.*', '.prettierrc.*', 'stylelint.config.*', 'postcss.config.*', 'tailwind.config.*', 'next.config.*', 'nuxt.config.*', 'svelte.config.*',
  'astro.config.*', '.stylelintrc.*', 'conftest.py', 'tox.ini', 'noxfile.py', '.bazelrc', 'BUILD', 'BUILD.bazel', 'WORKSPACE', 'MODULE.bazel', '*.bzl',
];

const matchOptions = { dot: true, nocase: true, nocomment: true, nonegate: true } as const;

/** Compiled once: a search gates thousands of files against every pattern. */
const compiled = new Map<string, Minimatch>();
function minimatch(target: string, pattern: string): boolean {
  let m = compiled.get(pattern);
  // Stryker disable next-line ConditionalExpression: `true` only compiles again (same answer, slower); skipping the compile is the BlockStatement mutant.
  if (!m) {
    m = new Minimatch(pattern, matchOptions);
    compiled.set(pattern, m);
  }
  return m.match(target);
}

/**
 * The name as a reader would take it: NFKC (fullwidth `．env` → `.env`, composed and decomposed
 * accents alike) with invisible format characters (zero-width space and joiners, BOM, bidi marks)
 * removed. Matching is also case-insensitive on every platform: `.ENV` on Linux is a different file
 * from `.env`, but it holds the same kind of thing.
 */
export function canonicalName(p: string): string {
  return p.normalize('NFKC').replace(/\p{Cf}/gu, '');
}

export function matchesAny(rawPath: string, patterns: readonly string[]): boolean {
  const relPath = canonicalName(rawPath);
  const name = relPath.split('/').pop() ?? relPath;
  return patterns.some((pattern) => {
    const p = pattern.trim();
    if (!p) return false;
    if (!p.includes('/')) return minimatch(name, p);
    // A leading `**/` also matches zero folders (minimatch with dot: true): `**/.aws/**` covers `.aws/config`.
    return minimatch(relPath, p);
  });
}

export class SensitivePaths {
  private readonly secretPatterns: readonly string[];

  // Stryker disable next-line ArrayDeclaration: a placeholder default pattern would only match a file of that odd name.
  constructor(extraSecretPatterns: readonly string[] = []) {
    // Stryker disable next-line MethodExpression: untrimmed blank patterns are skipped by matchesAny anyway.
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
  // Stryker disable next-line ArrayDeclaration: a placeholder default text never mentions aimlChat, like no text.
  editNeedsApproval(relPath: string, contents: string[] = []): string | undefined {
    const normalized = relPath.replace(/\\/g, '/');
    if (this.isSecret(normalized)) return 'the file looks like it holds secrets';
    if (matchesAny(normalized, ALWAYS_ASK_EDIT_PATTERNS)) return 'this file configures or runs code (package manifests, lock files, hooks, CI, build scripts, .vscode/, .git): edits to it always ask';
    // Only settings-like files: source code that merely mentions the name (this extension's own repository) is ordinary.
    if (/\.(jsonc?|code-workspace)$/i.test(normalized) && contents.some((c) => c.includes('aimlChat'))) return "the edit touches AIML Chat's own settings";
    return undefined;
  }
}
