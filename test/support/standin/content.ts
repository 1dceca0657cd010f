// Canned answer texts of the scenarios. Kept apart from the selection logic in scenarios.ts so
// that either file stays short. Every text has some multi-byte characters on purpose: the chunked
// writer then has UTF-8 sequences to split, which is what a client's decoder must survive.

export function defaultAnswer(prompt: string): string {
  const words = prompt.trim().split(/\s+/).filter(Boolean).slice(0, 8).join(' ');
  const summary = words ? `“${words}${prompt.trim().split(/\s+/).length > 8 ? ' …' : ''}”` : '(an empty prompt)';
  return [
    `You asked about ${summary} — here is a short answer from the AIML stand-in ✓.`,
    '',
    'A small **TypeScript** example:',
    '',
    '```typescript',
    'export function greet(name: string): string {',
    '  return `Hello, ${name}! 👋`;',
    '}',
    '```',
    '',
    'Ask for `markdown`, `long`, `think`, `read README.md` or attach an image to see other answers.',
  ].join('\n');
}

export const MARKDOWN_ANSWER = [
  '# Rich markdown from the stand-in',
  '',
  'Some *emphasis*, **strong text**, `inline code`, ~~strike~~ and a [link](https://example.com/docs).',
  '',
  '## Lists',
  '',
  '1. First step',
  '2. Second step',
  '   - nested bullet with ünïcödé',
  '   - another nested bullet',
  '3. Third step',
  '',
  '- [x] done task',
  '- [ ] open task',
  '',
  '## A table',
  '',
  '| Model | Input $/MTok | Output $/MTok |',
  '| --- | ---: | ---: |',
  '| Sonnet | 3 | 15 |',
  '| Haiku | 1 | 5 |',
  '| Opus | 5 | 25 |',
  '',
  '## Code',
  '',
  '```typescript',
  'interface Point { x: number; y: number }',
  'export const distance = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);',
  '```',
  '',
  '```python',
  'def fib(n: int) -> int:',
  '    return n if n < 2 else fib(n - 1) + fib(n - 2)',
  '```',
  '',
  '```bash',
  'npm run build && npm test',
  '```',
  '',
  '```json',
  '{ "name": "aiml-chat", "emoji": "🚀" }',
  '```',
  '',
  '> A blockquote: “quoted” text — with an em dash.',
  '',
  '### Done',
  '',
  'That is all ✓.',
].join('\n');

export const LONG_ANSWER_LINES = 2000;

/** About 100 KB in 2000 numbered lines, with a code block in the middle. */
export function longAnswer(): string {
  const lines: string[] = ['# A long answer', ''];
  for (let i = 1; i <= LONG_ANSWER_LINES; i++) {
    if (i === 1000) lines.push('```typescript', 'const halfway = true; // ½', '```');
    lines.push(`Line ${String(i).padStart(4, '0')}: the quick brown fox jumps over the lazy dog — ✓ ${i % 7 === 0 ? 'ß' : 'é'}`);
  }
  lines.push('', 'End of the long answer.');
  return lines.join('\n');
}

export const UNICODE_ANSWER = 'Multi-byte text: café, naïve, Ωmega, 日本語のテキスト, emoji 🚀👩‍💻🎉, math ∑∫√, and a final ✓.';

export function thinkingText(prompt: string): string {
  return [
    `The user wrote: "${prompt.slice(0, 80)}". Let me think step by step.`,
    'First, identify what is being asked. Second, consider edge cases — empty input, ünïcödé.',
    'Finally, write a concise answer.',
  ].join('\n');
}
