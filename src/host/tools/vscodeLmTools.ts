// VS Code's tools (vscode.lm.tools: VS Code's own, other extensions', MCP servers') as an
// ExternalToolSource for the tool runner, and the command that lets the user choose which ones the
// model is offered (aimlChat.tools.vscodeTools, saved in user settings).
import * as vscode from 'vscode';
import { AbortedError } from '../../core/tools/toolRunner';
import type { ExternalInvokeOptions, ExternalResultPart, ExternalToolInfo, ExternalToolSource } from '../../core/tools/externalTools';
import { readVscodeToolChoices } from '../config';

/** A result part as plain data; parts are told apart by shape so a part built by another copy of the API classes still maps. */
export function toResultPart(part: unknown): ExternalResultPart {
  const p = part as { value?: unknown; data?: unknown; mimeType?: unknown };
  if (part instanceof vscode.LanguageModelTextPart || (p && typeof p.value === 'string' && Object.keys(p).length === 1)) return { kind: 'text', text: String(p.value) };
  if (p && p.data instanceof Uint8Array && typeof p.mimeType === 'string') return { kind: 'data', mimeType: p.mimeType, data: p.data };
  return { kind: 'other', value: p && 'value' in p ? p.value : part };
}

export class VscodeLmToolSource implements ExternalToolSource {
  list(): readonly ExternalToolInfo[] {
    return vscode.lm.tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema, tags: tool.tags }));
  }

  async invoke(name: string, input: object, options: ExternalInvokeOptions): Promise<ExternalResultPart[]> {
    if (options.signal.aborted) throw new AbortedError();
    const cancellation = new vscode.CancellationTokenSource();
    let onAbort = () => {};
    // A tool that ignores cancellation must not hold up Stop: the call is given up at once.
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        cancellation.cancel();
        reject(new AbortedError());
      };
      options.signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const call = vscode.lm.invokeTool(name, { input, toolInvocationToken: options.invocationToken as vscode.ChatParticipantToolToken | undefined }, cancellation.token);
      const result = await Promise.race([Promise.resolve(call), aborted]);
      return result.content.map(toResultPart);
    } finally {
      options.signal.removeEventListener('abort', onAbort);
      cancellation.dispose();
    }
  }
}

/** `mcp_everything_echo` → `mcp_everything_*`: all tools of one MCP server. */
function serverPrefix(name: string): string | undefined {
  const match = /^(mcp_[^_]+_)/.exec(name);
  return match ? `${match[1]}*` : undefined;
}

/** How long the chooser waits for MCP servers to start and list their tools. */
const MCP_START_WAIT_MS = 20_000;

/**
 * Starts the MCP servers configured in VS Code whose tools are not known yet, as a chat request in
 * VS Code would (VS Code asks before it runs a server it does not trust yet); nothing when the user
 * set chat.mcp.autostart to never. VS Code lists a server's tools only once it ran.
 */
async function startMcpServers(): Promise<void> {
  const autostart = vscode.workspace.getConfiguration('chat.mcp').get<unknown>('autostart');
  if (autostart === 'never' || autostart === false) return;
  const before = vscode.lm.tools.length;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'AIML Chat: starting MCP servers…' }, () => Promise.race([
    Promise.resolve(vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true })).catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, MCP_START_WAIT_MS)),
  ]));
  // The extension host hears of new tools a moment after the workbench has them.
  for (let i = 0; i < 20 && vscode.lm.tools.length === before; i++) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** "AIML Chat: Choose VS Code Tools…": a multi-select of MCP servers and single tools, saved in user settings. */
export async function chooseVscodeTools(): Promise<void> {
  await startMcpServers();
  const chosen = new Set(readVscodeToolChoices());
  const tools = [...vscode.lm.tools].sort((a, b) => a.name.localeCompare(b.name));
  const servers = [...new Set(tools.map((t) => serverPrefix(t.name)).filter((p): p is string => !!p))];
  type Item = vscode.QuickPickItem & { choice?: string };
  const items: Item[] = [
    ...(servers.length ? [{ label: 'MCP servers', kind: vscode.QuickPickItemKind.Separator }] : []),
    ...servers.map((prefix): Item => ({ label: prefix, description: `all ${tools.filter((t) => t.name.startsWith(prefix.slice(0, -1))).length} tools of this MCP server`, choice: prefix, picked: chosen.has(prefix) })),
    { label: 'Tools', kind: vscode.QuickPickItemKind.Separator },
    ...tools.map((t): Item => ({ label: t.name, detail: t.description.slice(0, 200), choice: t.name, picked: chosen.has(t.name) })),
  ];
  if (tools.length === 0) {
    void vscode.window.showInformationMessage('AIML Chat: VS Code lists no tools right now. MCP servers appear once VS Code has started them (see the MCP: List Servers command).');
    return;
  }
  const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: 'Tools the model may call (each call asks first)', placeHolder: 'MCP servers and tools of VS Code and other extensions' });
  if (!picked) return;
  // Entries not listed right now (a server that is stopped) are kept.
  const listed = new Set(items.map((i) => i.choice).filter(Boolean));
  const kept = [...chosen].filter((c) => !listed.has(c));
  await vscode.workspace.getConfiguration('aimlChat').update('tools.vscodeTools', [...kept, ...picked.map((p) => p.choice).filter((c): c is string => !!c)], vscode.ConfigurationTarget.Global);
}
