// Every always-ask edit pattern on its own (issue 17): each example is matched by its pattern and by
// no other always-ask or secret pattern, so removing any single entry fails its test, and the
// reason names this defence (not the secret one). Matching ignores case: `makefile` is `Makefile`.
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ALWAYS_ASK_EDIT_PATTERNS, matchesAny, SensitivePaths } from '../../../src/core/tools/sensitivePaths';

const ASK_REASON = 'this file configures or runs code (package manifests, lock files, hooks, CI, build scripts, .vscode/, .git): edits to it always ask';

const askExamples: Record<string, string> = {
 '**/.vscode/**': '.vscode/settings.json', '**/.git/**': '.git/hooks/pre-commit', '.git': '.git', '*.code-workspace': 'my.code-workspace', '**/.devcontainer/**': '.devcontainer/devcontainer.json', '.devcontainer.json': '.devcontainer.json', '.gitattributes': '.gitattributes', '.gitmodules': '.gitmodules',
 'server.xml': 'server.xml', 'build.rs': 'build.rs', 'web.config': 'web.config', '*.{csproj,fsproj,vbproj,vcxproj,proj,targets,props,sln}': 'App.sln',
 'package.json': 'package.json', 'package-lock.json': 'package-lock.json', 'npm-shrinkwrap.json': 'npm-shrinkwrap.json', 'yarn.lock': 'yarn.lock', 'pnpm-lock.yaml': 'pnpm-lock.yaml', 'pnpm-workspace.yaml': 'pnpm-workspace.yaml', 'bun.lock': 'bun.lock', 'bun.lockb': 'bun.lockb',
 '.yarnrc': '.yarnrc', '.pnpmfile.cjs': '.pnpmfile.cjs', 'Cargo.toml': 'Cargo.toml', 'Cargo.lock': 'Cargo.lock', 'go.mod': 'go.mod', 'go.sum': 'go.sum', 'pyproject.toml': 'pyproject.toml', 'setup.py': 'setup.py', 'setup.cfg': 'setup.cfg', 'requirements*.txt': 'requirements-dev.txt',
 'Pipfile': 'Pipfile', 'Pipfile.lock': 'Pipfile.lock', 'poetry.lock': 'poetry.lock', 'uv.lock': 'uv.lock', 'Gemfile': 'Gemfile', 'Gemfile.lock': 'Gemfile.lock', 'composer.json': 'composer.json', 'composer.lock': 'composer.lock', '*.gemspec': 'mygem.gemspec', 'pom.xml': 'pom.xml',
 '**/.husky/**': '.husky/pre-commit', '**/.githooks/**': '.githooks/pre-push', '.pre-commit-config.yaml': '.pre-commit-config.yaml', '**/.github/workflows/**': '.github/workflows/ci.yml', '**/.github/actions/**': '.github/actions/setup/action.yml', '.gitlab-ci.yml': '.gitlab-ci.yml',
 '**/.circleci/**': '.circleci/config.yml', 'azure-pipelines.yml': 'azure-pipelines.yml', 'Jenkinsfile': 'Jenkinsfile', '.travis.yml': '.travis.yml', 'Dockerfile': 'Dockerfile', 'Dockerfile.*': 'Dockerfile.dev', '*.dockerfile': 'api.dockerfile', 'docker-compose*.y{,a}ml': 'docker-compose.prod.yaml', 'compose*.y{,a}ml': 'compose.yml',
 'Makefile': 'makefile', 'GNUmakefile': 'GNUmakefile', '*.mk': 'rules.mk', 'CMakeLists.txt': 'CMakeLists.txt', '*.cmake': 'toolchain.cmake', '*.sh': 'release.sh', '*.bash': 'env.bash', '*.zsh': 'init.zsh', '*.ps1': 'setup.ps1', '*.bat': 'run.bat', '*.cmd': 'run.cmd',
 '*.gradle': 'build.gradle', '*.gradle.kts': 'build.gradle.kts', 'gradlew': 'gradlew', 'gradle.properties': 'gradle.properties', '**/gradle/wrapper/**': 'gradle/wrapper/gradle-wrapper.jar', 'build.xml': 'build.xml', 'Rakefile': 'Rakefile', 'Justfile': 'justfile', 'Taskfile.y{,a}ml': 'Taskfile.yaml',
 'Gulpfile.*': 'gulpfile.ts', 'Gruntfile.*': 'Gruntfile.js', '.tool-versions': '.tool-versions', '.nvmrc': '.nvmrc', '.node-version': '.node-version',
 'eslint.config.*': 'eslint.config.mjs', '.eslintrc': '.eslintrc', '.eslintrc.*': '.eslintrc.json', 'tsconfig*.json': 'tsconfig.build.json', 'jsconfig*.json': 'jsconfig.json', '.babelrc': '.babelrc', '.babelrc.*': '.babelrc.js', 'babel.config.*': 'babel.config.js',
 'vite.config.*': 'vite.config.ts', 'vitest.config.*': 'vitest.config.ts', 'webpack.config.*': 'webpack.config.js', 'rollup.config.*': 'rollup.config.mjs', 'esbuild.*js': 'esbuild.mjs', 'jest.config.*': 'jest.config.js', '.mocharc*': '.mocharc.json', 'playwright.config.*': 'playwright.config.ts',
 'prettier.config.*': 'prettier.config.js', '.prettierrc.*': '.prettierrc.json', 'stylelint.config.*': 'stylelint.config.js', 'postcss.config.*': 'postcss.config.js', 'tailwind.config.*': 'tailwind.config.ts', 'next.config.*': 'next.config.js', 'nuxt.config.*': 'nuxt.config.ts', 'svelte.config.*': 'svelte.config.js',
 'astro.config.*': 'astro.config.mjs', '.stylelintrc.*': '.stylelintrc.json', 'conftest.py': 'conftest.py', 'tox.ini': 'tox.ini', 'noxfile.py': 'noxfile.py', '.bazelrc': '.bazelrc', 'BUILD': 'BUILD', 'BUILD.bazel': 'BUILD.bazel', 'WORKSPACE': 'WORKSPACE', 'MODULE.bazel': 'MODULE.bazel', '*.bzl': 'defs.bzl',
};

