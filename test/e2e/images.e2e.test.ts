// Images end to end, in the real workbench (code-server) against the local stand-in: an image
// pasted into the chat view's Message box is scaled in the webview, stored by the host, and
// arrives at the gateway as a valid `image` block (right media type, decodable, within limits).
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { IMAGE_LIMITS, readImageDimensions, sniffImageType } from '../../src/shared/images';
import { encodePng, screenshotPixel } from '../support/images/encoders';
import { useWorkbench, type Workbench } from './support/workbench';
import { getChatFrame, sendPrompt, setApiKeyThroughUi, waitForAssistantText, waitIdle } from './support/chat';

const KEY = 'test-key'; // the stand-in's accepted key

interface ImageSource { type: string; media_type: string; data: string }
interface ApiBlock { type: string; source?: ImageSource }
interface ApiMessage { role: string; content: string | ApiBlock[] }

/** The image blocks of the last user message of every /v1/messages request the stand-in saw. */
function sentImages(wb: Workbench): ImageSource[] {
  const images: ImageSource[] = [];
  for (const request of wb.standIn.requests) {
    if (!request.path.endsWith('/messages')) continue;
    const messages = (request.body as { messages?: ApiMessage[] }).messages ?? [];
    const last = messages[messages.length - 1];
    if (!last || typeof last.content === 'string') continue;
    for (const block of last.content) if (block.type === 'image' && block.source) images.push(block.source);
  }
  return images;
}

describe('e2e: images', function () {
  this.timeout(90_000);
  let wb: Workbench;

  useWorkbench({}, async (started) => {
    wb = started;
    await setApiKeyThroughUi(wb.page, KEY);
  });

  it('a pasted 2400x1600 screenshot reaches the gateway as a valid 1568x1045 PNG image block', async () => {
    const frame = await getChatFrame(wb.page);
    const png = encodePng(2400, 1600, screenshotPixel(2400, 1600)).toString('base64');
    // What the browser does on Ctrl+V with an image on the clipboard: a paste event whose
    // clipboardData holds the image as a file.
    await frame.getByRole('textbox', { name: 'Message' }).evaluate((box, data) => {
      type Dom = {
        DataTransfer: new () => { items: { add(file: unknown): void } };
        File: new (parts: Uint8Array[], name: string, options: { type: string }) => unknown;
        ClipboardEvent: new (type: string, init: object) => Event;
      };
      const { DataTransfer, File, ClipboardEvent } = globalThis as unknown as Dom;
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], 'image.png', { type: 'image/png' }));
      box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
    }, png);
    const thumbnail = frame.getByRole('list', { name: 'Attached images' }).getByRole('listitem');
    await thumbnail.first().waitFor({ timeout: 30_000 });
    assert.match((await thumbnail.first().getAttribute('title')) ?? '', /1568×1045, .*about 2,185 tokens/);

    const before = sentImages(wb).length;
    await sendPrompt(frame, 'What is in this screenshot?');
    // The stand-in's image scenario describes what it decoded from the request.
    const answer = await waitForAssistantText(frame, /I received 1 image/);
    await waitIdle(frame);
    assert.match(answer, /image\/png, \d+ bytes, 1568x1045 px/);

    const images = sentImages(wb).slice(before);
    assert.equal(images.length, 1);
    const [image] = images;
    assert.equal(image.type, 'base64');
    assert.equal(image.media_type, 'image/png');
    assert.ok(image.data.length <= IMAGE_LIMITS.maxBase64Bytes, `${image.data.length} base64 bytes`);
    const bytes = Buffer.from(image.data, 'base64');
    assert.equal(bytes.toString('base64'), image.data, 'valid base64 without a data: prefix');
    assert.equal(sniffImageType(bytes), 'image/png');
    assert.deepEqual(readImageDimensions(bytes), { width: 1568, height: 1045 });
    // The sent turn shows the image as a thumbnail that opens larger.
    await frame.getByRole('button', { name: /^View image / }).first().waitFor();
  });

  it('Explorer context menu "Attach Image…" on a PNG attaches it to the chat, scaled', async () => {
    writeFileSync(path.join(wb.profile.workspace, 'e2e-diagram.png'), encodePng(3000, 2000, screenshotPixel(3000, 2000)));
    await wb.page.keyboard.press('Control+Shift+E');
    const row = wb.page.getByRole('treeitem', { name: /e2e-diagram\.png/ });
    await row.waitFor({ timeout: 30_000 });
    await row.click({ button: 'right' });
    const menuItem = wb.page.locator('.context-view .monaco-menu .action-item', { hasText: 'Attach Image…' });
    await menuItem.waitFor();
    // The workbench's menu ignores a click that lands right after it opened (it takes it for the
    // release of the right button): click until the menu has closed, which means it ran.
    for (let attempt = 0; attempt < 5 && (await menuItem.isVisible()); attempt++) await menuItem.click({ timeout: 2_000 }).catch(() => undefined);
    const frame = await getChatFrame(wb.page);
    const remove = frame.getByRole('button', { name: 'Remove image e2e-diagram.png' });
    await remove.waitFor({ timeout: 30_000 });
    const item = frame.getByRole('list', { name: 'Attached images' }).getByRole('listitem').filter({ has: remove });
    assert.match((await item.getAttribute('title')) ?? '', /^e2e-diagram\.png: 1568×1045, /);
    await remove.click();
  });

  it('a non-image dropped onto the chat is refused with a clear message and nothing is sent', async () => {
    const frame = await getChatFrame(wb.page);
    await frame.locator('#app').evaluate((app) => {
      type Dom = {
        DataTransfer: new () => { items: { add(file: unknown): void } };
        File: new (parts: Uint8Array[], name: string, options: { type: string }) => unknown;
        DragEvent: new (type: string, init: object) => Event;
      };
      const { DataTransfer, File, DragEvent } = globalThis as unknown as Dom;
      const transfer = new DataTransfer();
      transfer.items.add(new File([new TextEncoder().encode('%PDF-1.7\n1 0 obj << >> endobj\n')], 'scan.png', { type: 'image/png' }));
      for (const type of ['dragenter', 'dragover', 'drop']) app.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    const alert = frame.locator('.attachment-notice[role="alert"]');
    await alert.waitFor();
    assert.equal(await alert.textContent(), 'Only PNG, JPEG, GIF and WebP images can be attached; scan.png is a PDF document.');
    assert.equal(await frame.getByRole('list', { name: 'Attached images' }).getByRole('listitem').count(), 0);
  });
});
