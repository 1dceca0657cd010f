// The keep / scale / re-encode rule, the photo-likeness measure, the fallbacks for oversized
// encodes and the limits (20 images a message, 5 MB an image, 32 MB a request).
import assert from 'node:assert/strict';
import { IMAGE_LIMITS } from '../../../src/shared/images';
import { checkImageBytes, checkImageCount, checkRequestBudget, isPhotoLike, measurePixels, oversizeFallbacks, planImagePreparation, preferJpeg } from '../../../src/shared/imagePolicy';

const size = (width: number, height: number) => ({ width, height });

describe('planImagePreparation', () => {
  it('sends small images untouched, whatever the format', () => {
    for (const mediaType of ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const) {
      const plan = planImagePreparation({ mediaType, size: size(800, 600), byteLength: 100_000, animated: false });
      assert.equal(plan.keepOriginal, true, mediaType);
      assert.equal(plan.considerJpeg, false, mediaType);
      assert.deepEqual([plan.width, plan.height], [800, 600]);
    }
  });

  it('keeps an animated GIF animated when it is within the limits', () => {
    const plan = planImagePreparation({ mediaType: 'image/gif', size: size(480, 270), byteLength: 2_000_000, animated: true });
    assert.equal(plan.keepOriginal, true);
    assert.equal(plan.losesAnimation, false);
  });

  it('reduces an animated GIF that is too large to its first frame as PNG', () => {
    const big = planImagePreparation({ mediaType: 'image/gif', size: size(2000, 1000), byteLength: 2_000_000, animated: true });
    assert.deepEqual({ keep: big.keepOriginal, as: big.encodeAs, loses: big.losesAnimation, w: big.width, h: big.height }, { keep: false, as: 'image/png', loses: true, w: 1568, h: 784 });
    const heavy = planImagePreparation({ mediaType: 'image/gif', size: size(500, 500), byteLength: 6_000_000, animated: true });
    assert.equal(heavy.keepOriginal, false);
    assert.equal(heavy.losesAnimation, true);
  });

  it('scales large images in their own format (JPEG stays JPEG, WebP stays WebP, PNG stays PNG)', () => {
    for (const mediaType of ['image/png', 'image/jpeg', 'image/webp'] as const) {
      const plan = planImagePreparation({ mediaType, size: size(4000, 3000), byteLength: 900_000, animated: false });
      assert.equal(plan.keepOriginal, false);
      assert.equal(plan.encodeAs, mediaType);
      assert.deepEqual([plan.width, plan.height], [1568, 1176]);
    }
  });

  it('considers JPEG only for PNG sources that are big enough to matter', () => {
    const scaledPng = planImagePreparation({ mediaType: 'image/png', size: size(4000, 3000), byteLength: 100_000, animated: false });
    assert.equal(scaledPng.considerJpeg, true);
    const heavyPng = planImagePreparation({ mediaType: 'image/png', size: size(1200, 900), byteLength: IMAGE_LIMITS.jpegTrialMinBytes, animated: false });
    assert.equal(heavyPng.keepOriginal, true);
    assert.equal(heavyPng.considerJpeg, true);
    const smallPng = planImagePreparation({ mediaType: 'image/png', size: size(1200, 900), byteLength: IMAGE_LIMITS.jpegTrialMinBytes - 1, animated: false });
    assert.equal(smallPng.considerJpeg, false);
    const jpeg = planImagePreparation({ mediaType: 'image/jpeg', size: size(4000, 3000), byteLength: 3_000_000, animated: false });
    assert.equal(jpeg.considerJpeg, false);
  });

  it('re-encodes an image over 3.75 MB even when its size is fine', () => {
    const plan = planImagePreparation({ mediaType: 'image/png', size: size(1500, 1500), byteLength: IMAGE_LIMITS.maxRawBytes + 1, animated: false });
    assert.equal(plan.keepOriginal, false);
    assert.deepEqual([plan.width, plan.height], [1500, 1500]);
  });
});

describe('preferJpeg', () => {
  const base = { pngBytes: 1_000_000, jpegBytes: 400_000, photoLike: true, hasAlpha: false };
  it('takes JPEG for an opaque photo when it is under half the PNG', () => {
    assert.equal(preferJpeg(base), true);
  });
  it('keeps PNG when JPEG is not much smaller, for screenshots, and when there is transparency', () => {
    assert.equal(preferJpeg({ ...base, jpegBytes: 500_000 }), false);
    assert.equal(preferJpeg({ ...base, photoLike: false }), false);
    assert.equal(preferJpeg({ ...base, hasAlpha: true }), false);
  });
});

function rgba(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]): Uint8ClampedArray {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 4);
  return data;
}

