// Every built-in secret pattern and every always-ask edit pattern, each tested on its own: the
// example of a pattern is matched by that pattern and by no other built-in one, so removing any
// single pattern fails its test (the gaps mutation testing found, issue 17).
import * as assert from 'node:assert/strict';
import { ALWAYS_ASK_EDIT_PATTERNS, BUILTIN_SECRET_PATTERNS, canonicalName, matchesAny, SensitivePaths } from '../../../src/core/tools/sensitivePaths';
import { looksLikeSecretContent } from '../../../src/core/security/contentGate';

const secretExamples: Record<string, string> = {
  '.env': '.env', '.env.*': '.env.local', '*.env': 'prod.env', '.envrc': '.envrc',
  '*.pem': 'cert.pem', '*.key': 'server.key', '*.p12': 'a.p12', '*.pfx': 'a.pfx', '*.jks': 'a.jks', '*.keystore': 'release.keystore', '*.ppk': 'putty.ppk', '*.asc': 'pub.asc', '*.gpg': 'file.gpg',
  'id_rsa*': 'id_rsa.pub', 'id_dsa*': 'id_dsa', 'id_ecdsa*': 'id_ecdsa', 'id_ed25519*': 'id_ed25519',
  '**/.ssh/**': 'home/.ssh/config', '**/.aws/**': 'x/.aws/config', '**/.gnupg/**': '.gnupg/pubring.kbx', '**/.kube/config': 'x/.kube/config', '**/.docker/config.json': '.docker/config.json',
  '.npmrc': '.npmrc', '.yarnrc.yml': '.yarnrc.yml', '.pypirc': '.pypirc', '.netrc': '.netrc', '_netrc': '_netrc', '.git-credentials': '.git-credentials', '.htpasswd': '.htpasswd',
  'credentials': 'credentials', 'credentials.{json,yml,yaml,xml,toml,csv,db}': 'credentials.json', '*-credentials.json': 'gcp-credentials.json', 'secrets.{json,yml,yaml,toml,env}': 'secrets.yaml', '*.secret': 'db.secret', '*.secrets': 'app.secrets',
  '**/.git/config': '.git/config',
  '*.tfstate': 'prod.tfstate', '*.tfstate.*': 'prod.tfstate.backup', '*.tfvars': 'prod.tfvars', '*.tfvars.json': 'prod.tfvars.json', 'application_default_credentials.json': 'application_default_credentials.json',
  '*service-account*.json': 'my-service-account-key.json', '*service_account*.json': 'service_account.json', '*-sa.json': 'deploy-sa.json', '*-sa-key.json': 'deploy-sa-key.json',
  '.pgpass': '.pgpass', '.dev.vars': '.dev.vars', '*.p8': 'AuthKey.p8', '**/gh/hosts.yml': '.config/gh/hosts.yml', 'auth.json': 'auth.json',
};

/** '.env' is also matched by '*.env' (an equivalent pair: removing either keeps .env secret). */
const OVERLAPPING = new Set(['.env']);

describe('secret patterns, one by one', () => {
  const sensitive = new SensitivePaths();
  // First, and named by the table rather than by the list: a mutated list entry fails this test with
  // the same name every time, so the mutation baseline can reuse the result (a test named after the
  // mutated value exists only in that mutant's run and never matches the baseline).
  it('the built-in list and this table name the same patterns', () => {
    assert.deepEqual([...BUILTIN_SECRET_PATTERNS].sort(), Object.keys(secretExamples).sort());
  });
  for (const [pattern, example] of Object.entries(secretExamples)) {
    it(`${pattern} → ${example}`, () => {
      assert.ok(BUILTIN_SECRET_PATTERNS.includes(pattern), 'the pattern is built in');
      assert.ok(sensitive.isSecret(example));
      assert.ok(sensitive.isSecret(`deep/nested/${example}`) || pattern.startsWith('**/'), 'matched in any folder');
      if (!OVERLAPPING.has(pattern)) assert.deepEqual(BUILTIN_SECRET_PATTERNS.filter((p) => matchesAny(example, [p])), [pattern]);
    });
  }
  it('ordinary source files are not secrets', () => {
    for (const p of ['src/credentials.ts', 'src/secrets.ts', 'README.md', 'environment.ts', 'package.json', 'docs/auth.md', 'visa.json']) assert.equal(sensitive.isSecret(p), false, p);
  });
  it('names are compared after NFKC and without invisible characters, case-insensitively', () => {
    assert.equal(canonicalName('\uff0eenv'), '.env');
    assert.equal(canonicalName('.e\u200bnv\u200d'), '.env');
    assert.equal(canonicalName('cafe\u0301'), 'café');
    for (const p of ['.ENV', '\uff0eenv', '.env\u200b', '\u202e.env', 'ID_RSA']) assert.ok(sensitive.isSecret(p), p);
  });
  it('content: service-account JSON and PEM private keys, not public certificates', () => {
    assert.ok(looksLikeSecretContent('{\n  "type" : "service_account",\n  "project_id": "x"\n}'));
    assert.ok(looksLikeSecretContent('-----BEGIN OPENSSH PRIVATE KEY-----\nabc'));
    assert.ok(looksLikeSecretContent('-----BEGIN PRIVATE KEY-----\nabc'));
    assert.ok(looksLikeSecretContent('-----BEGIN RSA PRIVATE KEY-----\nabc'));
    assert.equal(looksLikeSecretContent('-----BEGIN CERTIFICATE-----\nabc'), false);
    assert.equal(looksLikeSecretContent('{ "type": "module" }'), false);
  });
});