describe('always-ask edit patterns, one by one', () => {
  const sensitive = new SensitivePaths();
  // First, and named by the table rather than by the list: a mutated list entry fails this test with
  // the same name every time, so the mutation baseline can reuse the result (patterns.test.ts).
  it('the always-ask list and this table name the same patterns', () => {
    assert.deepEqual([...ALWAYS_ASK_EDIT_PATTERNS].sort(), Object.keys(askExamples).sort());
  });
  for (const [pattern, example] of Object.entries(askExamples)) {
    it(`${pattern} → ${example}`, () => {
      assert.ok(ALWAYS_ASK_EDIT_PATTERNS.includes(pattern), 'the pattern is always-ask');
      assert.deepEqual(ALWAYS_ASK_EDIT_PATTERNS.filter((p) => matchesAny(example, [p])), [pattern]);
      assert.equal(sensitive.isSecret(example), false);
      assert.equal(sensitive.editNeedsApproval(example), ASK_REASON);
      if (!pattern.startsWith('**/')) assert.equal(sensitive.editNeedsApproval(`pkg/sub/${example}`), ASK_REASON, 'in any folder');
    });
  }
  it('secrets ask for the secret reason first; own settings only in JSON-like files', () => {
    assert.equal(sensitive.editNeedsApproval('.npmrc'), 'the file looks like it holds secrets');
    assert.equal(sensitive.editNeedsApproval('.vscode\\.env'), 'the file looks like it holds secrets');
    assert.equal(sensitive.editNeedsApproval('conf/app.json', ['{}', '{ "aimlChat.tools.enabled": true }']), "the edit touches AIML Chat's own settings");
    assert.equal(sensitive.editNeedsApproval('conf/app.JSONC', ['aimlChat']), "the edit touches AIML Chat's own settings");
    assert.equal(sensitive.editNeedsApproval('a.code-workspace', []), ASK_REASON);
    assert.equal(sensitive.editNeedsApproval('conf/app.json', ['{}', '{ "other": 1 }']), undefined);
    assert.equal(sensitive.editNeedsApproval('conf/app.json'), undefined);
    assert.equal(sensitive.editNeedsApproval('src/settings.ts', ['aimlChat']), undefined);
    assert.equal(sensitive.editNeedsApproval('conf/app.json.bak', ['aimlChat']), undefined);
  });
  it('backslash paths match like slash paths', () => {
    assert.equal(sensitive.editNeedsApproval('.github\\workflows\\ci.yml'), ASK_REASON);
    assert.ok(sensitive.isSecret('home\\.aws\\config'));
    assert.ok(sensitive.isSecret('/.ssh/known_hosts'));
    assert.ok(sensitive.isSecret('//.git/config'));
  });
  it('a pattern seen for the first time is compiled and matched (each test run uses a new one)', () => {
    const fresh = `*.fresh${randomUUID().slice(0, 8)}`;
    const extra = new SensitivePaths([fresh]);
    assert.ok(extra.isSecret(`a/b${fresh.slice(1)}`));
    assert.ok(matchesAny(`x${fresh.slice(1)}`, [fresh]));
  });
  it('leading slashes are dropped before a folder-anchored pattern is matched', () => {
    const anchored = new SensitivePaths(['deploy/*.yml']);
    for (const p of ['deploy/prod.yml', '/deploy/prod.yml', '//deploy/prod.yml', '\\\\deploy\\prod.yml']) assert.ok(anchored.isSecret(p), p);
    assert.equal(anchored.isSecret('x/deploy/prod.yml'), false);
  });
  it('a blank pattern matches nothing, not even an empty name', () => {
    assert.equal(matchesAny('folder/', ['', '  ']), false);
    assert.equal(matchesAny('', [' ']), false);
  });
  it('blank and non-string extra patterns are dropped, others trimmed', () => {
    const extra = new SensitivePaths(['  ', '', 7 as unknown as string, ' *.vault ']);
    assert.ok(extra.isSecret('x.vault'));
    assert.equal(extra.isSecret('x.txt'), false);
    assert.equal(matchesAny('x.txt', ['', '  ']), false);
  });
});
