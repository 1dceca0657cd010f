// Regenerates docs/chat-view.png, the README's picture of the chat view after a streamed answer,
// with the same harness the end-to-end tests use (packaged extension, stand-in, real workbench):
//   npm run package && npx tsx test/e2e/support/docsScreenshot.ts
import * as path from 'node:path';
import { startWorkbench } from './workbench';
import { getChatFrame, sendPrompt, setApiKeyThroughUi, waitIdle } from './chat';

async function main(): Promise<void> {
  const wb = await startWorkbench({ standIn: { tokenDelayMs: 2 } });
  try {
    await setApiKeyThroughUi(wb.page, 'test-key');
    const frame = await getChatFrame(wb.page);
    await sendPrompt(frame, 'Show me how to debounce a function in TypeScript, with code');
    await waitIdle(frame, 60_000);
    await wb.page.waitForTimeout(800);
    const out = path.resolve(__dirname, '..', '..', '..', 'docs', 'chat-view.png');
    await wb.page.screenshot({ path: out });
    console.log(`wrote ${out}`);
  } finally {
    await wb.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