/** Files that configure or run code, by the pattern that must catch each. */
const askExamples: Array<[string, string]> = [
  ['.vscode/settings.json', '**/.vscode/**'], ['.vscode/tasks.json', '**/.vscode/**'], ['.git/hooks/pre-commit', '**/.git/**'], ['.git', '.git'],
  ['my.code-workspace', '*.code-workspace'], ['.devcontainer/devcontainer.json', '**/.devcontainer/**'], ['.devcontainer.json', '.devcontainer.json'],
  ['.gitattributes', '.gitattributes'], ['.gitmodules', '.gitmodules'], ['server.xml', 'server.xml'], ['build.rs', 'build.rs'], ['web.config', 'web.config'],
  ['App.csproj', '*.{csproj,fsproj,vbproj,vcxproj,proj,targets,props,sln}'], ['Directory.Build.props', '*.{csproj,fsproj,vbproj,vcxproj,proj,targets,props,sln}'],
  ['package.json', 'package.json'], ['packages/a/package.json', 'package.json'], ['package-lock.json', 'package-lock.json'], ['yarn.lock', 'yarn.lock'],
  ['pnpm-lock.yaml', 'pnpm-lock.yaml'], ['Cargo.lock', 'Cargo.lock'], ['go.sum', 'go.sum'], ['poetry.lock', 'poetry.lock'], ['requirements-dev.txt', 'requirements*.txt'],
  ['pyproject.toml', 'pyproject.toml'], ['setup.py', 'setup.py'], ['Gemfile', 'Gemfile'], ['composer.json', 'composer.json'], ['pom.xml', 'pom.xml'],
  ['.husky/pre-commit', '**/.husky/**'], ['.github/workflows/ci.yml', '**/.github/workflows/**'], ['.github/actions/setup/action.yml', '**/.github/actions/**'],
  ['.gitlab-ci.yml', '.gitlab-ci.yml'], ['.circleci/config.yml', '**/.circleci/**'], ['Jenkinsfile', 'Jenkinsfile'], ['Dockerfile', 'Dockerfile'],
  ['docker-compose.yml', 'docker-compose*.y{,a}ml'], ['Makefile', 'Makefile'], ['scripts/release.sh', '*.sh'], ['build.gradle', '*.gradle'],
  ['build.gradle.kts', '*.gradle.kts'], ['gradlew', 'gradlew'], ['gradle/wrapper/gradle-wrapper.properties', '**/gradle/wrapper/**'], ['CMakeLists.txt', 'CMakeLists.txt'],
  ['eslint.config.mjs', 'eslint.config.*'], ['.eslintrc.json', '.eslintrc.*'], ['tsconfig.json', 'tsconfig*.json'], ['tsconfig.build.json', 'tsconfig*.json'],
  ['jsconfig.json', 'jsconfig*.json'], ['vite.config.ts', 'vite.config.*'], ['webpack.config.js', 'webpack.config.*'], ['jest.config.js', 'jest.config.*'],
  ['.mocharc.json', '.mocharc*'], ['esbuild.mjs', 'esbuild.*js'], ['.pre-commit-config.yaml', '.pre-commit-config.yaml'], ['conftest.py', 'conftest.py'],
  ['scripts/setup.ps1', '*.ps1'], ['run.bat', '*.bat'], ['.nvmrc', '.nvmrc'], ['BUILD.bazel', 'BUILD.bazel'],
];

describe('edits that always ask (configure or run code)', () => {
  const sensitive = new SensitivePaths();
  for (const [file, pattern] of askExamples) {
    it(`${file} (${pattern})`, () => {
      assert.ok(ALWAYS_ASK_EDIT_PATTERNS.includes(pattern), `${pattern} is in the list`);
      assert.ok(matchesAny(file, [pattern]));
      assert.match(sensitive.editNeedsApproval(file) ?? '', /configures or runs code/);
    });
  }
  it("VS Code's chat.tools.edits.autoApprove defaults are the floor", () => {
    for (const file of ['.vscode/launch.json', '.git/config', 'package.json', 'package-lock.json', 'server.xml', 'build.rs', 'web.config', '.gitattributes', '.env', 'a.code-workspace', 'a.csproj', 'a.fsproj', 'a.vbproj', 'a.vcxproj', 'a.proj', 'a.targets', 'a.props']) {
      assert.ok(sensitive.editNeedsApproval(file), file);
    }
  });
  it('ordinary source files do not', () => {
    for (const file of ['src/app.ts', 'README.md', 'src/build.ts', 'docs/package.md', 'src/Makefile.md']) assert.equal(sensitive.editNeedsApproval(file), undefined, file);
  });
});
