// Turns a pasted, dropped or host-picked image into what the `send` message carries: recognised
// by its bytes, decoded, scaled so the long edge is at most 1568 px, re-encoded only when that helps,
// and kept under the API's 5 MB per image. Everything runs on the browser's own decoder and canvas.
import { IMAGE_LIMITS, SUPPORTED_IMAGE_LABEL, isAnimatedImage, readImageDimensions, sniffImageType, unsupportedImageMessage, type ImageSize } from '../../src/shared/images';
import { checkDecodeDimensions, checkImageBytes, isPhotoLike, measurePixels, oversizeFallbacks, planImagePreparation, preferJpeg, type EncodeAttempt, type PixelStats } from '../../src/shared/imagePolicy';
import type { ImageMediaType } from '../../src/shared/model';
import type { AttachmentPayload } from '../../src/shared/protocol';
import { bytesToBase64 } from './base64';
import { drawScaled, encodeCanvas, readPixels, releaseCanvas, type AnyCanvas } from './canvas';

export type PrepareResult = AttachmentPayload | { error: string };

export function isPrepareError(result: PrepareResult): result is { error: string } {
  return 'error' in result;
}

interface Encoded {
  bytes: Uint8Array;
  mediaType: ImageMediaType;
  size: ImageSize;
}

const TYPE_LABEL: Record<ImageMediaType, string> = { 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/gif': 'GIF', 'image/webp': 'WebP' };

/** Prepares one image for sending, or explains in one sentence why it cannot be attached. Never throws. */
export async function prepareImage(blob: Blob, name: string): Promise<PrepareResult> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await blob.arrayBuffer());
  } catch (error) {
    // A dropped file that was moved or deleted in the meantime.
    return { error: `${name} could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
  return prepareBytes(bytes, name);
}

async function prepareBytes(bytes: Uint8Array, name: string): Promise<PrepareResult> {
  const mediaType = sniffImageType(bytes);
  if (!mediaType) return { error: unsupportedImageMessage(name, bytes) };
  const headerSize = readImageDimensions(bytes, mediaType);
  if (!headerSize) return { error: `${name} starts like a ${TYPE_LABEL[mediaType]} image but its header is damaged or cut short.` };
  // Refused from the header alone: the browser would otherwise plan a multi-gigabyte decode.
  const decodable = checkDecodeDimensions(name, headerSize);
  if (!decodable.ok) return { error: decodable.message };

  let bitmap: ImageBitmap;
  try {
    // Decoding from our own typed copy makes the browser trust the bytes, not the Blob's declared type.
    bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mediaType }));
  } catch {
    return { error: `${name} could not be decoded: the ${TYPE_LABEL[mediaType]} data is damaged or cut short.` };
  }
  try {
    const encoded = await prepareDecoded(bytes, mediaType, headerSize, bitmap);
    const base64 = bytesToBase64(encoded.bytes);
    const sizeCheck = checkImageBytes(name, base64.length);
    if (!sizeCheck.ok) return { error: sizeCheck.message };
    return { name, mediaType: encoded.mediaType, data: base64, width: encoded.size.width, height: encoded.size.height };
  } catch (error) {
    return { error: `${name} could not be prepared: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    bitmap.close();
  }
}

async function prepareDecoded(bytes: Uint8Array, mediaType: ImageMediaType, headerSize: ImageSize, bitmap: ImageBitmap): Promise<Encoded> {
  // The decoded size can differ from the header (a JPEG's EXIF rotation is applied by the decoder);
  // scaling follows what the user sees.
  const decodedSize = { width: bitmap.width, height: bitmap.height };
  const plan = planImagePreparation({ mediaType, size: decodedSize, byteLength: bytes.length, animated: isAnimatedImage(bytes, mediaType) });
  const original: Encoded = { bytes, mediaType, size: headerSize };
  if (plan.keepOriginal && !plan.considerJpeg) return original;

  const canvas = drawScaled(bitmap, plan);
  try {
    let stats: PixelStats | undefined;
    const pixelStats = (): PixelStats => (stats ??= measurePixels(readPixels(canvas), plan));
    let best = plan.keepOriginal ? original : await encode(canvas, { mediaType: plan.encodeAs, width: plan.width, height: plan.height, quality: lossyQuality(plan.encodeAs) });
    if (plan.considerJpeg) {
      const measured = pixelStats();
      if (isPhotoLike(measured) && !measured.hasAlpha) {
        const jpeg = await encode(canvas, { mediaType: 'image/jpeg', quality: IMAGE_LIMITS.lossyQuality, width: plan.width, height: plan.height });
        if (preferJpeg({ pngBytes: best.bytes.length, jpegBytes: jpeg.bytes.length, photoLike: true, hasAlpha: false })) best = jpeg;
      }
    }
    if (best.bytes.length <= IMAGE_LIMITS.maxRawBytes) return best;
    return await shrinkUntilWithinLimit(canvas, best, pixelStats().hasAlpha);
  } finally {
    releaseCanvas(canvas);
  }
}

function lossyQuality(mediaType: ImageMediaType): number | undefined {
  return mediaType === 'image/jpeg' || mediaType === 'image/webp' ? IMAGE_LIMITS.lossyQuality : undefined;
}

async function encode(canvas: AnyCanvas, attempt: EncodeAttempt): Promise<Encoded> {
  const bytes = await encodeCanvas(canvas, attempt.mediaType, attempt.quality);
  // A browser without a WebP encoder silently writes PNG: label what was actually written.
  const written = sniffImageType(bytes);
  if (!written) throw new Error(`the browser could not write ${SUPPORTED_IMAGE_LABEL} data`);
  return { bytes, mediaType: written, size: { width: canvas.width, height: canvas.height } };
}

/** Last resort for very detailed images: lower quality, then smaller sizes, until under 3.75 MB. */
async function shrinkUntilWithinLimit(scaled: AnyCanvas, first: Encoded, hasAlpha: boolean): Promise<Encoded> {
  let best = first;
  const start: EncodeAttempt = { mediaType: first.mediaType, width: scaled.width, height: scaled.height, quality: lossyQuality(first.mediaType) };
  for (const attempt of oversizeFallbacks(start, hasAlpha)) {
    const resized = attempt.width === scaled.width ? scaled : await resizeCanvas(scaled, attempt);
    try {
      const candidate = await encode(resized, attempt);
      if (candidate.bytes.length < best.bytes.length) best = candidate;
      if (best.bytes.length <= IMAGE_LIMITS.maxRawBytes) return best;
    } finally {
      if (resized !== scaled) releaseCanvas(resized);
    }
  }
  return best; // the caller reports it as too large
}

async function resizeCanvas(source: AnyCanvas, size: ImageSize): Promise<AnyCanvas> {
  const bitmap = await createImageBitmap(source);
  try {
    return drawScaled(bitmap, size);
  } finally {
    bitmap.close();
  }
}
