// `npm run standin -- [--port 8787] [--key KEY | --any-key] [--token-delay-ms N] [--chunking random|none|bytewise]
//   [--line-ending lf|crlf|random] [--seed N] [--latency-ms N] [--trickle-ms N] [--batch-step-ms N]
//   [--batch-polls-per-request N] [--quiet]`  (--port 0 picks a free port; the printed URL tells which)
// Starts the stand-in on loopback for the sandbox and out-of-process tests; stops on SIGINT/SIGTERM.
import { startStandIn } from './server';
import type { Chunking, StandInOptions } from './types';

const USAGE = 'usage: standin [--port 8787] [--key KEY | --any-key] [--token-delay-ms N] [--chunking random|none|bytewise] [--line-ending lf|crlf|random] [--seed N] [--latency-ms N] [--trickle-ms N] [--batch-step-ms N] [--batch-polls-per-request N] [--quiet]';

function parseArgs(argv: string[]): StandInOptions & { quiet?: boolean } {
  const options: StandInOptions & { quiet?: boolean } = { port: 8787 };
  const number = (flag: string, value: string | undefined): number => {
    const parsed = Number(value);
    if (value === undefined || !Number.isFinite(parsed) || parsed < 0) throw new Error(`${flag} needs a non-negative number`);
    return parsed;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--port': options.port = number(flag, value()); break;
      case '--key': options.apiKey = value(); break;
      case '--any-key': options.anyKey = true; break;
      case '--token-delay-ms': options.tokenDelayMs = number(flag, value()); break;
      case '--latency-ms': options.latencyMs = number(flag, value()); break;
      case '--seed': options.seed = number(flag, value()); break;
      case '--batch-step-ms': options.batchStepMs = number(flag, value()); break;
      case '--batch-polls-per-request': options.batchPollsPerRequest = number(flag, value()); break;
      case '--trickle-ms': options.trickleMs = number(flag, value()); break;
      case '--line-ending': {
        const ending = value();
        if (ending !== 'lf' && ending !== 'crlf' && ending !== 'random') throw new Error('--line-ending must be lf, crlf or random');
        options.lineEnding = ending;
        break;
      }
      case '--chunking': {
        const mode = value();
        if (mode !== 'random' && mode !== 'none' && mode !== 'bytewise') throw new Error('--chunking must be random, none or bytewise');
        options.chunking = mode as Chunking;
        break;
      }
      case '--quiet': options.quiet = true; break;
      case '--help': case '-h': console.log(USAGE); process.exit(0); break;
      default: throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
    }
  }
  if (options.apiKey !== undefined && !options.apiKey) throw new Error('--key needs a value');
  return options;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const log = options.quiet ? undefined : (line: string) => console.log(`[standin] ${line}`);
  const standIn = await startStandIn({ ...options, log });
  console.log(`AIML stand-in listening on ${standIn.url}`);
  console.log(options.anyKey ? 'Accepting any non-empty API key.' : `API key: ${options.apiKey ?? 'test-key'}`);
  const stop = () => { standIn.close().then(() => process.exit(0), () => process.exit(1)); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(2);
});
