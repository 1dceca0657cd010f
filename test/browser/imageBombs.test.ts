// Image bombs in a real Chromium: a ~100 KB PNG declaring 30000x30000 (and the other formats'
// headers) is refused by the webview pipeline before the browser is asked to decode anything.
import assert from 'node:assert/strict';
import { headerBombs, pngBomb } from '../support/images/encoders';
import { useImagesPage } from './support/imagesPage';

describe('image bombs (Chromium)', function () {
  this.timeout(60_000);
  const images = useImagesPage();

  before(async () => {
    // Counts every decode the page asks for; the pipeline decodes only through createImageBitmap.
    await images().page.evaluate(() => {
      type Decode = (...args: unknown[]) => Promise<unknown>;
      const page = globalThis as unknown as { __decodes: number; createImageBitmap: Decode };
      const original = page.createImageBitmap.bind(globalThis);
      page.__decodes = 0;
      page.createImageBitmap = (...args: unknown[]) => { page.__decodes++; return original(...args); };
    });
  });

  const decodes = (): Promise<number> => images().page.evaluate(() => (globalThis as unknown as { __decodes: number }).__decodes);

  it('refuses a ~100 KB PNG declaring 30000x30000 without decoding it', async () => {
    const bomb = pngBomb(30_000, 30_000);
    assert.ok(bomb.length < 200 * 1024);
    const result = await images().prepare(bomb.toString('base64'), 'bomb.png');
    assert.deepEqual(result, { error: 'bomb.png declares 30000×30000 px (900 megapixels); images above 50 megapixels or 16384 px on a side are not opened. Crop or scale it down first.' });
    assert.equal(await decodes(), 0, 'createImageBitmap was called');
  });

  it('refuses JPEG, GIF and WebP headers declaring 40000x20000 without decoding them', async () => {
    for (const [format, bytes] of Object.entries(headerBombs(40_000, 20_000))) {
      if (format === 'webp-vp8l') continue;
      const result = await images().prepare(bytes.toString('base64'), `bomb.${format}`);
      assert.ok('error' in result && /declares 40000×20000 px/.test(result.error), `${format}: ${JSON.stringify(result)}`);
    }
    assert.equal(await decodes(), 0);
  });

  it('still decodes an ordinary image (the counter sees real decodes)', async () => {
    const source = await images().generate('screenshot', 400, 300);
    const before = await decodes();
    const result = await images().prepare(source, 'ok.png');
    assert.ok(!('error' in result));
    assert.ok((await decodes()) > before, 'an ordinary image is decoded');
  });
});
