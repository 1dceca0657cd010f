// The image pipeline (webview/images/prepare.ts) in a real Chromium: decode, scale, re-encode and
// limits, checked by decoding what it produced. Test images are drawn with the browser's canvas
// or generated in Node (PNG, GIF) and read from test/fixtures/images (JPEG, WebP).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { estimateImageTokens, readImageDimensions, sniffImageType } from '../../src/shared/images';
import type { AttachmentPayload } from '../../src/shared/protocol';
import { encodeGif, encodePng } from '../support/images/encoders';
import { useImagesPage, type Prepared } from './support/imagesPage';

const fixture = (file: string): string => readFileSync(resolve(__dirname, '../fixtures/images', file)).toString('base64');

function payload(result: Prepared): AttachmentPayload {
  if ('error' in result) assert.fail(`expected an attachment, got: ${result.error}`);
  return result;
}

describe('image pipeline (Chromium)', function () {
  this.timeout(60_000);
  const images = useImagesPage();

  it('scales a 4000x3000 PNG screenshot to a valid 1568x1176 PNG', async () => {
    const source = await images().generate('screenshot', 4000, 3000);
    const result = payload(await images().prepare(source, 'screen.png'));
    assert.equal(result.mediaType, 'image/png', 'a screenshot stays PNG');
    assert.deepEqual([result.width, result.height], [1568, 1176]);
    const bytes = Buffer.from(result.data, 'base64');
    assert.equal(sniffImageType(bytes), 'image/png');
    assert.deepEqual(readImageDimensions(bytes), { width: 1568, height: 1176 });
    assert.deepEqual(await images().inspect(result.data), { sniffed: 'image/png', width: 1568, height: 1176, bytes: bytes.length });
    assert.equal(estimateImageTokens(result), 2459);
  });

  it('sends small images byte for byte unchanged', async () => {
    const png = encodePng(300, 200, (x, y) => [x % 256, y % 256, 128, 255]).toString('base64');
    const result = payload(await images().prepare(png, 'small.png'));
    assert.equal(result.data, png);
    assert.deepEqual([result.mediaType, result.width, result.height], ['image/png', 300, 200]);
    const jpeg = fixture('photo-320x200.jpg');
    assert.equal(payload(await images().prepare(jpeg, 'photo.jpg')).data, jpeg);
  });

  it('recognises the type by bytes: a JPEG named .png is sent as JPEG', async () => {
    const result = payload(await images().prepare(fixture('photo-320x200.jpg'), 'really-a-jpeg.png'));
    assert.equal(result.mediaType, 'image/jpeg');
  });

  it('scales a large JPEG photo as JPEG', async () => {
    const source = await images().generate('photo', 1800, 2400, 'image/jpeg', 0.92);
    const result = payload(await images().prepare(source, 'portrait.jpg'));
    assert.equal(result.mediaType, 'image/jpeg');
    assert.deepEqual([result.width, result.height], [1176, 1568]);
    const inspected = await images().inspect(result.data);
    assert.deepEqual(inspected, { sniffed: 'image/jpeg', width: 1176, height: 1568, bytes: Buffer.from(result.data, 'base64').length });
  });

  it('turns a large photo-like PNG into a JPEG when that is under half the size', async () => {
    const source = await images().generate('photo', 2400, 1600);
    const result = payload(await images().prepare(source, 'photo.png'));
    assert.equal(result.mediaType, 'image/jpeg');
    assert.deepEqual([result.width, result.height], [1568, 1045]);
    assert.ok(!('error' in (await images().inspect(result.data))));
  });

  it('keeps PNG for a large image with transparency', async () => {
    const source = await images().generate('transparent', 3000, 2000);
    const result = payload(await images().prepare(source, 'logo.png'));
    assert.equal(result.mediaType, 'image/png');
    assert.deepEqual([result.width, result.height], [1568, 1045]);
  });

  it('keeps a small animated GIF as it is, and reduces a large one to its first frame as PNG', async () => {
    const palette: [number, number, number][] = [[0, 0, 0], [255, 255, 255], [255, 0, 0], [0, 0, 255]];
    const frames = [0, 1, 2].map((f) => (x: number, y: number) => (Math.floor(x / 8) + Math.floor(y / 8) + f) % 4);
    const small = encodeGif(200, 100, palette, frames).toString('base64');
    const kept = payload(await images().prepare(small, 'spinner.gif'));
    assert.equal(kept.data, small);
    assert.equal(kept.mediaType, 'image/gif');
    const large = encodeGif(2000, 1000, palette, frames).toString('base64');
    const still = payload(await images().prepare(large, 'recording.gif'));
    assert.equal(still.mediaType, 'image/png');
    assert.deepEqual([still.width, still.height], [1568, 784]);
    assert.ok(!('error' in (await images().inspect(still.data))));
  });

  it('accepts every WebP header kind and scales a large WebP as WebP', async () => {
    for (const file of ['lossy-300x150.webp', 'lossy-300x150-simple.webp', 'lossless-40x30-simple.webp', 'alpha-64x48.webp']) {
      const result = payload(await images().prepare(fixture(file), file));
      assert.equal(result.mediaType, 'image/webp', file);
      assert.equal(result.data, fixture(file), `${file} is sent unchanged`);
    }
    const large = await images().generate('photo', 2000, 2000, 'image/webp', 0.9);
    const scaled = payload(await images().prepare(large, 'big.webp'));
    assert.deepEqual([scaled.mediaType, scaled.width, scaled.height], ['image/webp', 1568, 1568]);
  });

  it('refuses non-images with a message naming the file and what it is', async () => {
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\n').toString('base64');
    assert.deepEqual(await images().prepare(pdf, 'report.png'), { error: 'Only PNG, JPEG, GIF and WebP images can be attached; report.png is a PDF document.' });
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64');
    const refused = await images().prepare(svg, 'icon.svg');
    assert.match('error' in refused ? refused.error : '', /icon\.svg is an SVG image/);
  });

  it('refuses a truncated image with a clear message', async () => {
    const png = encodePng(400, 300, (x, y) => [x % 256, y % 256, 0, 255]);
    const cut = png.subarray(0, 60).toString('base64');
    const result = await images().prepare(cut, 'cut.png');
    assert.match('error' in result ? result.error : '', /cut\.png could not be decoded: the PNG data is damaged or cut short/);
    const header = await images().prepare(png.subarray(0, 18).toString('base64'), 'header.png');
    assert.match('error' in header ? header.error : '', /header\.png starts like a PNG image but its header is damaged/);
  });

  it('brings an image whose PNG would be over 5 MB under the limit', async () => {
    // Incompressible noise at 1568x1568: about 7 MB as PNG, so the pipeline must fall back.
    const noise = randomBytes(1568 * 1568 * 3);
    const png = encodePng(1568, 1568, (x, y) => {
      const i = (y * 1568 + x) * 3;
      return [noise[i], noise[i + 1], noise[i + 2], 255];
    }, { alpha: false });
    assert.ok(png.length > 3_750_000);
    const result = payload(await images().prepare(png.toString('base64'), 'noise.png'));
    assert.ok(result.data.length <= 5_000_000, String(result.data.length));
    assert.equal(result.mediaType, 'image/jpeg');
    assert.ok(!('error' in (await images().inspect(result.data))));
  });
});
