// Images in the real chat webview (the product bundle under the extension's CSP, in Chromium):
// paste into the Message box, drop onto the view, the host's addAttachment, thumbnails with token
// estimates, removal, the send message, refusals, and the larger view of a sent image.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { readImageDimensions, sniffImageType } from '../../src/shared/images';
import type { AttachmentPayload } from '../../src/shared/protocol';
import { encodePng, screenshotPixel } from '../support/images/encoders';
import { initMessage, useChatPage, userMessage, type ChatPage } from './support/chatPage';

const pngBase64 = (width: number, height: number): string => encodePng(width, height, screenshotPixel(width, height)).toString('base64');

interface FileSpec { name: string; type: string; base64: string }

/** The few DOM constructors the page-side code below uses (this tsconfig has no DOM lib). */
interface PageDom {
  DataTransfer: new () => { items: { add(file: unknown): void }; setData(type: string, value: string): void };
  File: new (parts: Uint8Array[], name: string, options: { type: string }) => unknown;
  ClipboardEvent: new (type: string, init: object) => Event;
  DragEvent: new (type: string, init: object) => Event;
  document: { activeElement: { getAttribute(name: string): string | null } | null };
}

/** Dispatches a paste (ClipboardEvent with a DataTransfer of files) on the Message box. */
async function paste(page: Page, files: FileSpec[], text = ''): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).evaluate((box, [specs, plain]) => {
    const { DataTransfer, File, ClipboardEvent } = globalThis as unknown as PageDom;
    const data = new DataTransfer();
    for (const f of specs) data.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
    if (plain) data.setData('text/plain', plain);
    box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, [files, text] as const);
}

