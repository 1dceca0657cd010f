// Where the main threads of the browser's renderers spend their time during a benchmark run, from a
// Chromium trace (PROFILE=trace in workbench.bench.ts): per renderer main thread, the busy time, the
// long tasks (> 50 ms) and the self time of the trace events inside them (script, style, layout,
// paint, GC, IPC…). A CPU profile shows only script; native work appears there as "(program)".
import type { Browser, Page } from 'playwright-core';

interface TraceEvent { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: { name?: string; data?: { frames?: { url?: string; processId?: number }[]; url?: string; functionName?: string; type?: string } } }

const CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink', 'ipc'];

export async function startTrace(browser: Browser, page: Page): Promise<void> {
  await browser.startTracing(page, { categories: CATEGORIES });
}

/** An event's name, with the script (FunctionCall) or event type (EventDispatch) it ran. */
function label(event: TraceEvent): string {
  const data = event.args?.data;
  if (event.name === 'FunctionCall' && data?.url) return `FunctionCall ${data.url.split('/').pop()?.replace(/\?.*$/, '')}${data.functionName ? ` ${data.functionName}` : ''}`;
  if (event.name === 'EventDispatch' && data?.type) return `EventDispatch ${data.type}`;
  return event.name;
}

/** Self time of each event name inside `events` (complete events of one thread, sorted by ts). */
function selfTimes(events: TraceEvent[], into: Map<string, number>): void {
  const stack: { event: TraceEvent; children: number }[] = [];
  const close = (until: number) => {
    while (stack.length && stack[stack.length - 1].event.ts + (stack[stack.length - 1].event.dur ?? 0) <= until) {
      const { event, children } = stack.pop()!;
      const key = label(event);
      into.set(key, (into.get(key) ?? 0) + ((event.dur ?? 0) - children) / 1000);
      if (stack.length) stack[stack.length - 1].children += event.dur ?? 0;
    }
  };
  for (const event of events) {
    close(event.ts);
    stack.push({ event, children: 0 });
  }
  close(Infinity);
}

export async function stopTrace(browser: Browser, top = 14): Promise<string> {
  const buffer = await browser.stopTracing();
  const { traceEvents } = JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] };
  const mainThreads = new Set(traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const urls = new Map<number, Set<string>>();
  for (const event of traceEvents) {
    for (const frame of event.args?.data?.frames ?? []) {
      if (frame.processId === undefined || !frame.url) continue;
      const set = urls.get(frame.processId) ?? new Set<string>();
      set.add(frame.url.replace(/\?.*$/, '').slice(0, 90));
      urls.set(frame.processId, set);
    }
  }
  const lines: string[] = [];
  // Offsets are from the first task traced (tracing starts just before Send).
  const start = traceEvents.reduce((min, e) => (e.ph === 'X' && e.ts > 0 && e.ts < min ? e.ts : min), Infinity);
  for (const thread of mainThreads) {
    const [pid, tid] = thread.split(':').map(Number);
    const events = traceEvents.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    const tasks = events.filter((e) => e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask');
    const busy = tasks.reduce((sum, task) => sum + (task.dur ?? 0), 0) / 1000;
    if (busy < 50) continue;
    // Outermost tasks only (a RunTask may nest another).
    const long = tasks.filter((task, n) => (task.dur ?? 0) > 50_000 && !tasks.slice(Math.max(0, n - 3), n).some((outer) => outer.ts <= task.ts && outer.ts + (outer.dur ?? 0) >= task.ts + (task.dur ?? 0)));
    const all = new Map<string, number>();
    selfTimes(events, all);
    const inLong = new Map<string, number>();
    for (const task of long) selfTimes(events.filter((e) => e.ts >= task.ts && e.ts + (e.dur ?? 0) <= task.ts + (task.dur ?? 0)), inLong);
    const scripts = new Map<string, number>();
    for (const [name, ms] of all) {
      const kind = /^FunctionCall (\S+)/.exec(name)?.[1] ?? (/^(EvaluateScript|v8\.|V8\.|RunMicrotasks)/.test(name) ? 'script, other' : undefined);
      if (kind) scripts.set(kind, (scripts.get(kind) ?? 0) + ms);
    }
    const fmt = (map: Map<string, number>) => [...map.entries()].filter(([name]) => name !== 'ThreadControllerImpl::RunTask' && name !== 'RunTask').sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', ');
    lines.push(`renderer ${pid} (${[...(urls.get(pid) ?? [])].join(' | ')}): busy ${busy.toFixed(0)} ms in ${tasks.length} tasks; ${long.length} over 50 ms (${long.map((t) => `${((t.dur ?? 0) / 1000).toFixed(0)} at +${((t.ts - start) / 1000).toFixed(0)}`).join(', ')})`);
    lines.push(`  self time, all tasks (ms): ${fmt(all)}; in the tasks themselves (no finer event) ${(((all.get('ThreadControllerImpl::RunTask') ?? 0) + (all.get('RunTask') ?? 0))).toFixed(0)}`);
    lines.push(`  script by file (ms): ${[...scripts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', ')}`);
    if (long.length) lines.push(`  self time, long tasks (ms): ${fmt(inLong)}`);
    for (const task of long.filter((t) => (t.dur ?? 0) > 100_000)) {
      const own = new Map<string, number>();
      selfTimes(events.filter((e) => e.ts >= task.ts && e.ts + (e.dur ?? 0) <= task.ts + (task.dur ?? 0)), own);
      lines.push(`  task of ${((task.dur ?? 0) / 1000).toFixed(0)} ms at +${((task.ts - start) / 1000).toFixed(0)} ms: ${fmt(own)}`);
    }
  }
  return lines.join('\n');
}
