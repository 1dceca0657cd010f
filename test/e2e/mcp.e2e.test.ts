// An MCP server end to end: the workspace's .vscode/mcp.json declares the reference "everything"
// server (the npm devDependency, run with node over stdio: nothing is downloaded), "AIML Chat:
// Choose VS Code Tools…" gets VS Code to start it (no Copilot, no sign-in), the stand-in plays a
// call to its echo tool, the user presses Allow on our card, and the next request carries the
// MCP server's answer as the tool_result.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { useWorkbench, type Workbench } from './support/workbench';
import { getChatFrame, runCommand, sendPrompt, setApiKeyThroughUi, waitForAssistantText, waitIdle } from './support/chat';

const SERVER_ENTRY = path.resolve(__dirname, '..', '..', 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

interface RecordedBody { tools?: Array<{ name?: string }>; messages?: Array<{ role: string; content: unknown }> }

function messageRequests(wb: Workbench): RecordedBody[] {
  return wb.standIn.requests.filter((r) => r.path.endsWith('/messages')).map((r) => r.body as RecordedBody);
}

/** The rows of the open quick pick (aria labels). */
async function quickPickLabels(wb: Workbench): Promise<string[]> {
  return wb.page.locator('.quick-input-widget .monaco-list-row').evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') ?? e.textContent ?? '').trim()));
}

describe('MCP tools end to end (code-server)', function () {
  this.timeout(240_000);
  let wb: Workbench;

  useWorkbench({
    userSettings: {
      // VS Code's MCP support is part of its AI features; no Copilot sign-in is involved.
      'chat.disableAIFeatures': false,
      'chat.mcp.autostart': 'newAndOutdated',
      'aimlChat.tools.vscodeTools': ['mcp_everything_*'],
    },
    workspaceFiles: {
      '.vscode/mcp.json': JSON.stringify({ servers: { everything: { type: 'stdio', command: 'node', args: [SERVER_ENTRY, 'stdio'] } } }, null, 2),
    },
  }, async (started) => {
    wb = started;
    await setApiKeyThroughUi(wb.page, 'test-key');
  });

  it('starts the MCP server, and the model calls its echo tool through our Allow card', async () => {
    await runCommand(wb.page, 'AIML Chat: Choose VS Code Tools…');
    // VS Code may ask whether to trust a workspace's MCP server before it first runs it. The list is
    // virtualised and lays out over a few frames (CI once read a single row), so rows are collected
    // over several reads, and the filter brings the echo tool into view whatever sorts before it.
    const deadline = Date.now() + 90_000;
    const seen = new Set<string>();
    let filtered = false;
    const echoIn = (labels: Iterable<string>) => [...labels].map((l) => /\b(mcp_everything_[a-zA-Z0-9_]*echo)\b/.exec(l)?.[1]).find(Boolean);
    while (Date.now() < deadline && !(echoIn(seen) && [...seen].some((l) => l.includes('mcp_everything_*')))) {
      const trust = wb.page.getByRole('button', { name: /^Trust/ });
      if (await trust.count().catch(() => 0)) await trust.first().click().catch(() => undefined);
      for (const label of await quickPickLabels(wb).catch(() => [])) seen.add(label);
      if (!filtered && [...seen].some((l) => l.includes('mcp_everything_*'))) {
        await wb.page.keyboard.type('echo');
        filtered = true;
      }
      await wb.page.waitForTimeout(500);
    }
    const echo = echoIn(seen);
    assert.ok(echo, `the chooser lists the everything server's echo tool; it listed: ${[...seen].join(' | ')}`);
    assert.ok([...seen].some((l) => l.includes('mcp_everything_*')), 'the server itself can be chosen as a whole');
    await wb.page.keyboard.press('Escape');

    const frame = await getChatFrame(wb.page);
    await sendPrompt(frame, `Echo something [[tool:${echo} {"message":"hello from the MCP server"}]]`);
    const allow = frame.getByRole('button', { name: 'Allow' });
    await allow.waitFor({ timeout: 30_000 });
    assert.equal(messageRequests(wb).length, 1, 'nothing more was sent while the card waits');
    await allow.click();
    await waitForAssistantText(frame, 'hello from the MCP server', 60_000);
    await waitIdle(frame);

    const requests = messageRequests(wb);
    assert.ok(requests[0].tools?.some((t) => t.name === echo), 'the first request offered the MCP tool');
    const last = requests[requests.length - 1];
    const results = (last.messages ?? []).flatMap((m) => (Array.isArray(m.content) ? m.content : [])) as Array<{ type: string; content?: unknown; is_error?: boolean }>;
    const result = results.filter((b) => b.type === 'tool_result').pop();
    assert.ok(result, 'the next request carries a tool_result');
    assert.notEqual(result.is_error, true);
    assert.match(JSON.stringify(result.content), /Echo: hello from the MCP server/);
  });
});
