// The first answer of a session paid for what later ones get for free: highlight.js compiles a
// language's grammar on its first use, and V8 has not yet compiled or optimised markdown-it and
// DOMPurify. In a fresh page, rendering a 200 KB answer took 860-1,010 ms the first time against
// 425-460 ms the second, and one 4 KB slice with a first code block took up to 159 ms (issue 15:
// no task over 50 ms). So once the renderer has loaded, idle time renders a small sample per
// common language, one language per idle callback, and throws it away.
import { idleScheduler } from './idleHighlight';

/** The languages most answers use; the others still compile on first use. */
export const warmUpLanguages = ['typescript', 'python', 'bash', 'javascript', 'json'] as const;

type IdleScheduler = (callback: () => void) => void;

/** A sample with the constructs of an answer: heading, emphasis, code, link, lists, quote, table, fence. */
export function warmUpSample(language: string): string {
  return [
    '## Heading', '',
    'A paragraph with **bold**, *emphasis*, `inline code` and a [link](https://example.com/a).', '',
    '- item one', '- item two', '', '1. first', '', '> a quote', '',
    '| a | b |', '| - | - |', '| 1 | 2 |', '',
    '```' + language, "const value = compute(1, 'text'); // note", 'function f(x) { return x + 1 }', '```', '',
  ].join('\n');
}

/** Renders one sample per language, each in its own idle callback, and drops the results. */
export function warmUpInIdleTime(render: (source: string) => unknown, schedule: IdleScheduler = idleScheduler(5_000)): void {
  const next = (index: number): void => {
    const language = warmUpLanguages[index];
    if (language === undefined) return;
    schedule(() => {
      render(warmUpSample(language));
      next(index + 1);
    });
  };
  next(0);
}
