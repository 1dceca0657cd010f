// The local stand-in in a process of its own, for the workbench benchmark. In the benchmark's
// process it made the 200 KB answer's 58,000 events in one synchronous stretch of 260-430 ms and
// then wrote 7 MB, and every probe the benchmark times (the round trip into the webview, the
// plain client's reading) waited behind it: the figures measured the stand-in as much as the
// workbench. A real gateway is not in the benchmark's process either.
// The parent talks to the child over Node's IPC channel: queue a step, read when the last
// /v1/messages request arrived, first byte and last byte went out (wall clock, Date.now()).
import { fork, type ChildProcess } from 'node:child_process';
import { type IncomingMessage, Server, ServerResponse } from 'node:http';
import { startStandIn } from '../../test/support/standin/server';
import type { ScriptStep, StandInOptions } from '../../test/support/standin/types';

/** When the stand-in saw the last /v1/messages request, and when it wrote its first and last byte. */
export interface Served { requestAt: number; firstByteAt: number; endAt: number }

type Request = { type: 'enqueue'; steps: ScriptStep[] } | { type: 'served' };
type ToChild = Request & { id: number };
type FromChild = { type: 'ready'; url: string } | { id: number; type: 'done'; served?: Served };

export interface StandInProcess {
  url: string;
  enqueue(...steps: ScriptStep[]): Promise<void>;
  served(): Promise<Served>;
  close(): void;
}

/**
 * The stand-in in a child process; `inProcess` runs it here instead (the benchmark as it was
 * before, for comparing the two), behind the same handle.
 */
export async function startStandInProcess(options: StandInOptions, inProcess = false): Promise<StandInProcess> {
  if (inProcess) {
    const served = watchServed();
    const standIn = await startStandIn({ host: '127.0.0.1', log: () => {}, ...options });
    return { url: standIn.url, enqueue: async (...steps) => standIn.enqueue(...steps), served: () => afterTheEnd(async () => ({ ...served })), close: () => void standIn.close() };
  }
  const child = fork(__filename, [JSON.stringify(options)], { execArgv: ['--import', 'tsx'], env: { ...process.env, AIML_STANDIN_CHILD: '1' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, (reply: Extract<FromChild, { type: 'done' }>) => void>();
  let next = 0;
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the stand-in process ended (code ${code}) before it listened`)));
    child.on('message', (message: FromChild) => {
      if (message.type === 'ready') resolve(message.url);
      else waiting.get(message.id)?.(message);
    });
  });
  const ask = (message: Request) => new Promise<Extract<FromChild, { type: 'done' }>>((resolve) => {
    const id = ++next;
    waiting.set(id, (reply) => { waiting.delete(id); resolve(reply); });
    (child as ChildProcess).send({ ...message, id });
  });
  return {
    url,
    async enqueue(...steps) { await ask({ type: 'enqueue', steps }); },
    served: () => afterTheEnd(async () => (await ask({ type: 'served' })).served!),
    close() { child.kill(); },
  };
}

/**
 * The view can show an answer's end before the stand-in has ended the response (a paced stream
 * sleeps after its last write): waits for the end, briefly.
 */
async function afterTheEnd(read: () => Promise<Served>): Promise<Served> {
  for (let tries = 0; ; tries++) {
    const served = await read();
    if (served.endAt >= served.firstByteAt || tries === 40) return served;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Notes, in this process, when the last /v1/messages request arrived and its answer's first and last byte went out. */
function watchServed(): Served {
  const served: Served = { requestAt: 0, firstByteAt: 0, endAt: 0 };
  const isMessages = (url: string | undefined) => url?.startsWith('/v1/messages') === true;
  const { emit } = Server.prototype;
  Server.prototype.emit = function (this: Server, event: string, ...args: unknown[]) {
    if (event === 'request' && isMessages((args[0] as IncomingMessage).url)) served.requestAt = Date.now();
    return (emit as (...a: unknown[]) => boolean).call(this, event, ...args);
  } as typeof emit;
  const { writeHead, end } = ServerResponse.prototype;
  ServerResponse.prototype.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    if (isMessages(this.req?.url)) { served.firstByteAt = Date.now(); served.endAt = 0; }
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as typeof writeHead;
  ServerResponse.prototype.end = function (this: ServerResponse, ...args: unknown[]) {
    if (isMessages(this.req?.url)) served.endAt = Date.now();
    return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as typeof end;
  return served;
}

async function runChild(): Promise<void> {
  const served = watchServed();
  const options = JSON.parse(process.argv[2] ?? '{}') as StandInOptions;
  const standIn = await startStandIn({ host: '127.0.0.1', log: () => {}, ...options });
  process.on('message', (message: ToChild) => {
    if (message.type === 'enqueue') standIn.enqueue(...message.steps);
    process.send?.({ id: message.id, type: 'done', ...(message.type === 'served' ? { served: { ...served } } : {}) });
  });
  // The parent's end is the child's: a benchmark that fails must not leave a server behind.
  process.on('disconnect', () => { void standIn.close().finally(() => process.exit(0)); });
  process.send?.({ type: 'ready', url: standIn.url });
}

if (process.env.AIML_STANDIN_CHILD === '1' && process.send) void runChild();
