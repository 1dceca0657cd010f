// Where the chat webview's main thread spends its time during a benchmark run: a CPU profile of
// the renderer process that runs the webview's frame (a CDP session on the frame when it is an
// out-of-process frame, else on the page: same-origin frames share the page's main thread),
// summarised as the functions with the most self time. Used by workbench.bench.ts when PROFILE=1.
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

/** The top `count` functions by self time, as markdown lines. */
export async function stopProfile(session: CDPSession, count = 30): Promise<string> {
  const { profile } = await session.send('Profiler.stop') as unknown as { profile: Profile };
  await session.detach();
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, n) => {
    const node = byNode.get(id);
    const ms = (profile.timeDeltas[n] ?? 0) / 1000;
    total += ms;
    if (!node) return;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.split('/').pop() ?? ''}:${lineNumber + 1}:${columnNumber + 1}`;
    selfMs.set(key, (selfMs.get(key) ?? 0) + ms);
  });
  const top = [...selfMs.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);
  return [`profile: ${total.toFixed(0)} ms sampled`, ...top.map(([key, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${key}`)].join('\n');
}