describe('photo-likeness', () => {
  let seed = 12345;
  const noise = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % 256;
  };

  it('a UI screenshot (flat areas, few colours) is not photo-like', () => {
    const ui = rgba(400, 300, (x, y) => (y < 20 ? [40, 44, 52, 255] : y % 12 < 7 && x % 9 < 5 && x < 300 ? [20, 20, 20, 255] : [250, 250, 250, 255]));
    const stats = measurePixels(ui, size(400, 300));
    assert.equal(stats.hasAlpha, false);
    assert.ok(stats.flatRatio > 0.5, String(stats.flatRatio));
    assert.equal(isPhotoLike(stats), false);
  });

  it('a noisy photo-like image is photo-like', () => {
    const photo = rgba(400, 300, (x, y) => [(x + noise() / 8) & 255, (y + noise() / 8) & 255, (x + y + noise()) / 3, 255]);
    const stats = measurePixels(photo, size(400, 300));
    assert.ok(stats.flatRatio < 0.2);
    assert.equal(isPhotoLike(stats), true);
  });

  it('a smooth gradient without noise is not photo-like (long flat runs)', () => {
    const gradient = rgba(400, 300, (x) => [Math.floor(x / 4), 0, 0, 255]);
    assert.equal(isPhotoLike(measurePixels(gradient, size(400, 300))), false);
  });

  it('a dithered image of a few colours is not photo-like (nothing is flat, but few colours)', () => {
    const dithered = rgba(400, 300, (x, y) => ((x + y) % 2 ? [0, 0, 0, 255] : (x * y) % 3 ? [255, 255, 255, 255] : [255, 0, 0, 255]));
    const stats = measurePixels(dithered, size(400, 300));
    assert.ok(stats.flatRatio < 0.5);
    assert.equal(isPhotoLike(stats), false);
  });

  it('notices transparency', () => {
    const icon = rgba(50, 50, (x, y) => (Math.hypot(x - 25, y - 25) < 20 ? [255, 0, 0, 255] : [0, 0, 0, 0]));
    assert.equal(measurePixels(icon, size(50, 50)).hasAlpha, true);
  });

  it('samples large images instead of reading every pixel', () => {
    const big = new Uint8ClampedArray(4000 * 3000 * 4).fill(255);
    const stats = measurePixels(big, size(4000, 3000), 10_000);
    assert.equal(stats.flatRatio, 1);
    assert.equal(stats.distinctColours, 1);
  });
});

describe('oversizeFallbacks', () => {
  it('lowers JPEG quality first, then shrinks', () => {
    const attempts = oversizeFallbacks({ mediaType: 'image/jpeg', quality: 0.9, width: 1568, height: 1176 }, false);
    assert.deepEqual(attempts.slice(0, 3).map((a) => a.quality), [0.8, 0.7, 0.6]);
    assert.ok(attempts.slice(3).every((a, i, all) => a.width < (i === 0 ? 1568 : all[i - 1].width)));
    assert.ok(attempts.length <= 8);
  });
  it('turns an opaque PNG into JPEG, and a transparent one into WebP (which keeps alpha)', () => {
    assert.ok(oversizeFallbacks({ mediaType: 'image/png', width: 1568, height: 1568 }, false).every((a) => a.mediaType === 'image/jpeg'));
    assert.ok(oversizeFallbacks({ mediaType: 'image/png', width: 1568, height: 1568 }, true).every((a) => a.mediaType === 'image/webp'));
  });
});

describe('limits', () => {
  it('allows 20 images a message and says how many more fit', () => {
    assert.deepEqual(checkImageCount(0, 20), { ok: true });
    assert.deepEqual(checkImageCount(19), { ok: true });
    const full = checkImageCount(20);
    assert.equal(full.ok, false);
    assert.match(!full.ok ? full.message : '', /at most 20 images/);
    const over = checkImageCount(15, 8);
    assert.match(!over.ok ? over.message : '', /room for 5 more/);
  });

  it('refuses one image over 5 MB of base64', () => {
    assert.deepEqual(checkImageBytes('a.png', 5_000_000), { ok: true });
    const big = checkImageBytes('a.png', 5_000_001);
    assert.match(!big.ok ? big.message : '', /a\.png is 4\.8 MB even after scaling; an image can be at most 5 MB/);
  });

  it('fits images into the 32 MB request with the conversation, and explains when not', () => {
    assert.deepEqual(checkRequestBudget(Array(6).fill(5_000_000)), { ok: true });
    const tooMany = checkRequestBudget(Array(7).fill(5_000_000));
    assert.equal(tooMany.ok, false);
    assert.match(!tooMany.ok ? tooMany.message : '', /33\.4 MB; a request can be at most 32 MB/);
    const withHistory = checkRequestBudget([5_000_000], 27 * 1024 * 1024);
    assert.match(!withHistory.ok ? withHistory.message : '', /conversation so far takes 27\.0 MB.*start a new chat/);
  });
});
