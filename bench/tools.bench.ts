// Custom tools vs Anthropic's text editor tool (aimlChat.tools.editorToolStyle), measured through
// the real request path: the chat's turn loop, request builder and MessagesClient against the
// local stand-in (which validates every request against the gateway's seed schema), with the
// ToolRunner on a temporary workspace. The "model" is scripted, so rounds are the minimum each
// tool set needs for a task shape, not a model's judgement; what differs is measured exactly:
// definition size, request bytes per task, estimated input tokens, and the error-recovery text.
// Run: npx tsx bench/tools.bench.ts   (prints markdown tables)
import { MessagesClient } from '../src/core/api/client';
import { buildSystemPrompt } from '../src/core/chat/prompts';
import { buildMessagesRequest } from '../src/core/chat/requestBuilder';
import { runTurn } from '../src/core/chat/turnRunner';
import { ToolRunner, type EditorToolStyle } from '../src/core/tools/toolRunner';
import type { StoredMessage } from '../src/shared/model';
import { startStandIn, type ScriptStep } from '../test/support/standin';
import { FakeHost, settings, tempDir, writeFiles } from '../test/unit/tools/fakeHost';

const MODEL = 'claude-sonnet-4-6';
/** Anthropic's published system-prompt overhead of text_editor_20250728 (text editor tool docs, "Pricing"). */
const TEXT_EDITOR_HIDDEN_TOKENS = 700;

const FILES = {
  'src/greet.ts': 'export function greet(name: string) {\n  return "Hello " + name;\n}\n\nexport function shout(name: string) {\n  return "Hello " + name + "!";\n}\n',
  'src/index.ts': 'import { greet } from "./greet";\nconsole.log(greet("world"));\n',
  'README.md': '# Demo\n',
};

type Call = { name: string; input: unknown };
const tool = (...calls: Call[]): ScriptStep => ({ kind: 'toolUse', calls });
const done: ScriptStep = { kind: 'text', text: 'Done.' };

function script(style: EditorToolStyle): Record<string, ScriptStep[]> {
  const te = 'str_replace_based_edit_tool';
  const read = (path: string): Call => (style === 'custom' ? { name: 'read_file', input: { path } } : { name: te, input: { command: 'view', path } });
  const list = (path: string): Call => (style === 'custom' ? { name: 'list_directory', input: { path } } : { name: te, input: { command: 'view', path } });
  const replace = (path: string, oldText: string, newText: string): Call =>
    (style === 'custom' ? { name: 'propose_edit', input: { path, action: 'replace', old_text: oldText, new_text: newText } } : { name: te, input: { command: 'str_replace', path, old_str: oldText, new_str: newText } });
  const create = (path: string, text: string): Call =>
    (style === 'custom' ? { name: 'propose_edit', input: { path, action: 'create', new_text: text } } : { name: te, input: { command: 'create', path, file_text: text } });
  return {
    'explain a function (read, answer)': [tool(read('src/greet.ts')), done],
    'fix a line (read, edit, answer)': [tool(read('src/greet.ts')), tool(replace('src/greet.ts', '  return "Hello " + name;\n}', '  return `Hello ${name}`;\n}')), done],
    'find usages then edit (search, read, edit, answer)': [tool({ name: 'search_text', input: { query: 'greet(' } }), tool(read('src/index.ts')), tool(replace('src/index.ts', 'greet("world")', 'greet("there")')), done],
    'recover from an ambiguous edit (read, bad edit, edit, answer)': [tool(read('src/greet.ts')), tool(replace('src/greet.ts', '"Hello " + name', '`Hi ${name}`')), tool(replace('src/greet.ts', '  return "Hello " + name + "!";', '  return `Hi ${name}!`;')), done],
    'add a file (list, create, answer)': [tool(list('src')), tool(create('src/bye.ts', 'export const bye = () => "bye";\n')), done],
  };
}

interface TaskResult { style: EditorToolStyle; task: string; rounds: number; requestBytes: number; inputTokens: number; accepted: boolean; errors: string[] }

