// The image decisions: when to keep, scale or re-encode an image, and the per-image, per-message and
// per-request limits with the messages shown when something does not fit. Pure, shared by the webview
// (which prepares images) and the host (which checks requests and tool results).
import type { ImageMediaType } from './model';
import { IMAGE_LIMITS, formatBytes, planScaledSize, type ImageSize } from './images';

/** What the webview should do with a decoded image before sending it. */
export interface PreparationPlan {
  /** Send the original bytes untouched (already within every limit). */
  keepOriginal: boolean;
  /** Size of the image that will be sent. */
  width: number;
  height: number;
  /** Format to encode to when the original is not kept. */
  encodeAs: ImageMediaType;
  /** Also encode a JPEG and use it if `preferJpeg` says so (PNG sources only; decided after looking at the pixels). */
  considerJpeg: boolean;
  /** An animation that has to be re-encoded keeps only its first frame (canvas has no animated encoder). */
  losesAnimation: boolean;
}

/**
 * The re-encode rule:
 * - anything already within the limits (long edge ≤ 1568 px, ≤ 3.75 MB) is sent as it is, so
 *   animated GIFs stay animated and nothing is recompressed needlessly;
 * - JPEG stays JPEG and WebP stays WebP when they must be scaled (both are lossy already);
 * - PNG stays PNG (lossless, the right choice for screenshots of text and UI), except that a PNG of
 *   at least 256 KB without transparency that looks like a photo (see `isPhotoLike`) is also encoded
 *   as JPEG at quality 0.9, and the JPEG wins only when it is under half the PNG's size;
 * - GIF that must be scaled becomes PNG (first frame only when animated): GIF's 256-colour
 *   palette would band a smoothed downscale, and PNG keeps it lossless.
 */
export function planImagePreparation(source: { mediaType: ImageMediaType; size: ImageSize; byteLength: number; animated: boolean }): PreparationPlan {
  const target = planScaledSize(source.size);
  const keepOriginal = !target.scaled && source.byteLength <= IMAGE_LIMITS.maxRawBytes;
  const encodeAs: ImageMediaType = source.mediaType === 'image/gif' ? 'image/png' : source.mediaType;
  const pngLikelyBig = !keepOriginal || source.byteLength >= IMAGE_LIMITS.jpegTrialMinBytes;
  return {
    keepOriginal,
    width: target.width,
    height: target.height,
    encodeAs,
    considerJpeg: source.mediaType === 'image/png' && !source.animated && pngLikelyBig,
    losesAnimation: source.animated && !keepOriginal,
  };
}

/** JPEG replaces PNG only for opaque, photo-like pixels and only when it is under half the size. */
export function preferJpeg(candidate: { pngBytes: number; jpegBytes: number; photoLike: boolean; hasAlpha: boolean }): boolean {
  return candidate.photoLike && !candidate.hasAlpha && candidate.jpegBytes < candidate.pngBytes * IMAGE_LIMITS.jpegMustBeBelowFractionOfPng;
}

export interface PixelStats {
  /** Any pixel not fully opaque (JPEG would lose it). */
  hasAlpha: boolean;
  /** Share of sampled pixels equal to their right-hand neighbour: high for flat UI, low for photos. */
  flatRatio: number;
  /** Distinct colours among the samples, quantised to 5 bits a channel (at most 32768). */
  distinctColours: number;
}

/**
 * Samples up to ~`maxSamples` pixels of RGBA data on an even grid. Screenshots of code and UI are
 * mostly flat runs of a few colours; photos and gradients-with-noise are not.
 */
export function measurePixels(rgba: Uint8Array | Uint8ClampedArray, size: ImageSize, maxSamples = 40_000): PixelStats {
  const { width, height } = size;
  const stride = Math.max(1, Math.floor(Math.sqrt((width * height) / maxSamples)));
  const colours = new Set<number>();
  let samples = 0;
  let flat = 0;
  let hasAlpha = false;
  for (let y = 0; y < height; y += stride) {
    for (let x = 0; x + 1 < width; x += stride) {
      const i = (y * width + x) * 4;
      if (rgba[i + 3] < 255 || rgba[i + 7] < 255) hasAlpha = true;
      if (rgba[i] === rgba[i + 4] && rgba[i + 1] === rgba[i + 5] && rgba[i + 2] === rgba[i + 6] && rgba[i + 3] === rgba[i + 7]) flat++;
      colours.add(((rgba[i] >> 3) << 10) | ((rgba[i + 1] >> 3) << 5) | (rgba[i + 2] >> 3));
      samples++;
    }
  }
  if (samples === 0) return { hasAlpha, flatRatio: 1, distinctColours: 0 };
  return { hasAlpha, flatRatio: flat / samples, distinctColours: colours.size };
}