/** Drags files onto the view: dragenter/dragover (overlay shows), then drop unless `dropIt` is false. */
async function drag(page: Page, files: FileSpec[], dropIt = true): Promise<void> {
  await page.locator('#app').evaluate((app, [specs, doDrop]) => {
    const { DataTransfer, File, DragEvent } = globalThis as unknown as PageDom;
    const data = new DataTransfer();
    for (const f of specs) data.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
    const target = app.querySelector('.transcript') ?? app;
    target.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    if (doDrop) target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, [files, dropIt] as const);
}

describe('images in the chat view (Chromium)', function () {
  this.timeout(60_000);
  // Playwright's default viewport, the size these tests were written at.
  const fixture = useChatPage({ viewport: { width: 1280, height: 720 }, noCspViolations: true });
  let page: Page;
  let chat: ChatPage;

  beforeEach(async () => {
    chat = fixture();
    page = chat.page;
    await chat.send(initMessage([]));
  });

  const thumbnails = () => page.getByRole('list', { name: 'Attached images' }).getByRole('listitem');

  it('pasting an image into the Message box shows a thumbnail with its token estimate', async () => {
    await paste(page, [{ name: 'image.png', type: 'image/png', base64: pngBase64(300, 200) }]);
    await thumbnails().first().waitFor();
    assert.equal(await thumbnails().count(), 1);
    // 300 x 200 / 750 = 80 tokens.
    assert.equal(await thumbnails().first().locator('.attachment-tokens').textContent(), '~80 tok');
    assert.match((await thumbnails().first().getAttribute('title')) ?? '', /300×200, .*about 80 tokens/);
    const removeButtons = page.getByRole('button', { name: /^Remove image pasted-\d{6}\.png$/ });
    assert.equal(await removeButtons.count(), 1);
    // The thumbnail is a real, loaded image (a blob: URL the CSP allows).
    const loaded = await thumbnails().first().locator('img').evaluate((img) => (img as unknown as { decode(): Promise<void>; naturalWidth: number }).decode().then(() => (img as unknown as { naturalWidth: number }).naturalWidth));
    assert.equal(loaded, 300);
  });

  it('pasting text that comes with a picture of it (Office) pastes the text, not an image', async () => {
    await paste(page, [{ name: 'image.png', type: 'image/png', base64: pngBase64(20, 10) }], 'A1\tB1');
    assert.equal(await thumbnails().count(), 0);
  });

  it('dragging files over the view shows the drop overlay; dropping attaches them in order', async () => {
    const overlay = page.locator('.drop-overlay');
    assert.equal(await overlay.isVisible(), false);
    await drag(page, [{ name: 'a.png', type: 'image/png', base64: pngBase64(40, 30) }], false);
    assert.equal(await overlay.isVisible(), true);
    assert.equal(await overlay.textContent(), 'Drop images to attach');
    await page.locator('#app').evaluate((app) => {
      const { DataTransfer, DragEvent } = globalThis as unknown as PageDom;
      app.dispatchEvent(new DragEvent('drop', { dataTransfer: new DataTransfer(), bubbles: true, cancelable: true }));
    });
    assert.equal(await overlay.isVisible(), false);

    await drag(page, [
      { name: 'first.png', type: 'image/png', base64: pngBase64(40, 30) },
      { name: 'second.png', type: 'image/png', base64: pngBase64(50, 30) },
    ]);
    await page.getByRole('button', { name: 'Remove image second.png' }).waitFor();
    assert.deepEqual(await thumbnails().locator('img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('alt'))), ['first.png', 'second.png']);
    assert.equal(await overlay.isVisible(), false);
  });

  it('a non-image dropped onto the view is refused with a clear message, recognised by its bytes', async () => {
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\n').toString('base64');
    await drag(page, [
      { name: 'diagram.png', type: 'image/png', base64: pdf },
      { name: 'ok.png', type: 'image/png', base64: pngBase64(20, 20) },
    ]);
    const alert = page.locator('.attachment-notice[role="alert"]');
    await alert.waitFor();
    assert.equal(await alert.textContent(), 'Only PNG, JPEG, GIF and WebP images can be attached; diagram.png is a PDF document.');
    assert.equal(await thumbnails().count(), 1, 'the valid image is still attached');
    // An image arriving afterwards (here from the host) does not wipe the refusal before it is read.
    await chat.send({ type: 'addAttachment', name: 'later.png', mediaType: 'image/png', data: pngBase64(20, 20) });
    await page.getByRole('button', { name: 'Remove image later.png' }).waitFor();
    assert.match((await alert.textContent()) ?? '', /diagram\.png is a PDF document/);
  });

  it('a refusal shows even when no image is attached', async () => {
    await drag(page, [{ name: 'notes.png', type: 'image/png', base64: Buffer.from('just some text\n').toString('base64') }]);
    const alert = page.getByRole('alert').filter({ hasText: 'notes.png' });
    await alert.waitFor();
    assert.equal(await alert.textContent(), 'Only PNG, JPEG, GIF and WebP images can be attached; notes.png is a text file.');
    assert.equal(await thumbnails().count(), 0);
  });

  it('files dragged from VS Code\'s Explorer (URIs, no bytes) are handed to the host to read', async () => {
    await chat.clearPosted();
    await page.locator('#app').evaluate((app) => {
      const { DataTransfer, DragEvent } = globalThis as unknown as PageDom;
      const data = new DataTransfer();
      data.setData('resourceurls', JSON.stringify(['file:///work/a.png', 'file:///work/b%20c.jpg']));
      data.setData('text/uri-list', 'file:///work/a.png');
      for (const type of ['dragenter', 'dragover', 'drop']) app.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    assert.deepEqual(await chat.postedOfType('attachImageUris'), [{ type: 'attachImageUris', uris: ['file:///work/a.png', 'file:///work/b%20c.jpg'] }]);
    assert.equal(await page.locator('.drop-overlay').isVisible(), false);
  });

  it('the remove button removes the thumbnail and keeps focus in the tray', async () => {
    await drag(page, [
      { name: 'one.png', type: 'image/png', base64: pngBase64(20, 20) },
      { name: 'two.png', type: 'image/png', base64: pngBase64(20, 20) },
    ]);
    await page.getByRole('button', { name: 'Remove image two.png' }).waitFor();
    await page.getByRole('button', { name: 'Remove image one.png' }).click();
    assert.equal(await thumbnails().count(), 1);
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageDom).document.activeElement?.getAttribute('aria-label')), 'Remove image two.png');
    await page.getByRole('button', { name: 'Remove image two.png' }).click();
    assert.equal(await thumbnails().count(), 0);
  });

  it('the host\'s addAttachment is scaled: a 4000x3000 PNG becomes 1568x1176', async () => {
    await chat.send({ type: 'addAttachment', name: 'huge.png', mediaType: 'image/png', data: pngBase64(4000, 3000) });
    await thumbnails().first().waitFor({ timeout: 30_000 });
    assert.equal(await thumbnails().first().locator('.attachment-tokens').textContent(), '~2.5k tok');
    assert.match((await thumbnails().first().getAttribute('title')) ?? '', /^huge\.png: 1568×1176, /);
  });

  it('sending posts the attachments with media type, base64 data and dimensions, then empties the tray', async () => {
    await paste(page, [{ name: 'shot.png', type: 'image/png', base64: pngBase64(320, 240) }]);
    await drag(page, [{ name: 'photo.jpg', type: 'image/jpeg', base64: (await import('node:fs')).readFileSync(`${__dirname}/../fixtures/images/photo-320x200.jpg`).toString('base64') }]);
    await page.getByRole('button', { name: 'Remove image photo.jpg' }).waitFor();
    await page.getByRole('textbox', { name: 'Message' }).fill('What is in these?');
    await chat.clearPosted();
    await page.getByRole('button', { name: 'Send' }).click();
    const [sent] = await chat.postedOfType('send');
    assert.equal(sent.text, 'What is in these?');
    assert.equal(sent.attachments.length, 2);
    const check = (a: AttachmentPayload, mediaType: string, width: number, height: number): void => {
      assert.equal(a.mediaType, mediaType);
      const bytes = Buffer.from(a.data, 'base64');
      assert.equal(bytes.toString('base64'), a.data, 'plain base64 without a data: prefix');
      assert.equal(sniffImageType(bytes), mediaType);
      assert.deepEqual(readImageDimensions(bytes), { width, height });
      assert.deepEqual([a.width, a.height], [width, height]);
    };
    check(sent.attachments[0], 'image/png', 320, 240);
    check(sent.attachments[1], 'image/jpeg', 320, 200);
    assert.equal(await thumbnails().count(), 0);
  });

  it('refuses the 21st image of a message', async () => {
    const files = Array.from({ length: 21 }, (_, i) => ({ name: `n${i}.png`, type: 'image/png', base64: pngBase64(8, 8) }));
    await drag(page, files);
    await page.getByRole('button', { name: 'Remove image n19.png' }).waitFor();
    assert.equal(await thumbnails().count(), 20);
    assert.match((await page.locator('.attachment-notice').textContent()) ?? '', /at most 20 images/);
  });

  it('a sent image opens larger in a dialog; Escape closes it and focus returns to the thumbnail', async () => {
    const id = 'a'.repeat(64);
    const message = userMessage('look', { content: [{ type: 'text', text: 'look' }, { type: 'image_ref', id, media_type: 'image/png', width: 64, height: 48, bytes: 100, name: 'chart.png' }] });
    await chat.send(initMessage([message], { attachmentUris: { [id]: `data:image/png;base64,${pngBase64(64, 48)}` } }));
    const thumbnail = page.getByRole('button', { name: 'View image chart.png' });
    await thumbnail.click();
    const dialog = page.getByRole('dialog', { name: 'Image chart.png' });
    await dialog.waitFor();
    assert.equal(await dialog.getByRole('img', { name: 'chart.png' }).isVisible(), true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageDom).document.activeElement?.getAttribute('aria-label')), 'View image chart.png');
    // The Close button works too.
    await thumbnail.click();
    await page.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    // While an answer streams, Escape in the dialog closes the dialog and does not stop the answer.
    await chat.send({ type: 'state', busy: true });
    await chat.clearPosted();
    await thumbnail.click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.deepEqual(await chat.postedOfType('stop'), []);
  });
});
