// What the XSS suites look for in the page, run inside Chromium: payload calls trapped before any
// script runs, dangerous leftovers in the transcript DOM, and every element hovered and focused so
// handlers that wait for a user fire. Shared by xssSuite and xssDefenceRemoved.
import type { Page } from 'playwright-core';

export interface AttackWatch {
  /** Requests that left the page's origin (data:, blob: and about: URLs stay in the page). */
  remote: string[];
  /** Messages of the dialogs the page opened (each dismissed). */
  dialogs: string[];
}

/** Before the page loads: records remote requests and dialogs, and traps script executions. */
export async function watchForAttacks(page: Page, origin: string): Promise<AttackWatch> {
  const watch: AttackWatch = { remote: [], dialogs: [] };
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !/^(data|blob|about):/.test(url)) watch.remote.push(url);
  });
  page.on('dialog', (dialog) => { watch.dialogs.push(dialog.message()); void dialog.dismiss(); });
  await page.addInitScript(trapExecutions);
  return watch;
}

/** Runs in the page before any script: traps what payloads call, so an execution is recorded, not shown. */
export function trapExecutions(): void {
  const page = globalThis as unknown as Record<string, unknown> & { __executions: string[] };
  page.__executions = [];
  for (const name of ['alert', 'confirm', 'prompt', 'print']) page[name] = (...args: unknown[]) => { page.__executions.push(`${name}(${args.join(',')})`); };
  // Methods, not arrow functions: the test transpiler names an arrow in an object literal with a
  // helper (__name) the page lacks, and the init script died here with the __pwned watch unset.
  Object.defineProperty(page, '__pwned', {
    set(value: unknown) { page.__executions.push(`__pwned=${String(value)}`); },
    get() { return undefined; },
  });
}

/** Runs in the page: what is left in the transcript that could run code or load something. */
export function inspectTranscript(): string[] {
  const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ tagName: string; attributes: ArrayLike<{ name: string; value: string }>; closest(s: string): { getAttribute(n: string): string | null } | null }> } }).document;
  const dangerousTags = /^(script|iframe|object|embed|style|link|meta|base|form|frame|frameset|applet|portal|template|noscript|svg|math|input|button|select|textarea|video|audio|source|picture|img)$/i;
  const urlAttributes = /^(href|src|xlink:href|action|formaction|poster|background|srcset|data|srcdoc)$/i;
  const problems: string[] = [];
  const elements = Array.from(doc.querySelectorAll('#app *'));
  for (const element of elements) {
    const where = element.closest('[data-message-id]')?.getAttribute('data-message-id') ?? 'outside a message';
    const inMessage = where !== 'outside a message';
    // The renderer's own Copy / Insert buttons on code blocks carry data-action and class code-action.
    const ownButton = element.tagName === 'BUTTON' && Array.from(element.attributes).some((a) => a.name === 'class' && a.value === 'code-action');
    if (inMessage && !ownButton && dangerousTags.test(element.tagName)) problems.push(`${where}: <${element.tagName.toLowerCase()}>`);
    for (const attribute of Array.from(element.attributes)) {
      if (/^on/i.test(attribute.name)) problems.push(`${where}: ${attribute.name}= on <${element.tagName.toLowerCase()}>`);
      if (inMessage && attribute.name === 'style') problems.push(`${where}: style= on <${element.tagName.toLowerCase()}>`);
      if (urlAttributes.test(attribute.name) && /^\s*(javascript|vbscript|data|file):/i.test([...attribute.value].filter((c) => c.charCodeAt(0) > 0x20).join(''))) {
        problems.push(`${where}: ${attribute.name}="${attribute.value.slice(0, 40)}"`);
      }
    }
  }
  return problems;
}

/** Runs in the page: hovers, focuses and toggles everything, so handlers that wait for a user would fire. */
export async function provoke(waitMs = 500): Promise<void> {
  const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ dispatchEvent(e: unknown): boolean; focus?: () => void }> } }).document;
  const Event_ = (globalThis as unknown as { MouseEvent: new (type: string, init: object) => unknown }).MouseEvent;
  for (const element of Array.from(doc.querySelectorAll('[data-message-id] *'))) {
    for (const type of ['mouseover', 'mouseenter', 'mousemove']) element.dispatchEvent(new Event_(type, { bubbles: true }));
    element.focus?.();
  }
  await new Promise((resolve) => setTimeout(resolve, waitMs)); // animations (onbegin), toggles, image errors
}
