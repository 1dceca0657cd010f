// One call to a tool of another extension, of VS Code or of an MCP server: asks with an Allow /
// Deny card (VS Code shows no confirmation for a call without its chat-request token, so asking is
// ours), calls it through the host and maps its result parts back to tool_result content within
// the output budget the other tools use.
import type { ImageBlock, TextBlock } from '../../shared/model';
import { toolImageContent } from '../images/imageFiles';
import { failure, type CallScope, type Outcome } from './callScope';
import { OUTPUT_BUDGET, trimOutput } from './commandTool';
import type { ExternalResultPart, ExternalToolInfo, ExternalToolSource } from './externalTools';
import { toolOverride } from './policy';

export const EXTERNAL_ASK_REASON = 'tools of other extensions and MCP servers ask before every call';
/** Characters of the input shown on the card: enough to judge the call, not a page. */
const INPUT_PREVIEW = 400;
/** Data parts sent as text when they are text; VS Code's `cache_control` marker is not content. */
const TEXT_MIME = /^(text\/|application\/(json|xml|[a-z.+-]*\+json|[a-z.+-]*\+xml)$)/i;

// Stryker disable next-line ObjectLiteral: fatal: false is TextDecoder's default, written out to say that invalid bytes are replaced.
const decoder = new TextDecoder('utf-8', { fatal: false });

/** The result parts as tool_result content: text joined and cut to the budget, images as image blocks. */
export function externalResultContent(toolName: string, parts: readonly ExternalResultPart[]): { content: string; blocks?: Array<TextBlock | ImageBlock> } {
  const texts: string[] = [];
  const images: Array<TextBlock | ImageBlock> = [];
  for (const part of parts) {
    if (part.kind === 'text') texts.push(part.text);
    else if (part.kind === 'data') {
      if (part.mimeType === 'cache_control') continue;
      if (part.mimeType.startsWith('image/')) {
        const image = toolImageContent(`${toolName} image ${images.length / 2 + 1}`, part.data);
        if (image.ok) images.push(...image.content);
        else texts.push(`[${image.content[0].text}]`);
      } else if (TEXT_MIME.test(part.mimeType)) texts.push(decoder.decode(part.data));
      else texts.push(`[${part.data.length} bytes of ${part.mimeType || 'binary data'} left out: only text and images reach the model]`);
    } else texts.push(otherPartText(part.value));
  }
  const content = trimOutput(texts.join('\n'), OUTPUT_BUDGET) || (images.length ? '' : '(no output)');
  if (images.length === 0) return { content };
  return { content: content || `${images.length / 2} image(s)`, blocks: [...(content ? [{ type: 'text' as const, text: content }] : []), ...images] };
}

function otherPartText(value: unknown): string {
  try {
    const json = JSON.stringify(value);
    return json === undefined ? '[a result part without a text form]' : json;
  } catch {
    return '[a result part without a text form]';
  }
}

function inputPreview(input: object): string {
  let text: string;
  try {
    text = JSON.stringify(input) ?? '{}';
  } catch {
    text = '{}';
  }
  return text.length <= INPUT_PREVIEW ? text : `${text.slice(0, INPUT_PREVIEW - 1)}…`;
}

/**
 * Runs one external call. Without an invocation token the card asks (Allow / Deny) every time;
 * with one (inside VS Code's own chat request) VS Code shows its confirmation instead. A per-tool
 * `never` (aimlChat.tools.approval) refuses either way.
 */
export async function runExternalTool(scope: CallScope, source: ExternalToolSource, tool: ExternalToolInfo, input: unknown, invocationToken?: unknown): Promise<Outcome> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return failure('invalid input', `Invalid input for ${tool.name}: expected a JSON object. Nothing was run.`);
  const preview = inputPreview(input);
  scope.update({ status: 'validating', target: `${tool.name} ${preview}` });
  if (toolOverride(scope.settings, scope.policyNames) === 'never') {
    return failure(`refused: the user turned ${tool.name} off`, `Refused: the user turned ${tool.name} off (setting aimlChat.tools.approval).`);
  }
  if (invocationToken === undefined) {
    // Stryker disable next-line StringLiteral: with an always-ask reason the approval class is never consulted.
    const permission = await scope.permit('edit', `${EXTERNAL_ASK_REASON}: ${tool.name} ${preview}`);
    if (!permission.ok) return permission.outcome;
  }
  scope.update({ status: 'running' });
  let parts: ExternalResultPart[];
  try {
    parts = await source.invoke(tool.name, input, { signal: scope.signal, invocationToken });
  } catch (error) {
    if (scope.signal.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    return failure('failed', `${tool.name} failed: ${message}`);
  }
  const { content, blocks } = externalResultContent(tool.name, parts);
  const imageCount = blocks ? blocks.filter((b) => b.type === 'image').length : 0;
  const summary = `${content.length} characters${imageCount ? `, ${imageCount} image${imageCount === 1 ? '' : 's'}` : ''}`;
  return { status: 'succeeded', summary, content, isError: false, details: content.slice(0, 4000), ...(blocks ? { blocks } : {}) };
}
