// The scaling decision (long edge at most 1568 px, aspect kept, never upscaled), the halving steps
// of the high-quality downscale, and the token estimate.
import assert from 'node:assert/strict';
import { base64Length, downscaleSteps, estimateImageTokens, planScaledSize, rawLengthOfBase64 } from '../../../src/shared/images';

describe('planScaledSize', () => {
  const table: [string, [number, number], [number, number], boolean][] = [
    ['4000x3000 landscape screenshot', [4000, 3000], [1568, 1176], true],
    ['3000x4000 portrait photo', [3000, 4000], [1176, 1568], true],
    ['exactly 1568 on the long edge', [1568, 1000], [1568, 1000], false],
    ['one pixel over', [1569, 1569], [1568, 1568], true],
    ['square 8000', [8000, 8000], [1568, 1568], true],
    ['tiny images are never upscaled', [16, 9], [16, 9], false],
    ['1x1', [1, 1], [1, 1], false],
    ['5K ultrawide 5120x1440', [5120, 1440], [1568, 441], true],
    ['extreme panorama keeps at least one pixel', [20000, 3], [1568, 1], true],
    ['extreme tall strip', [10, 30000], [1, 1568], true],
    ['retina 2880x1800', [2880, 1800], [1568, 980], true],
  ];
  for (const [label, [w, h], [ew, eh], scaled] of table) {
    it(label, () => {
      assert.deepEqual(planScaledSize({ width: w, height: h }), { width: ew, height: eh, scaled });
    });
  }

  it('keeps the aspect ratio within rounding for many sizes', () => {
    for (let w = 100; w <= 9000; w += 337) {
      for (let h = 100; h <= 9000; h += 419) {
        const out = planScaledSize({ width: w, height: h });
        assert.ok(Math.max(out.width, out.height) <= 1568);
        assert.ok(out.width <= w && out.height <= h, 'never larger than the source');
        if (out.scaled) {
          assert.equal(Math.max(out.width, out.height), 1568, 'the long edge is used fully');
          const error = Math.abs(out.width / out.height - w / h) / (w / h);
          assert.ok(error < 0.01 || Math.min(out.width, out.height) < 100, `${w}x${h} -> ${out.width}x${out.height}`);
        }
      }
    }
  });

  it('accepts another limit', () => {
    assert.deepEqual(planScaledSize({ width: 1000, height: 500 }, 200), { width: 200, height: 100, scaled: true });
  });
});

describe('downscaleSteps', () => {
  it('halves until the last step is at most 2x', () => {
    const steps = downscaleSteps({ width: 8000, height: 6000 }, { width: 1568, height: 1176 });
    assert.deepEqual(steps, [{ width: 4000, height: 3000 }, { width: 2000, height: 1500 }, { width: 1568, height: 1176 }]);
  });
  it('goes straight to the target when the factor is 2 or less', () => {
    assert.deepEqual(downscaleSteps({ width: 3000, height: 2000 }, { width: 1568, height: 1045 }), [{ width: 1568, height: 1045 }]);
    assert.deepEqual(downscaleSteps({ width: 100, height: 100 }, { width: 100, height: 100 }), [{ width: 100, height: 100 }]);
  });
  it('never shrinks a step by more than 2x on either side, and never below the target', () => {
    const from = { width: 20000, height: 3 };
    const to = { width: 1568, height: 1 };
    let previous = from;
    for (const step of downscaleSteps(from, to)) {
      assert.ok(previous.width / step.width <= 2 + 1e-9 && previous.height / step.height <= 2 + 1e-9, JSON.stringify(step));
      assert.ok(step.width >= to.width && step.height >= to.height);
      previous = step;
    }
    assert.deepEqual(previous, to);
  });
});

describe('estimateImageTokens', () => {
  it('is width x height / 750, rounded up', () => {
    assert.equal(estimateImageTokens({ width: 1568, height: 1176 }), 2459);
    assert.equal(estimateImageTokens({ width: 1000, height: 1000 }), 1334);
    assert.equal(estimateImageTokens({ width: 200, height: 200 }), 54);
    assert.equal(estimateImageTokens({ width: 1, height: 1 }), 1);
  });
});

describe('base64 sizes', () => {
  it('matches Buffer', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 1000, 3_750_000]) {
      const encoded = Buffer.alloc(n, 7).toString('base64');
      assert.equal(base64Length(n), encoded.length);
      assert.equal(rawLengthOfBase64(encoded), n);
    }
    assert.equal(base64Length(3_750_000), 5_000_000);
  });
});
