// Where the chat webview's main thread spends its time during a benchmark run: a CPU profile of
// the renderer process that runs the webview's frame (a CDP session on the frame when it is an
// out-of-process frame, else on the page: same-origin frames share the page's main thread),
// summarised as the functions with the most self time, and the long tasks as the profile sees
// them: stretches of samples without "(idle)" over 50 ms, each with its own top functions (self,
// and inclusive for our bundles), so a long task can be told to be ours or the workbench's.
// Used by workbench.bench.ts when PROFILE=1.
import type { CDPSession, Frame, Page } from 'playwright-core';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

export async function startProfile(page: Page, frame: Frame): Promise<CDPSession> {
  const session = await page.context().newCDPSession(frame).catch(() => page.context().newCDPSession(page));
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 200 });
  await session.send('Profiler.start');
  return session;
}

function nodeKey(node: ProfileNode): string {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${url.split('/').pop()?.replace(/\?.*$/, '') ?? ''}:${lineNumber + 1}:${columnNumber + 1}`;
}

const ours = /(webview|markdown)\.js:/;

function top(map: Map<string, number>, count: number): string {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, count).map(([key, ms]) => `${ms.toFixed(1)} ${key}`).join('; ');
}

/** Busy stretches (no idle sample) over `longMs`, with the top functions in each. */
function busyStretches(profile: Profile, byNode: Map<number, ProfileNode>, parentOf: Map<number, number>, longMs: number): string[] {
  const lines: string[] = [];
  let at = 0;
  let stretch: { start: number; ms: number; self: Map<string, number>; inclusive: Map<string, number> } | undefined;
  const close = () => {
    if (stretch && stretch.ms > longMs) {
      lines.push(`busy ${stretch.ms.toFixed(0)} ms at +${stretch.start.toFixed(0)} ms: self ${top(stretch.self, 8)}`);
      if (stretch.inclusive.size) lines.push(`    ours, inclusive: ${top(stretch.inclusive, 10)}`);
    }
    stretch = undefined;
  };
  profile.samples.forEach((id, n) => {
    const ms = (profile.timeDeltas[n] ?? 0) / 1000;
    at += ms;
    const node = byNode.get(id);
    if (!node || node.callFrame.functionName === '(idle)') { close(); return; }
    stretch ??= { start: at, ms: 0, self: new Map(), inclusive: new Map() };
    stretch.ms += ms;
    const key = nodeKey(node);
    stretch.self.set(key, (stretch.self.get(key) ?? 0) + ms);
    const seen = new Set<string>();
    for (let frame: number | undefined = id; frame !== undefined; frame = parentOf.get(frame)) {
      const frameKey = nodeKey(byNode.get(frame)!);
      if (!ours.test(frameKey) || seen.has(frameKey)) continue;
      seen.add(frameKey);
      stretch.inclusive.set(frameKey, (stretch.inclusive.get(frameKey) ?? 0) + ms);
    }
  });
  close();
  return lines;
}

/** The top `count` functions by self time, then the busy stretches over 50 ms, as text lines. */
export async function stopProfile(session: CDPSession, count = 30): Promise<string> {
  const { profile } = await session.send('Profiler.stop') as unknown as { profile: Profile };
  await session.detach();
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const selfMs = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, n) => {
    const node = byNode.get(id);
    const ms = (profile.timeDeltas[n] ?? 0) / 1000;
    total += ms;
    if (!node) return;
    const key = nodeKey(node);
    selfMs.set(key, (selfMs.get(key) ?? 0) + ms);
  });
  const topSelf = [...selfMs.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);
  return [
    `profile: ${total.toFixed(0)} ms sampled`,
    ...topSelf.map(([key, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${key}`),
    ...busyStretches(profile, byNode, parentOf, 50),
  ].join('\n');
}
