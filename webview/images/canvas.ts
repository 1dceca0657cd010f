// Canvas helpers for the image pipeline. OffscreenCanvas when the browser has it (VS Code's webviews
// do), an off-document <canvas> otherwise; both give the browser's own decoders and encoders, so the
// extension ships no image library.
import { downscaleSteps, type ImageSize } from '../../src/shared/images';
import type { ImageMediaType } from '../../src/shared/model';

export type AnyCanvas = OffscreenCanvas | HTMLCanvasElement;
type Any2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

export function createCanvas(size: ImageSize): AnyCanvas {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(size.width, size.height);
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  return canvas;
}

export function context2d(canvas: AnyCanvas): Any2D {
  const ctx = canvas.getContext('2d') as Any2D | null;
  if (!ctx) throw new Error('This view cannot draw images (no 2D canvas).');
  // 'high' selects the browser's best resampling filter; the default 'low' aliases thin text strokes.
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  return ctx;
}

/** Frees a canvas's pixel memory now rather than at the next garbage collection. */
export function releaseCanvas(canvas: AnyCanvas): void {
  canvas.width = 0;
  canvas.height = 0;
}

/**
 * Draws `bitmap` at `target` size, halving at most 2x per step so fine detail (text in
 * screenshots, one-pixel borders) is averaged instead of skipped.
 */
export function drawScaled(bitmap: ImageBitmap, target: ImageSize): AnyCanvas {
  let source: CanvasImageSource = bitmap;
  let sourceSize: ImageSize = { width: bitmap.width, height: bitmap.height };
  let previous: AnyCanvas | undefined;
  for (const step of downscaleSteps(sourceSize, target)) {
    const canvas = createCanvas(step);
    context2d(canvas).drawImage(source, 0, 0, sourceSize.width, sourceSize.height, 0, 0, step.width, step.height);
    if (previous) releaseCanvas(previous);
    previous = canvas;
    source = canvas;
    sourceSize = step;
  }
  return previous ?? copyOf(bitmap);
}

function copyOf(bitmap: ImageBitmap): AnyCanvas {
  const canvas = createCanvas({ width: bitmap.width, height: bitmap.height });
  context2d(canvas).drawImage(bitmap, 0, 0);
  return canvas;
}

export function readPixels(canvas: AnyCanvas): Uint8ClampedArray {
  return context2d(canvas).getImageData(0, 0, canvas.width, canvas.height).data;
}

/** Encodes the canvas; the browser may fall back to PNG for a type it cannot write, so callers sniff the result. */
export async function encodeCanvas(canvas: AnyCanvas, mediaType: ImageMediaType, quality?: number): Promise<Uint8Array> {
  const blob = 'convertToBlob' in canvas
    ? await canvas.convertToBlob({ type: mediaType, quality })
    : await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The image could not be encoded.'))), mediaType, quality));
  return new Uint8Array(await blob.arrayBuffer());
}