/**
 * Photo-like: under half the neighbouring pixels repeat exactly (UI and text have long flat runs,
 * camera images have noise everywhere) and there are at least 128 distinct colours (not a
 * dithered few-colour image). The size rule in `preferJpeg` is the second guard.
 */
export function isPhotoLike(stats: PixelStats): boolean {
  return stats.flatRatio < 0.5 && stats.distinctColours >= 128;
}

/** One encode attempt: the format, quality (lossy formats) and size. */
export interface EncodeAttempt {
  mediaType: ImageMediaType;
  quality?: number;
  width: number;
  height: number;
}

/**
 * What to try, in order, when an encoded image is still above 3.75 MB: lower the quality of a
 * lossy format, switch an opaque PNG to JPEG, and then shrink the size by steps of 0.8.
 * Always ends after a bounded number of attempts.
 */
export function oversizeFallbacks(first: EncodeAttempt, hasAlpha: boolean): EncodeAttempt[] {
  const attempts: EncodeAttempt[] = [];
  const lossy: ImageMediaType = first.mediaType === 'image/png' ? (hasAlpha ? 'image/webp' : 'image/jpeg') : first.mediaType;
  for (const quality of [0.8, 0.7, 0.6]) {
    if (first.quality === undefined || quality < first.quality) attempts.push({ mediaType: lossy, quality, width: first.width, height: first.height });
  }
  let { width, height } = first;
  for (let step = 0; step < 4; step++) {
    width = Math.max(1, Math.round(width * 0.8));
    height = Math.max(1, Math.round(height * 0.8));
    attempts.push({ mediaType: lossy, quality: 0.7, width, height });
  }
  return attempts;
}

export type LimitCheck = { ok: true } | { ok: false; message: string };

/** Whether `adding` more images fit in one message next to the `current` ones. */
export function checkImageCount(current: number, adding = 1): LimitCheck {
  const max = IMAGE_LIMITS.maxImagesPerMessage;
  if (current + adding <= max) return { ok: true };
  const room = Math.max(0, max - current);
  return { ok: false, message: `A message can carry at most ${max} images${room > 0 ? `; there is room for ${room} more` : ''}. Send these first, or remove some.` };
}

/**
 * Whether an image with this header size may be decoded. Checked from the header bytes before any
 * decode, on both sides: the host (picked and tool images) and the webview (pasted and dropped).
 */
export function checkDecodeDimensions(name: string, size: ImageSize): LimitCheck {
  const { width, height } = size;
  const side = IMAGE_LIMITS.maxDecodeSide;
  const megapixels = IMAGE_LIMITS.maxDecodePixels / 1_000_000;
  if (width <= side && height <= side && width * height <= IMAGE_LIMITS.maxDecodePixels) return { ok: true };
  return {
    ok: false,
    message: `${name} declares ${width}×${height} px (${Math.round((width * height) / 1_000_000)} megapixels); images above ${megapixels} megapixels or ${side} px on a side are not opened. Crop or scale it down first.`,
  };
}

/** Whether one prepared image fits the API's per-image limit. */
export function checkImageBytes(name: string, base64Bytes: number): LimitCheck {
  if (base64Bytes <= IMAGE_LIMITS.maxBase64Bytes) return { ok: true };
  return { ok: false, message: `${name} is ${formatBytes(base64Bytes)} even after scaling; an image can be at most 5 MB. Crop it or save it as JPEG.` };
}

/**
 * Whether images of these base64 sizes fit in one request next to `otherRequestBytes` (the text and
 * the earlier turns, which every request repeats) under the gateway's 32 MB limit.
 */
export function checkRequestBudget(imageBase64Bytes: readonly number[], otherRequestBytes = 0): LimitCheck {
  const images = imageBase64Bytes.reduce((sum, n) => sum + n, 0);
  const budget = IMAGE_LIMITS.requestBudgetBytes - IMAGE_LIMITS.requestReserveBytes;
  if (images + otherRequestBytes <= budget) return { ok: true };
  const history = otherRequestBytes > 0 ? ` and the conversation so far takes ${formatBytes(otherRequestBytes)}` : '';
  return {
    ok: false,
    message: `These images come to ${formatBytes(images)}${history}; a request can be at most 32 MB. Remove some images${otherRequestBytes > 0 ? ' or start a new chat' : ''}.`,
  };
}
