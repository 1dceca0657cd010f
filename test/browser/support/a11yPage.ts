// Page-side probes for the keyboard and screen-reader tests: what has focus, what the live
// regions said, and which elements stick out of the viewport outside any scroll container.
import type { Page } from 'playwright-core';

interface ProbeElement {
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  closest(selector: string): ProbeElement | null;
  getBoundingClientRect(): { left: number; right: number; width: number };
  parentElement: ProbeElement | null;
  querySelectorAll(selector: string): ArrayLike<ProbeElement>;
}
interface ProbeGlobals {
  document: { activeElement: ProbeElement | null; body: ProbeElement; querySelector(selector: string): ProbeElement | null };
  getComputedStyle(element: ProbeElement): { overflowX: string; display: string; visibility: string; position: string };
  innerWidth: number;
  MutationObserver: new (callback: () => void) => { observe(target: ProbeElement, options: object): void };
  __announced: { polite: string[]; assertive: string[] };
}

/** A short description of the focused element: `role name` (or tag and text). */
export function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as ProbeGlobals;
    const element = document.activeElement;
    if (!element || element === document.body) return 'body';
    const role = element.getAttribute('role') ?? element.tagName.toLowerCase();
    const name = element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 40) ?? '';
    return `${role} ${name}`.trim();
  });
}

/** Starts recording every announcement made through the live regions (from now on). */
export async function recordAnnouncements(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as unknown as ProbeGlobals;
    g.__announced = { polite: [], assertive: [] };
    for (const kind of ['polite', 'assertive'] as const) {
      const region = g.document.querySelector(`[data-announcer="${kind}"]`);
      if (!region) throw new Error(`no ${kind} live region`);
      new g.MutationObserver(() => { const text = region.textContent ?? ''; if (text) g.__announced[kind].push(text); }).observe(region, { childList: true, subtree: true, characterData: true });
    }
  });
}

export function announcements(page: Page): Promise<{ polite: string[]; assertive: string[] }> {
  return page.evaluate(() => (globalThis as unknown as ProbeGlobals).__announced);
}

/**
 * Elements whose box reaches past the right edge of the viewport, except those inside a
 * horizontal scroll container (code blocks, tables) and those not rendered.
 */
export function overflowingElements(page: Page): Promise<string[]> {
  // No named inner functions: the test transpiler would wrap them in a helper the page lacks.
  return page.evaluate(() => {
    const g = globalThis as unknown as ProbeGlobals;
    const width = g.innerWidth;
    const found: string[] = [];
    for (const element of Array.from(g.document.body.querySelectorAll('#app *'))) {
      const style = g.getComputedStyle(element);
      // Visually hidden text (live regions, the title) is a 1 px box at -1 px on purpose.
      if (style.display === 'none' || style.visibility === 'hidden' || element.closest('.visually-hidden')) continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 || (box.right <= width + 0.5 && box.left >= -0.5)) continue;
      let insideScroller = false;
      for (let parent = element.parentElement; parent && !insideScroller; parent = parent.parentElement) {
        const overflow = g.getComputedStyle(parent).overflowX;
        insideScroller = overflow === 'auto' || overflow === 'scroll';
      }
      if (!insideScroller) found.push(`${element.tagName.toLowerCase()}.${element.getAttribute('class') ?? ''} [${Math.round(box.left)}, ${Math.round(box.right)}]`);
    }
    return found;
  });
}
