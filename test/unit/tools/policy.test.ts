// Secret detection, always-ask paths and the approval policy matrix.
import * as assert from 'node:assert/strict';
import { decideApproval, toolsOffReason, type ToolPolicySettings } from '../../../src/core/tools/policy';
import { SensitivePaths } from '../../../src/core/tools/sensitivePaths';

describe('tools: secret-looking files', () => {
  const sensitive = new SensitivePaths(['config/prod/*.yaml', '*.vault']);
  const secrets = [
    '.env', '.env.local', 'app/.env.production', '.ENV', '.envrc', 'deploy/prod.env',
    'certs/server.pem', 'tls/server.key', 'id_rsa', 'home/id_rsa.pub', 'id_ed25519', 'store.p12', 'cert.PFX',
    '.ssh/config', 'x/.ssh/known_hosts', '.aws/credentials', '.npmrc', '.netrc', '.git-credentials',
    'credentials', 'credentials.json', 'gcp-credentials.json', '.git/config', 'secrets.yaml',
    'config/prod/db.yaml', 'team.vault',
  ];
  const ordinary = ['src/app.ts', 'README.md', 'src/host/secrets.ts', 'src/credentials.ts', 'environment.ts', 'docs/keys.md', 'config/dev/db.yaml', 'package.json', '.gitignore', 'keyboard.key.ts'];

  for (const p of secrets) it(`flags ${p}`, () => assert.equal(sensitive.isSecret(p), true));
  for (const p of ordinary) it(`does not flag ${p}`, () => assert.equal(sensitive.isSecret(p), false));

  it('flags a file by any of its names (a harmless link name to a secret target)', () => {
    assert.equal(sensitive.isSecret('notes.txt', '/ws/.env'), true);
  });

  it('names the edits that always ask', () => {
    const s = new SensitivePaths();
    assert.match(s.editNeedsApproval('.vscode/settings.json') ?? '', /\.vscode/);
    assert.match(s.editNeedsApproval('.vscode/tasks.json') ?? '', /\.vscode/);
    assert.match(s.editNeedsApproval('.git/hooks/pre-commit') ?? '', /\.git/);
    assert.match(s.editNeedsApproval('my.code-workspace') ?? '', /configures or runs code/);
    assert.match(s.editNeedsApproval('.env') ?? '', /secrets/);
    assert.match(s.editNeedsApproval('config/settings.json', ['{}', '{"aimlChat.tools.autoApplyEdits": true}']) ?? '', /AIML Chat/);
    assert.equal(s.editNeedsApproval('src/config.ts', ['const k = "aimlChat.tools";', '']), undefined);
    assert.equal(s.editNeedsApproval('src/app.ts'), undefined);
  });
});

describe('tools: approval policy', () => {
  const base: ToolPolicySettings = { toolsEnabled: true, workspaceTrusted: true, autoApproveReads: true, autoApplyEdits: false, toolApproval: {}, secretFilePatterns: [] };
  const read = { toolNames: ['read_file'], approvalClass: 'read' as const };
  const edit = { toolNames: ['propose_edit'], approvalClass: 'edit' as const };

  const matrix: Array<[string, Partial<ToolPolicySettings>, typeof read | typeof edit, string | undefined, 'run' | 'ask' | 'refuse']> = [
    ['reads run by default', {}, read, undefined, 'run'],
    ['reads ask when autoApproveReads is off', { autoApproveReads: false }, read, undefined, 'ask'],
    ['edits ask by default', {}, edit, undefined, 'ask'],
    ['edits run with autoApplyEdits', { autoApplyEdits: true }, edit, undefined, 'run'],
    ['secret read asks even with auto reads', {}, read, 'secret', 'ask'],
    ['secret read asks even with a per-tool auto', { toolApproval: { read_file: 'auto' } }, read, 'secret', 'ask'],
    ['.vscode edit asks even with autoApplyEdits', { autoApplyEdits: true }, edit, '.vscode', 'ask'],
    ['.vscode edit asks even with a per-tool auto', { toolApproval: { propose_edit: 'auto' } }, edit, '.vscode', 'ask'],
    ['per-tool ask overrides auto reads', { toolApproval: { read_file: 'ask' } }, read, undefined, 'ask'],
    ['per-tool auto overrides edit asking', { toolApproval: { propose_edit: 'auto' } }, edit, undefined, 'run'],
    ['per-tool never refuses', { toolApproval: { read_file: 'never' } }, read, undefined, 'refuse'],
    ['per-tool never beats always-ask', { toolApproval: { read_file: 'never' } }, read, 'secret', 'refuse'],
    ['other tools overrides do not leak', { toolApproval: { search_text: 'never' } }, read, undefined, 'run'],
    ['Restricted Mode refuses reads', { workspaceTrusted: false }, read, undefined, 'refuse'],
    ['Restricted Mode refuses even auto edits', { workspaceTrusted: false, autoApplyEdits: true }, edit, undefined, 'refuse'],
    ['tools disabled refuses', { toolsEnabled: false }, read, undefined, 'refuse'],
    ['bogus override values are ignored', { toolApproval: { read_file: 'yes' as never } }, read, undefined, 'run'],
  ];

  for (const [name, overrides, facts, alwaysAskReason, expected] of matrix) {
    it(name, () => {
      const decision = decideApproval({ ...base, ...overrides }, { ...facts, alwaysAskReason });
      assert.equal(decision.action, expected);
    });
  }

  it('explains why tools are off', () => {
    assert.match(toolsOffReason({ ...base, workspaceTrusted: false }) ?? '', /Restricted Mode/);
    assert.match(toolsOffReason({ ...base, toolsEnabled: false }) ?? '', /aimlChat\.tools\.enabled/);
    assert.equal(toolsOffReason(base), undefined);
  });

  it('looks a text editor command up under its equivalent custom tool too', () => {
    const decision = decideApproval({ ...base, toolApproval: { propose_edit: 'auto' } }, { toolNames: ['str_replace_based_edit_tool', 'propose_edit'], approvalClass: 'edit' });
    assert.equal(decision.action, 'run');
    const specific = decideApproval({ ...base, toolApproval: { propose_edit: 'auto', str_replace_based_edit_tool: 'ask' } }, { toolNames: ['str_replace_based_edit_tool', 'propose_edit'], approvalClass: 'edit' });
    assert.equal(specific.action, 'ask');
  });
});
