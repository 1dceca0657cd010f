// The import boundaries of docs/ARCHITECTURE.md are lint rules (eslint.config.mjs); this proves
// each rule fires on a sample file in the place it guards, and stays quiet where imports are fine.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../../..');

describe('import boundaries (ESLint)', function () {
  this.timeout(60_000);
  let eslint: ESLint;
  before(() => {
    eslint = new ESLint({ cwd: ROOT });
  });

  async function restrictedImports(filePath: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
    return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  }

  const cases: { rule: string; file: string; code: string; expect: RegExp }[] = [
    { rule: 'host never imports the webview', file: 'src/host/sample.ts', code: "import { x } from '../../webview/app';\nexport const y = x;\n", expect: /never imports the webview/ },
    { rule: 'extension.ts never imports the webview', file: 'src/extension.ts', code: "import { x } from '../webview/app';\nexport const y = x;\n", expect: /never imports the webview/ },
    { rule: 'host never imports tests', file: 'src/host/sample.ts', code: "import { x } from '../../test/support/standin/server';\nexport const y = x;\n", expect: /never imports test code/ },
    { rule: 'core never imports tests', file: 'src/core/chat/sample.ts', code: "import { x } from '../../../test/unit/chat/fakes';\nexport const y = x;\n", expect: /never imports test code/ },
    { rule: 'shared never imports tests', file: 'src/shared/sample.ts', code: "import { x } from '../../test/fixtures/x';\nexport const y = x;\n", expect: /never imports test code/ },
    { rule: 'webview never imports tests', file: 'webview/sample.ts', code: "import { x } from '../test/browser/harness/rendererHarness';\nexport const y = x;\n", expect: /never imports test code/ },
    { rule: 'core stays free of vscode', file: 'src/core/chat/sample.ts', code: "import * as vscode from 'vscode';\nexport const y = vscode;\n", expect: /must not import vscode/ },
    { rule: 'shared stays free of vscode', file: 'src/shared/sample.ts', code: "import * as vscode from 'vscode';\nexport const y = vscode;\n", expect: /must not import vscode/ },
    { rule: 'core never imports the host', file: 'src/core/chat/sample.ts', code: "import { x } from '../../host/config';\nexport const y = x;\n", expect: /core may import only core and shared/ },
    { rule: 'core imports zod only through shared/zod', file: 'src/core/chat/sample.ts', code: "import * as z from 'zod';\nexport const y = z;\n", expect: /shared\/zod/ },
    { rule: 'webview imports zod only through shared/zod', file: 'webview/sample.ts', code: "import * as z from 'zod/mini';\nexport const y = z;\n", expect: /English error messages/ },
    { rule: 'webview imports only shared', file: 'webview/sample.ts', code: "import { x } from '../src/core/chat/prompts';\nexport const y = x;\n", expect: /webview imports only src\/shared/ },
  ];
  for (const { rule, file, code, expect } of cases) {
    it(`fires: ${rule}`, async () => {
      const messages = await restrictedImports(file, code);
      assert.equal(messages.length, 1, messages.join('\n'));
      assert.match(messages[0], expect);
    });
  }

  it('allows what the architecture allows', async () => {
    assert.deepEqual(await restrictedImports('src/host/sample.ts', "import * as vscode from 'vscode';\nimport { x } from '../core/chat/prompts';\nimport { y } from '../shared/model';\nexport const z = [vscode, x, y];\n"), []);
    assert.deepEqual(await restrictedImports('webview/sample.ts', "import { y } from '../src/shared/model';\nexport const z = y;\n"), []);
    assert.deepEqual(await restrictedImports('src/shared/zod.ts', "export * from 'zod/mini';\n"), []);
    assert.deepEqual(await restrictedImports('test/browser/harness/sample.ts', "import { x } from '../../../webview/app';\nexport const z = x;\n"), []);
  });
});
