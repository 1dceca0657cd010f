// Chip languages and folder chips at their edges: every extension of the language table, names
// that are Object.prototype members (they must not find a function), and a folder that is empty
// or holds only secrets.
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { folderChip, languageOf, problemsChip } from '../../../src/core/context/contextSources';
import { PathResolver } from '../../../src/core/tools/paths';
import { SensitivePaths } from '../../../src/core/tools/sensitivePaths';
import { FakeHost, tempDir, writeFiles } from '../tools/fakeHost';

describe('context chip languages and folder edges, exactly', () => {
  it('maps every extension of the table to its VS Code language id', () => {
    const table: Record<string, string> = {
      ts: 'typescript', tsx: 'typescriptreact', js: 'javascript', jsx: 'javascriptreact', mjs: 'javascript', cjs: 'javascript', json: 'json', md: 'markdown',
      py: 'python', go: 'go', rs: 'rust', java: 'java', kt: 'kotlin', cs: 'csharp', c: 'c', h: 'c', cpp: 'cpp', hpp: 'cpp', rb: 'ruby', php: 'php',
      swift: 'swift', sh: 'shellscript', bash: 'shellscript', yml: 'yaml', yaml: 'yaml', toml: 'toml', html: 'html', css: 'css', scss: 'scss', sql: 'sql', xml: 'xml',
    };
    for (const [extension, language] of Object.entries(table)) {
      assert.equal(languageOf(`src/file.${extension}`), language, extension);
      assert.equal(languageOf(`FILE.${extension.toUpperCase()}`), language, extension.toUpperCase());
    }
  });

  it('finds no language for names of Object.prototype members', () => {
    for (const name of ['x.constructor', 'x.__proto__', 'x.toString', 'x.hasOwnProperty', 'constructor', '.ts', 'x.']) assert.equal(languageOf(name), undefined, name);
  });

  it('shows an empty folder, or one holding only secrets, as "(empty folder)"', async () => {
    const ws = tempDir('aiml-chips-edges-');
    await writeFiles(ws, { 'secrets/.env': 'A=1', 'secrets/id_rsa': 'k' });
    mkdirSync(path.join(ws, 'nothing'));
    const host = new FakeHost([{ fsPath: ws, name: 'ws' }]);
    const deps = { host, resolver: new PathResolver(host.roots()), sensitive: new SensitivePaths() };
    for (const folder of ['nothing', 'secrets']) {
      const chip = await folderChip(deps, folder);
      assert.deepEqual(chip.ok && { ...chip.chip, tokens: 0 }, { kind: 'folder', label: `${folder}/`, path: folder, text: '(empty folder)', tokens: 0 }, folder);
    }
  });

  it('lists exactly 200 problems without a "more" line', async () => {
    const ws = tempDir('aiml-chips-problems-');
    await writeFiles(ws, { 'a.ts': 'x' });
    const host = new FakeHost([{ fsPath: ws, name: 'ws' }]);
    const deps = { host, resolver: new PathResolver(host.roots()), sensitive: new SensitivePaths() };
    host.problems = Array.from({ length: 200 }, (_, i) => ({ absPath: path.join(ws, 'a.ts'), line: i + 1, column: 1, severity: 'error' as const, message: 'm' }));
    const chip = await problemsChip(deps);
    const lines = chip.ok ? chip.chip.text.split('\n') : [];
    assert.equal(lines.length, 200);
    assert.equal(lines[199], 'a.ts:200:1 error: m');
  });
});
