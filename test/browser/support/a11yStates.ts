// The states of the chat view the accessibility suite checks, each built from host messages only
// (as the extension would send them). To check one more state, add an entry to `a11yStates`.
import { encodePng, screenshotPixel } from '../../support/images/encoders';
import { assistantMessage, initMessage, userMessage, type ChatPage } from './chatPage';

export interface A11yState {
  name: string;
  /** Puts the view in this state (the page is fresh and themed). */
  setup(chat: ChatPage): Promise<void>;
}

export const markdownAnswer = [
  '# Debouncing in TypeScript',
  '',
  'A **debounce** waits until calls stop for `wait` ms. See [MDN on setTimeout](https://developer.mozilla.org/docs/Web/API/setTimeout).',
  '',
  '## The function',
  '',
  '```typescript',
  '// Calls fn once the calls stop for `wait` ms.',
  'export function debounce<T extends unknown[]>(fn: (...args: T) => void, wait = 250): (...args: T) => void {',
  '  let timer: ReturnType<typeof setTimeout> | undefined;',
  '  const pattern = /^[a-z]+$/i;',
  "  return (...args: T) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), wait * 1.5 + 0x10); };",
  '}',
  'class Queue { private items: string[] = ["a", \'b\']; @Input() size = 42; }',
  '```',
  '',
  '```diff',
  '- const wait = 100;',
  '+ const wait = 250;',
  '```',
  '',
  '### Options compared',
  '',
  '| Option | Default | Effect on a very long line of text in a narrow sidebar |',
  '| :----- | ------: | :----------------------------------------------------: |',
  '| `wait` | 250 | Milliseconds to wait after the last call before calling through |',
  '| `leading` | false | Calls at the start of the wait instead of the end of it |',
  '',
  '> Tip: cancel the timer when the component unmounts.',
  '',
  '1. Install nothing.',
  '2. Paste the function.',
  '',
  '```python',
  'def greet(name: str) -> None:',
  '    """Say hello."""',
  '    print(f"Hello {name}", 3.14, True)  # a comment',
  '```',
].join('\n');

const pngDataUri = `data:image/png;base64,${encodePng(64, 48, screenshotPixel(64, 48)).toString('base64')}`;

export const a11yStates: A11yState[] = [
  {
    name: 'empty state without a key',
    setup: (chat) => chat.send(initMessage([], { hasApiKey: false })),
  },
  {
    name: 'markdown answer with headings, tables, code and links',
    setup: (chat) => chat.send(initMessage([userMessage('How do I debounce?'), assistantMessage(markdownAnswer, { usage: { input_tokens: 1200, output_tokens: 345 }, usdSpent: 0.0123 })])),
  },
  {
    name: 'thinking (expanded)',
    async setup(chat) {
      await chat.send(initMessage([
        userMessage('Why is this slow?'),
        assistantMessage('', { content: [
          { type: 'thinking', thinking: 'The user asks about **performance**.\n\n- check the loop\n- `Array.includes` is O(n)\n\n```ts\nconst seen = new Set<number>();\n```', signature: 's' },
          { type: 'text', text: 'Use a `Set` for the lookups.' },
        ] }),
      ]));
      await chat.page.locator('details.thinking summary').click();
    },
  },
  {
    name: 'streaming answer (Stop shown)',
    async setup(chat) {
      await chat.send(initMessage([userMessage('Write a poem')], { busy: true }));
      await chat.send({ type: 'messageAdded', message: assistantMessage('', { id: 'stream-1', status: 'streaming', content: [] }) });
      await chat.send({ type: 'delta', messageId: 'stream-1', ops: [{ op: 'start', index: 0, block: { type: 'text', text: '' } }, { op: 'append', index: 0, text: 'Roses are red,\n\n```ts\nconst violets = "blue";' }] });
      await chat.nextFrame();
    },
  },
  {
    name: 'tool card waiting for approval',
    setup: (chat) => chat.send(initMessage([
      userMessage('Read my env file'),
      assistantMessage('Let me read it.', {
        content: [{ type: 'text', text: 'Let me read it.' }, { type: 'tool_use', id: 'tool-read', name: 'read_file', input: { path: '.env.local' } }],
        toolCalls: { 'tool-read': { toolUseId: 'tool-read', tool: 'read_file', target: '.env.local', status: 'awaiting_approval', approval: { kind: 'allow_deny', reason: '.env.local matches a secret file pattern.' } } },
      }),
    ])),
  },
  {
    name: 'edit approval with hunks',
    setup: (chat) => chat.send(initMessage([
      userMessage('Rename the function'),
      assistantMessage('Here is the edit.', {
        content: [{ type: 'text', text: 'Here is the edit.' }, { type: 'tool_use', id: 'tool-edit', name: 'edit_file', input: { path: 'src/app.ts' } }],
        toolCalls: { 'tool-edit': {
          toolUseId: 'tool-edit', tool: 'edit_file', target: 'src/app.ts', status: 'awaiting_approval', summary: '2 changes',
          details: '--- a/src/app.ts\n+++ b/src/app.ts',
          approval: { kind: 'apply_discard', reason: 'Review the changes to src/app.ts.', hunks: [
            { index: 0, header: '@@ -1,3 +1,3 @@', preview: '-function old() {}\n+function renamed() {}' },
            { index: 1, header: '@@ -10,2 +10,2 @@', preview: '-old();\n+renamed();' },
          ] },
        } },
      }),
    ])),
  },
  {
    name: 'error with Retry',
    async setup(chat) {
      await chat.send(initMessage([userMessage('Hello'), assistantMessage('Partial answer', { status: 'interrupted' })]));
      await chat.send({ type: 'error', error: { kind: 'network', message: 'The AI/ML API could not be reached. Check your connection.' } });
    },
  },
  {
    name: 'keyboard shortcuts dialog',
    async setup(chat) {
      await chat.send(initMessage([userMessage('q'), assistantMessage('a')]));
      await chat.page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
      await chat.page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    },
  },
  {
    name: 'images in a sent message',
    setup: (chat) => chat.send(initMessage([
      userMessage('What does this chart show?', { id: 'u-img', content: [
        { type: 'text', text: 'What does this chart show?' },
        { type: 'image_ref', id: 'img-1', media_type: 'image/png', width: 64, height: 48, bytes: 120, name: 'chart.png' },
        { type: 'image_ref', id: 'img-gone', media_type: 'image/png', width: 64, height: 48, bytes: 120, name: 'deleted.png' },
      ] }),
      assistantMessage('It shows a rising trend.'),
    ], { attachmentUris: { 'img-1': pngDataUri } })),
  },
];
