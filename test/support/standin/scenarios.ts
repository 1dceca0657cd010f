// Decides what the stand-in answers: a scripted step from the enqueue FIFO, or a scenario picked
// from the last user prompt (keywords and [[...]] directives, so a person in the sandbox and the
// e2e tests can trigger each behaviour by typing).
import { createHash } from 'node:crypto';
import { defaultAnswer, longAnswer, MARKDOWN_ANSWER, thinkingText, UNICODE_ANSWER } from './content';
import { describeImage, type ImageFormat } from './images';
import { faultNames, type FaultName, type ScriptedToolCall, type ScriptStep } from './types';
import { blocksOf, type Block, type ValidRequest } from './validate';
import { newId, signThinking } from './util';

export type PlannedBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown };

export interface Plan { blocks: PlannedBlock[]; stopReason: string; stopSequence: string | null }

export const scenarioNames = ['default', 'markdown', 'code', 'long', 'unicode', 'think', 'redactedThinking', 'tool', 'toolResult', 'image'] as const;

const TOOL_RESULT_QUOTE_CHARS = 200;

/** The text the user typed last (text blocks of the last user message). */
export function lastPromptText(request: ValidRequest): string {
  const lastUser = [...request.messages].reverse().find((m) => m.role === 'user');
  if (!lastUser) return '';
  return blocksOf(lastUser).filter((b) => b.type === 'text').map((b) => String(b.text)).join('\n');
}

/** `[[fault:NAME]]` faults every request with that prompt; `[[fault:NAME:once]]` only the first. */
export function faultFromPrompt(prompt: string): { fault: FaultName; once: boolean } | undefined {
  const match = /\[\[fault:([A-Za-z0-9]+)(:once)?\]\]/.exec(prompt);
  if (!match || !(faultNames as readonly string[]).includes(match[1])) return undefined;
  return { fault: match[1] as FaultName, once: Boolean(match[2]) };
}

