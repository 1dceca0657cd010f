// A user's first minutes, in the real workbench: the commands are in the palette, the key goes
// through the password box into SecretStorage (never a settings file), and a prompt streams back.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { useWorkbench, type Workbench } from './support/workbench';
import { assistantTurns, getChatFrame, paletteEntries, sendPrompt, setApiKeyThroughUi, waitForAssistantText, waitIdle } from './support/chat';

const KEY = 'test-key'; // the stand-in's accepted key

function filesNamed(dir: string, name: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...filesNamed(p, name));
    else if (entry === name) out.push(p);
  }
  return out;
}

describe('e2e: first use', function () {
  this.timeout(60_000);
  let wb: Workbench;

  useWorkbench({}, (started) => {
    wb = started;
  });

  it('lists the AIML Chat commands in the command palette', async () => {
    const entries = await paletteEntries(wb.page, 'AIML Chat:', (labels) => labels.some((l) => l.includes('AIML Chat: Set API Key')));
    for (const title of ['Set API Key', 'Clear API Key', 'New Chat', 'Select Model', 'Show History']) {
      assert.ok(entries.some((e) => e.includes(`AIML Chat: ${title}`)), `palette has "AIML Chat: ${title}" (got ${entries.join(' | ')})`);
    }
  });

  it('stores the key typed into the password box, and no settings file contains it', async () => {
    await setApiKeyThroughUi(wb.page, KEY);
    await wb.page.waitForTimeout(500);
    const files = [...filesNamed(wb.profile.userDataDir, 'settings.json'), ...filesNamed(wb.profile.workspace, 'settings.json')];
    assert.ok(files.length > 0);
    for (const f of files) assert.ok(!readFileSync(f, 'utf8').includes(KEY), `${f} must not contain the key`);
  });

  it('streams an answer to a prompt into the chat view', async () => {
    const frame = await getChatFrame(wb.page);
    await sendPrompt(frame, 'Please say hello to the end-to-end test');
    const text = await waitForAssistantText(frame, /hello/i);
    await waitIdle(frame);
    assert.ok(text.length > 0);
    assert.equal(await frame.getByRole('log').getByRole('article', { name: 'You' }).count(), 1);
    assert.equal(await assistantTurns(frame).count(), 1);
    assert.equal(wb.standIn.requests.filter((r) => r.path.endsWith('/messages')).length, 1);
  });
});
