// Exact outputs of the image policy at its edges: a limit met exactly, pixel statistics of tiny
// hand-made images (one channel or one alpha value apart), the whole fallback ladder, and the
// full refusal sentences.
import assert from 'node:assert/strict';
import { IMAGE_LIMITS } from '../../../src/shared/images';
import {
  checkDecodeDimensions,
  checkImageCount,
  checkRequestBudget,
  isPhotoLike,
  measurePixels,
  oversizeFallbacks,
  planImagePreparation,
} from '../../../src/shared/imagePolicy';

/** RGBA bytes of a `width`-wide image from rows of [r, g, b, a] pixels. */
const rgba = (rows: number[][][]): Uint8Array => new Uint8Array(rows.flat(2));
const O: number[] = [10, 20, 30, 255];

describe('image policy, exactly', () => {
  it('keeps the original at exactly 3.75 MB and re-encodes one byte above', () => {
    const source = { mediaType: 'image/png' as const, size: { width: 100, height: 100 }, animated: false };
    assert.equal(planImagePreparation({ ...source, byteLength: IMAGE_LIMITS.maxRawBytes }).keepOriginal, true);
    assert.equal(planImagePreparation({ ...source, byteLength: IMAGE_LIMITS.maxRawBytes + 1 }).keepOriginal, false);
  });

  describe('measurePixels', () => {
    it('compares each sampled pixel with its right-hand neighbour, row by row, never past the edge', () => {
      // 3x2: row 0 = O O X, row 1 = X X X. Pairs: (O,O) flat, (O,X), (X,X) flat, (X,X) flat.
      const X = [200, 100, 50, 255];
      assert.deepEqual(measurePixels(rgba([[O, O, X], [X, X, X]]), { width: 3, height: 2 }), { hasAlpha: false, flatRatio: 0.75, distinctColours: 2 });
      // Only one row is read of a 2x1 image; no reading into a missing row.
      assert.deepEqual(measurePixels(rgba([[O, X]]), { width: 2, height: 1 }), { hasAlpha: false, flatRatio: 0, distinctColours: 1 });
    });

    it('a pixel equal in three channels but not the fourth is not flat', () => {
      for (const [channel, other] of [[0, [11, 20, 30, 255]], [1, [10, 21, 30, 255]], [2, [10, 20, 31, 255]], [3, [10, 20, 30, 254]]] as const) {
        assert.equal(measurePixels(rgba([[O, [...other]]]), { width: 2, height: 1 }).flatRatio, 0, `channel ${channel}`);
      }
    });

    it('sees transparency on either side of a pair', () => {
      const T = [10, 20, 30, 254];
      assert.equal(measurePixels(rgba([[T, O]]), { width: 2, height: 1 }).hasAlpha, true);
      assert.equal(measurePixels(rgba([[O, T]]), { width: 2, height: 1 }).hasAlpha, true);
      assert.equal(measurePixels(rgba([[O, O]]), { width: 2, height: 1 }).hasAlpha, false);
    });

    it('has nothing to sample in a one-pixel-wide image', () => {
      assert.deepEqual(measurePixels(rgba([[O], [O]]), { width: 1, height: 2 }), { hasAlpha: false, flatRatio: 1, distinctColours: 0 });
    });
  });

  it('isPhotoLike: under half flat and at least 128 colours', () => {
    assert.equal(isPhotoLike({ hasAlpha: false, flatRatio: 0.49, distinctColours: 128 }), true);
    assert.equal(isPhotoLike({ hasAlpha: false, flatRatio: 0.5, distinctColours: 1000 }), false);
    assert.equal(isPhotoLike({ hasAlpha: false, flatRatio: 0.1, distinctColours: 127 }), false);
  });

  describe('oversizeFallbacks', () => {
    it('lists the whole ladder: lower qualities, then four 0.8 shrinks at quality 0.7', () => {
      assert.deepEqual(oversizeFallbacks({ mediaType: 'image/jpeg', quality: 0.9, width: 1000, height: 501 }, false), [
        { mediaType: 'image/jpeg', quality: 0.8, width: 1000, height: 501 },
        { mediaType: 'image/jpeg', quality: 0.7, width: 1000, height: 501 },
        { mediaType: 'image/jpeg', quality: 0.6, width: 1000, height: 501 },
        { mediaType: 'image/jpeg', quality: 0.7, width: 800, height: 401 },
        { mediaType: 'image/jpeg', quality: 0.7, width: 640, height: 321 },
        { mediaType: 'image/jpeg', quality: 0.7, width: 512, height: 257 },
        { mediaType: 'image/jpeg', quality: 0.7, width: 410, height: 206 },
      ]);
    });

    it('only tries qualities below the first one, and all of them without one', () => {
      const q = (quality: number | undefined): (number | undefined)[] =>
        oversizeFallbacks({ mediaType: 'image/webp', quality, width: 10, height: 10 }, true)
          .slice(0, -4)
          .map((a) => a.quality);
      assert.deepEqual(q(0.8), [0.7, 0.6]);
      assert.deepEqual(q(0.7), [0.6]);
      assert.deepEqual(q(0.6), []);
      assert.deepEqual(q(undefined), [0.8, 0.7, 0.6]);
    });

    it('keeps a lossy format whatever the transparency, and never shrinks below one pixel', () => {
      assert.ok(oversizeFallbacks({ mediaType: 'image/webp', width: 3, height: 1 }, false).every((a) => a.mediaType === 'image/webp'));
      assert.ok(oversizeFallbacks({ mediaType: 'image/jpeg', width: 3, height: 1 }, true).every((a) => a.mediaType === 'image/jpeg'));
      assert.deepEqual(
        oversizeFallbacks({ mediaType: 'image/png', width: 1, height: 1 }, true)
          .slice(-4)
          .map((a) => [a.width, a.height]),
        [[1, 1], [1, 1], [1, 1], [1, 1]],
      );
    });
  });

  describe('limits', () => {
    it('checkImageCount: the exact sentences, with and without room left', () => {
      assert.deepEqual(checkImageCount(20), { ok: false, message: 'A message can carry at most 20 images. Send these first, or remove some.' });
      assert.deepEqual(checkImageCount(25), { ok: false, message: 'A message can carry at most 20 images. Send these first, or remove some.' });
      assert.deepEqual(checkImageCount(19, 2), { ok: false, message: 'A message can carry at most 20 images; there is room for 1 more. Send these first, or remove some.' });
      assert.deepEqual(checkImageCount(18, 2), { ok: true });
    });

    it('checkDecodeDimensions: 16,384 px on either side is allowed', () => {
      assert.deepEqual(checkDecodeDimensions('a', { width: 1000, height: 16_384 }), { ok: true });
      assert.deepEqual(checkDecodeDimensions('a', { width: 16_384, height: 1000 }), { ok: true });
      assert.deepEqual(checkDecodeDimensions('tall.png', { width: 1, height: 16_385 }), {
        ok: false,
        message: 'tall.png declares 1×16385 px (0 megapixels); images above 50 megapixels or 16384 px on a side are not opened. Crop or scale it down first.',
      });
    });

    it('checkRequestBudget: exactly the budget fits; the sentence names the history only when there is one', () => {
      const budget = IMAGE_LIMITS.requestBudgetBytes - IMAGE_LIMITS.requestReserveBytes;
      assert.deepEqual(checkRequestBudget([budget - 100], 100), { ok: true });
      assert.deepEqual(checkRequestBudget([budget]), { ok: true });
      assert.deepEqual(checkRequestBudget([budget, 1]), {
        ok: false,
        message: 'These images come to 31.0 MB; a request can be at most 32 MB. Remove some images.',
      });
      assert.deepEqual(checkRequestBudget([budget], 2048), {
        ok: false,
        message: 'These images come to 31.0 MB and the conversation so far takes 2.0 KB; a request can be at most 32 MB. Remove some images or start a new chat.',
      });
    });
  });
});