/** `[[tool:NAME JSON]]`, repeated for parallel calls. The JSON may itself contain `]]`. */
export function parseToolDirectives(prompt: string): ScriptedToolCall[] {
  const calls: ScriptedToolCall[] = [];
  const start = /\[\[tool:([A-Za-z0-9_-]+)/g;
  let match: RegExpExecArray | null;
  while ((match = start.exec(prompt))) {
    const rest = prompt.slice(match.index + match[0].length);
    let end = rest.indexOf(']]');
    while (end !== -1) {
      const json = rest.slice(0, end).trim();
      try {
        calls.push({ name: match[1], input: json ? JSON.parse(json) : {} });
        break;
      } catch {
        end = rest.indexOf(']]', end + 1);
      }
    }
  }
  return calls;
}

function thinkingEnabled(request: ValidRequest): boolean {
  return request.thinking?.type === 'enabled' || request.thinking?.type === 'adaptive';
}

function thinkingBlock(request: ValidRequest, text: string): PlannedBlock {
  // With display "omitted" the service sends the signature but no thinking text.
  const shown = (request.thinking as { display?: string } | undefined)?.display === 'omitted' ? '' : text;
  return { type: 'thinking', thinking: shown, signature: signThinking(shown) };
}

function toolCallBlocks(calls: ScriptedToolCall[]): PlannedBlock[] {
  return calls.map((call) => ({ type: 'tool_use', id: call.id ?? newId('toolu_01'), name: call.name, input: call.input ?? {} }));
}

function text(value: string): PlannedBlock { return { type: 'text', text: value }; }

/**
 * Wraps an answer's blocks into a plan. With thinking enabled the real service thinks before every
 * answer, and a client must send that block back in a tool loop; so the stand-in does the same.
 */
function answerPlan(request: ValidRequest, blocks: PlannedBlock[], stopReason?: string): Plan {
  const prompt = lastPromptText(request);
  const withThinking = thinkingEnabled(request) && blocks[0]?.type !== 'thinking' ? [thinkingBlock(request, thinkingText(prompt)), ...blocks] : blocks;
  const natural = withThinking.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
  return { blocks: withThinking, stopReason: stopReason ?? natural, stopSequence: null };
}

/** A plan for a scripted step (not a fault: the server handles those). */
export function planFromStep(step: Exclude<ScriptStep, { kind: 'fault' }>, request: ValidRequest): Plan {
  switch (step.kind) {
    case 'text':
      return answerPlan(request, [text(step.text)], step.stopReason);
    case 'toolUse':
      return answerPlan(request, [...(step.text ? [text(step.text)] : []), ...toolCallBlocks(step.calls)]);
    case 'thinking':
      return answerPlan(request, [thinkingBlock(request, step.thinking), text(step.text)]);
    case 'scenario':
      return planScenario(step.name, request);
  }
}

/** Picks the scenario from the prompt when no step was queued. */
export function planFromPrompt(request: ValidRequest): Plan {
  const prompt = lastPromptText(request);
  const named = /\[\[scenario:([A-Za-z0-9_-]+)\]\]/.exec(prompt)?.[1];
  if (named) return planScenario(named, request);
  const last = request.messages[request.messages.length - 1];
  if (last.role === 'user' && blocksOf(last).some((b) => b.type === 'tool_result')) return planScenario('toolResult', request);
  if (parseToolDirectives(prompt).length || readRequestPath(prompt)) return planScenario('tool', request);
  if (last.role === 'user' && blocksOf(last).some((b) => b.type === 'image')) return planScenario('image', request);
  if (/\bredact/i.test(prompt)) return planScenario('redactedThinking', request);
  if (/\bthink/i.test(prompt)) return planScenario('think', request);
  if (/\blong\b/i.test(prompt)) return planScenario('long', request);
  if (/\b(markdown|code)\b/i.test(prompt)) return planScenario('markdown', request);
  if (/\bunicode\b/i.test(prompt)) return planScenario('unicode', request);
  return planScenario('default', request);
}

function readRequestPath(prompt: string): string | undefined {
  return /\bread\s+(?:the\s+)?(?:file\s+)?[`"']?([\w./-]+\.[\w]+)[`"']?/i.exec(prompt)?.[1];
}

export function planScenario(name: string, request: ValidRequest): Plan {
  const prompt = lastPromptText(request);
  const answer = (...blocks: PlannedBlock[]): Plan => answerPlan(request, blocks);
  switch (name) {
    case 'markdown':
    case 'code':
      return answer(text(MARKDOWN_ANSWER));
    case 'long':
      return answer(text(longAnswer()));
    case 'unicode':
      return answer(text(UNICODE_ANSWER));
    case 'think':
      if (!thinkingEnabled(request)) return answer(text('Thinking is off for this request, so there is no thinking block. ' + defaultAnswer(prompt)));
      return answer(thinkingBlock(request, thinkingText(prompt)), text(defaultAnswer(prompt)));
    case 'redactedThinking': {
      if (!thinkingEnabled(request)) return answer(text('Thinking is off for this request, so there is no redacted thinking. ' + defaultAnswer(prompt)));
      const data = Buffer.from(`standin-redacted:${prompt.slice(0, 40)}`).toString('base64');
      return answer(thinkingBlock(request, thinkingText(prompt)), { type: 'redacted_thinking', data }, text(defaultAnswer(prompt)));
    }
    case 'tool':
      return answer(...toolScenario(prompt, request));
    case 'toolResult':
      return answer(text(toolResultAnswer(request)));
    case 'image':
      return answer(text(imageAnswer(request)));
    default:
      return answer(text(defaultAnswer(prompt)));
  }
}

function toolScenario(prompt: string, request: ValidRequest): PlannedBlock[] {
  const tools = request.tools ?? [];
  if (tools.length === 0) return [text('The request has no tools, so I cannot call one. ' + defaultAnswer(prompt))];
  const scripted = parseToolDirectives(prompt);
  if (scripted.length) {
    const names = scripted.map((c) => c.name).join(', ');
    return [text(`Calling ${names}.`), ...toolCallBlocks(scripted)];
  }
  const path = readRequestPath(prompt) ?? 'README.md';
  const byName = tools.find((t) => t.name === 'read_file') ?? tools.find((t) => /read/i.test(String(t.name)));
  if (byName) return [text(`I'll read ${path}.`), ...toolCallBlocks([{ name: String(byName.name), input: { path } }])];
  const editor = tools.find((t) => String(t.type ?? '').startsWith('text_editor_'));
  if (editor) return [text(`I'll view ${path}.`), ...toolCallBlocks([{ name: String(editor.name), input: { command: 'view', path } }])];
  return [text(`None of the tools can read ${path}. ` + defaultAnswer(prompt))];
}

function toolResultText(block: Block): string {
  if (typeof block.content === 'string') return block.content;
  if (!Array.isArray(block.content)) return '';
  return (block.content as Block[]).map((inner) => (inner.type === 'text' ? String(inner.text) : `[${inner.type}]`)).join('\n');
}

/** Quotes the start of each tool result verbatim, in a fence longer than any backtick run inside. */
function toolResultAnswer(request: ValidRequest): string {
  const last = request.messages[request.messages.length - 1];
  const results = blocksOf(last).filter((b) => b.type === 'tool_result');
  const parts = results.map((result, index) => {
    const quoted = toolResultText(result).slice(0, TOOL_RESULT_QUOTE_CHARS);
    const longestRun = Math.max(2, ...(quoted.match(/`+/g) ?? []).map((run) => run.length));
    const fence = '`'.repeat(longestRun + 1);
    const label = result.is_error ? 'reported an error' : 'returned';
    return `Tool result ${index + 1} (${String(result.tool_use_id)}) ${label}:\n\n${fence}text\n${quoted}\n${fence}`;
  });
  return `${parts.join('\n\n')}\n\nThat is what the tool${results.length > 1 ? 's' : ''} returned.`;
}

function imageAnswer(request: ValidRequest): string {
  const last = request.messages[request.messages.length - 1];
  const images = blocksOf(last).filter((b) => b.type === 'image');
  const lines = images.map((image, index) => {
    const source = image.source as { type: string; media_type: ImageFormat; data?: string; url?: string };
    if (source.type !== 'base64' || !source.data) return `${index + 1}. an image by URL: ${source.url ?? '?'}`;
    const facts = describeImage(source.data, source.media_type);
    const digest = createHash('sha256').update(Buffer.from(source.data, 'base64')).digest('hex').slice(0, 16);
    return `${index + 1}. ${facts.mediaType}, ${facts.bytes} bytes, ${facts.width}x${facts.height} px, sha256 ${digest}`;
  });
  return `I received ${images.length} image${images.length === 1 ? '' : 's'}:\n\n${lines.join('\n')}`;
}

/**
 * Obeys tool_choice as the model does: `none` never calls a tool (a scripted call becomes text),
 * `disable_parallel_tool_use` keeps the first call only, `any`/`tool` always call one.
 */
export function applyToolChoice(plan: Plan, request: ValidRequest): Plan {
  const choice = request.tool_choice as { type: string; name?: string; disable_parallel_tool_use?: boolean } | undefined;
  if (!choice) return plan;
  let blocks = plan.blocks;
  if (choice.type === 'none') {
    blocks = blocks.filter((b) => b.type !== 'tool_use');
    if (!blocks.some((b) => b.type === 'text')) blocks = [...blocks, text('Answering without tools, as tool_choice is "none". ' + defaultAnswer(lastPromptText(request)))];
    return { blocks, stopReason: plan.stopReason === 'tool_use' ? 'end_turn' : plan.stopReason, stopSequence: plan.stopSequence };
  }
  if ((choice.type === 'any' || choice.type === 'tool') && !blocks.some((b) => b.type === 'tool_use')) {
    const name = choice.type === 'tool' ? String(choice.name) : String(request.tools?.[0]?.name);
    blocks = [...blocks, ...toolCallBlocks([{ name, input: {} }])];
  }
  if (choice.disable_parallel_tool_use) {
    const first = blocks.findIndex((b) => b.type === 'tool_use');
    blocks = blocks.filter((b, index) => b.type !== 'tool_use' || index === first);
  }
  const stopReason = blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : plan.stopReason;
  return { blocks, stopReason, stopSequence: plan.stopSequence };
}

/** Applies stop_sequences and max_tokens (about 4 characters a token) like the real service. */
export function applyLimits(plan: Plan, request: ValidRequest): Plan {
  let budget = request.max_tokens * 4;
  const blocks: PlannedBlock[] = [];
  for (const block of plan.blocks) {
    if (block.type === 'text') {
      const hit = (request.stop_sequences ?? [])
        .map((sequence) => ({ sequence, at: sequence ? block.text.indexOf(sequence) : -1 }))
        .filter((h) => h.at >= 0)
        .sort((a, b) => a.at - b.at)[0];
      const limited = hit ? block.text.slice(0, hit.at) : block.text;
      if ([...limited].length > budget) {
        blocks.push(text([...limited].slice(0, budget).join('')));
        return { blocks, stopReason: 'max_tokens', stopSequence: null };
      }
      blocks.push(text(limited));
      budget -= [...limited].length;
      if (hit) return { blocks, stopReason: 'stop_sequence', stopSequence: hit.sequence };
      continue;
    }
    const size = block.type === 'thinking' ? block.thinking.length : block.type === 'tool_use' ? JSON.stringify(block.input).length : 0;
    if (size > budget) return { blocks, stopReason: 'max_tokens', stopSequence: null };
    budget -= size;
    blocks.push(block);
  }
  return { ...plan, blocks };
}

export function outputChars(plan: Plan): number {
  return plan.blocks.reduce((sum, b) => sum + (b.type === 'text' ? b.text.length : b.type === 'thinking' ? b.thinking.length : b.type === 'tool_use' ? JSON.stringify(b.input).length : 8), 0);
}
