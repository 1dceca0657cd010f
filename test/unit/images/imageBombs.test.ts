// Image bombs: a small file whose header declares an enormous image is refused from the header
// bytes alone, before anything decodes it (the host cannot decode; the webview test checks that
// createImageBitmap is never reached).
import assert from 'node:assert/strict';
import { checkPickedImage, checkToolImage, toolImageContent } from '../../../src/core/images/imageFiles';
import { IMAGE_LIMITS, readImageDimensions } from '../../../src/shared/images';
import { checkDecodeDimensions } from '../../../src/shared/imagePolicy';
import { headerBombs, pngBomb } from '../../support/images/encoders';
import { png } from './fixtures';

const refusal = (result: { ok: boolean; message?: string }): string => (result.ok ? assert.fail('expected a refusal') : result.message ?? '');

describe('image bombs', () => {
  it('refuses a ~100 KB PNG declaring 30000x30000 with a message naming the size and the limit', () => {
    const bomb = pngBomb(30_000, 30_000);
    assert.ok(bomb.length > 90 * 1024 && bomb.length < 200 * 1024, `bomb is ${bomb.length} bytes`);
    assert.deepEqual(readImageDimensions(bomb), { width: 30_000, height: 30_000 });
    const message = refusal(checkPickedImage('bomb.png', bomb));
    assert.match(message, /^bomb\.png declares 30000×30000 px \(900 megapixels\); images above 50 megapixels or 16384 px on a side are not opened\./);
    assert.match(refusal(checkToolImage('bomb.png', bomb)), /declares 30000×30000 px/);
    const content = toolImageContent('bomb.png', bomb);
    assert.equal(content.ok, false);
  });

  for (const [format, bytes] of Object.entries(headerBombs(40_000, 20_000))) {
    if (format === 'webp-vp8l') continue; // 14-bit sizes: checked below at its maximum
    it(`refuses a ${format} header declaring 40000x20000`, () => {
      assert.deepEqual(readImageDimensions(bytes), { width: 40_000, height: 20_000 });
      assert.match(refusal(checkPickedImage(`bomb.${format}`, bytes)), /declares 40000×20000 px/);
    });
  }

  it('refuses a lossless WebP at its 16384x16384 maximum (268 megapixels)', () => {
    const bytes = headerBombs(16_384, 16_384)['webp-vp8l'];
    assert.deepEqual(readImageDimensions(bytes), { width: 16_384, height: 16_384 });
    assert.match(refusal(checkPickedImage('bomb.webp', bytes)), /declares 16384×16384 px \(268 megapixels\)/);
  });

  it('draws the line at 50 megapixels and 16,384 px a side, inclusive', () => {
    assert.equal(checkDecodeDimensions('a', { width: 16_384, height: 3051 }).ok, true); // 49.99 MP
    assert.equal(checkDecodeDimensions('a', { width: 16_384, height: 3052 }).ok, false); // 50.004 MP
    assert.equal(checkDecodeDimensions('a', { width: 10_000, height: 5_000 }).ok, true);
    assert.equal(checkDecodeDimensions('a', { width: 16_385, height: 1 }).ok, false);
    assert.equal(checkDecodeDimensions('a', { width: 1, height: 16_385 }).ok, false);
    assert.equal(IMAGE_LIMITS.maxDecodePixels, 50_000_000);
  });

  it('still accepts a large ordinary screenshot (the webview scales it)', () => {
    assert.equal(checkPickedImage('wide.png', png(8000, 2000)).ok, true);
  });
});