async function runTask(baseUrl: string, standIn: Awaited<ReturnType<typeof startStandIn>>, style: EditorToolStyle, task: string, steps: ScriptStep[]): Promise<TaskResult> {
  const ws = tempDir('aiml-tools-bench-');
  await writeFiles(ws, FILES);
  const runner = new ToolRunner(new FakeHost([{ fsPath: ws, name: 'ws' }]), () => settings({ editorToolStyle: style, autoApplyEdits: true }));
  const api = new MessagesClient({ baseUrl, apiKey: 'test-key', maxRetries: 0 });
  standIn.reset();
  standIn.enqueue(...steps);
  const history: StoredMessage[] = [{ id: 'u1', role: 'user', content: [{ type: 'text', text: `Task: ${task}` }], createdAt: 0, kind: 'prompt' }];
  let n = 0;
  const system = buildSystemPrompt({ toolsAvailable: true, workspaceName: 'ws' });
  const errors: string[] = [];
  const outcome = await runTurn(history, {
    api, executor: runner, maxToolCalls: 25, newId: () => `m${++n}`, now: () => 0,
    buildRequest: async (h) => (await buildMessagesRequest(h, { model: MODEL, acceptsSampling: true, maxTokens: 1024, temperature: null, thinking: { enabled: false, budgetTokens: 1024 }, promptCaching: false, system, tools: runner.definitions() }, async () => '')).request,
  }, { onMessageAdded: () => undefined, onStreamEvent: () => undefined, onMessageFinished: () => undefined, onToolCard: () => undefined }, new AbortController().signal);
  for (const m of history) for (const b of m.content) if (b.type === 'tool_result' && (b as { is_error?: boolean }).is_error) errors.push(String((b as { content?: unknown }).content));
  const requests = standIn.requests.filter((r) => r.path.endsWith('/messages'));
  const inputTokens = history.filter((m) => m.role === 'assistant').reduce((sum, m) => sum + (m.usage?.input_tokens ?? 0), 0);
  return {
    style, task, rounds: requests.length, requestBytes: requests.reduce((s, r) => s + JSON.stringify(r.body).length, 0),
    inputTokens: inputTokens + (style === 'anthropic' ? requests.length * TEXT_EDITOR_HIDDEN_TOKENS : 0),
    accepted: outcome.kind === 'done', errors,
  };
}

async function main(): Promise<void> {
  const standIn = await startStandIn({ apiKey: 'test-key', chunking: 'none', lineEnding: 'lf' });
  try {
    console.log('### Tool definitions sent with every request\n');
    console.log('| style | tools | JSON bytes | est. tokens (bytes/4) | hidden system-prompt tokens (Anthropic docs) |');
    console.log('| --- | --- | --- | --- | --- |');
    for (const style of ['custom', 'anthropic'] as const) {
      const defs = new ToolRunner(new FakeHost([{ fsPath: tempDir(), name: 'ws' }]), () => settings({ editorToolStyle: style })).definitions();
      const bytes = JSON.stringify(defs).length;
      console.log(`| ${style} | ${defs.map((d) => d.name).join(', ')} | ${bytes} | ${Math.round(bytes / 4)} | ${style === 'anthropic' ? TEXT_EDITOR_HIDDEN_TOKENS : 0} |`);
    }
    console.log('\n### Scripted tasks through the real turn loop (stand-in validates each request)\n');
    console.log('| task | style | rounds | request bytes | est. input tokens (incl. hidden) | all requests accepted |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    const recoveries: string[] = [];
    for (const style of ['custom', 'anthropic'] as const) {
      for (const [task, steps] of Object.entries(script(style))) {
        const r = await runTask(standIn.url, standIn, style, task, steps);
        console.log(`| ${task} | ${style} | ${r.rounds} | ${r.requestBytes} | ${r.inputTokens} | ${r.accepted ? 'yes' : 'NO'} |`);
        if (r.errors.length) recoveries.push(`- ${style}: ${r.errors.join(' / ')}`);
      }
    }
    console.log('\n### Error results the model received\n');
    console.log(recoveries.join('\n') || '(none)');
  } finally {
    await standIn.close();
  }
}

void main();
