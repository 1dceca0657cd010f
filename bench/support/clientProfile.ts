// Profiling helper (not a benchmark): runs only our client on one case many times, so that
// `node --cpu-prof` shows where its time goes. Run: npx tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/support/clientProfile.ts [text|tool] [MB] [runs]
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MessagesClient } from '../../src/core/api/client';
import { textAnswerCase, toolInputCase } from '../client.bench';

async function main(): Promise<void> {
  const [kind = 'tool', megabytes = '2', runsText = '20'] = process.argv.slice(2);
  const streamCase = kind === 'text' ? textAnswerCase() : toolInputCase(Number(megabytes) * 1_000_000);
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => { response.writeHead(200, { 'content-type': 'text/event-stream' }); response.end(streamCase.body); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new MessagesClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: 'k', maxRetries: 0 });
  const request = { model: 'claude-sonnet-4-6', max_tokens: 1000, messages: [{ role: 'user' as const, content: 'Go.' }] };
  const start = process.cpuUsage();
  for (let run = 0; run < Number(runsText); run++) await client.stream(request);
  const used = process.cpuUsage(start);
  console.log(`${streamCase.name}: ${((used.user + used.system) / 1000 / Number(runsText)).toFixed(1)} ms CPU per run`);
  server.closeAllConnections();
  server.close();
}
void main();
