// Image facts and decisions shared by the webview (which scales and re-encodes with the browser's
// canvas) and the extension host (which has no canvas and can only check). Pure functions over bytes
// and numbers: the type is always recognised from the bytes, never from a file name, because
// screenshots and downloads are often misnamed and the API rejects a block whose bytes disagree
// with its media_type.
import type { ImageMediaType } from './model';

/** The numbers behind every image decision, in one place so the UI, the host and the docs agree. */
export const IMAGE_LIMITS = {
  /** Claude downscales anything whose long edge is above this, so sending more only costs time and bytes. */
  maxLongEdge: 1568,
  /** The API refuses images larger than this on either side. */
  maxApiDimension: 8000,
  /**
   * The API's per-image limit applies to the base64 text (5 MiB = 5,242,880). We stay under
   * 5,000,000 so the check holds whichever way "5 MB" is read.
   */
  maxBase64Bytes: 5_000_000,
  /** Raw bytes whose base64 form fits `maxBase64Bytes` (base64 is 4/3 of the raw size). */
  maxRawBytes: 3_750_000,
  /** Same number as the `send` message schema: a message carries at most 20 images. */
  maxImagesPerMessage: 20,
  /** The gateway refuses requests above 32 MB (HTTP 413). Every request also repeats the history. */
  requestBudgetBytes: 32 * 1024 * 1024,
  /** Kept free inside the request budget for the JSON, the text and the tool definitions. */
  requestReserveBytes: 1024 * 1024,
  /** Below this a PNG is small enough that trying JPEG is not worth the encode time. */
  jpegTrialMinBytes: 256 * 1024,
  /** JPEG replaces PNG only when it is smaller than this fraction of the PNG. */
  jpegMustBeBelowFractionOfPng: 0.5,
  /** Quality of the first JPEG/WebP encode: high enough that text in photos stays legible. */
  lossyQuality: 0.9,
  /**
   * Largest image decoded at all (an "image bomb" guard): a few hundred bytes of PNG can declare
   * 30000x30000 px, which is 3.6 GB of pixels once decoded. 50 megapixels is far above any screen
   * or camera image a chat needs, and 16,384 px a side is the largest canvas Chromium draws.
   */
  maxDecodePixels: 50_000_000,
  maxDecodeSide: 16_384,
} as const;

export const SUPPORTED_IMAGE_LABEL = 'PNG, JPEG, GIF and WebP';

export interface ImageSize {
  width: number;
  height: number;
}

// Past the end, bytes[i] is undefined and equals no byte, so a prefix longer than the bytes fails.
const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0): boolean => prefix.every((b, i) => bytes[at + i] === b);
const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));
const u16be = (b: Uint8Array, i: number): number => (b[i] << 8) | b[i + 1];
const u16le = (b: Uint8Array, i: number): number => b[i] | (b[i + 1] << 8);
const u24le = (b: Uint8Array, i: number): number => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);
const u32be = (b: Uint8Array, i: number): number => ((b[i] << 24) >>> 0) + ((b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]);

/** ISO base media brands of HEIC/HEIF stills and sequences (the four bytes after `ftyp`). */
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1']);
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The supported image type of `bytes`, or undefined when they are not PNG, JPEG, GIF or WebP. */
export function sniffImageType(bytes: Uint8Array): ImageMediaType | undefined {
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  return undefined;
}

/** What unsupported bytes are, phrased to finish the sentence "NAME is …". */
export function describeUnsupportedBytes(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'an empty file';
  if (startsWith(bytes, ascii('%PDF-'))) return 'a PDF document';
  if (startsWith(bytes, ascii('BM')) && bytes.length >= 14 && bytes[6] === 0 && bytes[7] === 0) return 'a BMP image';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'a TIFF image';
  if (startsWith(bytes, [0x00, 0x00, 0x01, 0x00])) return 'an ICO icon';
  if (startsWith(bytes, ascii('ftyp'), 4)) {
    const brand = String.fromCharCode(...bytes.subarray(8, 12));
    if (HEIF_BRANDS.has(brand)) return 'a HEIC image';
    if (brand === 'avif' || brand === 'avis') return 'an AVIF image';
    return 'a video file';
  }
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'a ZIP archive';
  if (startsWith(bytes, [0xff, 0x0a]) || startsWith(bytes, [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20])) return 'a JPEG XL image';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return 'a damaged PNG file';
  const sample = bytes.subarray(0, 1024);
  if (looksLikeText(sample)) {
    // Each byte becomes one character (Latin-1), so a UTF-8 byte-order mark reads as "ï»¿".
    const text = String.fromCharCode(...sample).replace(/^\u00EF\u00BB\u00BF/, '');
    return /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text)
      ? 'an SVG image (vector images are not supported; export it as PNG)'
      : 'a text file';
  }
  return 'not a recognised image format';
}

/** The sentence shown when a file cannot be attached because of its type. */
export function unsupportedImageMessage(name: string, bytes: Uint8Array): string {
  return `Only ${SUPPORTED_IMAGE_LABEL} images can be attached; ${name} is ${describeUnsupportedBytes(bytes)}.`;
}

function looksLikeText(sample: Uint8Array): boolean {
  let control = 0;
  for (const b of sample) {
    if (b === 0) return false;
    if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  return control <= sample.length * 0.02;
}

/**
 * Width and height stored in the file's header, or undefined when the header is missing or cut
 * short. For JPEG these are the stored dimensions (before any EXIF rotation).
 */
export function readImageDimensions(bytes: Uint8Array, type = sniffImageType(bytes)): ImageSize | undefined {
  const size = (() => {
    switch (type) {
      case 'image/png':
        // IHDR must be the first chunk: length(4) "IHDR"(4) width(4) height(4).
        if (bytes.length < 24 || !startsWith(bytes, ascii('IHDR'), 12)) return undefined;
        return { width: u32be(bytes, 16), height: u32be(bytes, 20) };
      case 'image/gif':
        return bytes.length < 10 ? undefined : { width: u16le(bytes, 6), height: u16le(bytes, 8) };
      case 'image/jpeg':
        return readJpegFrameSize(bytes);
      case 'image/webp':
        return readWebpSize(bytes);
      // Stryker disable next-line ConditionalExpression: without this case the switch falls through to the same undefined
      default:
        return undefined;
    }
  })();
  return size && size.width > 0 && size.height > 0 ? size : undefined;
}

function isStartOfFrame(marker: number): boolean {
  // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function readJpegFrameSize(bytes: Uint8Array): ImageSize | undefined {
  let i = 2;
  // Stryker disable next-line EqualityOperator,ArithmeticOperator: one more turn past the end reads undefined, which is not 0xff, and returns undefined all the same
  while (i + 1 < bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    i++;
    while (bytes[i] === 0xff) i++; // fill bytes (undefined past the end)
    const marker = bytes[i];
    i++;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // markers without a length
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image / scan before any frame header
    // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: a length cut short reads as 0 or a byte shifted left, and the frame-size check below or the next turn of the loop returns undefined as well
    if (i + 2 > bytes.length) return undefined;
    const length = u16be(bytes, i);
    if (isStartOfFrame(marker)) {
      return i + 7 <= bytes.length ? { height: u16be(bytes, i + 3), width: u16be(bytes, i + 5) } : undefined;
    }
    i += length;
  }
  return undefined;
}

function readWebpSize(bytes: Uint8Array): ImageSize | undefined {
  if (bytes.length < 30) return undefined;
  const chunk = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunk === 'VP8 ') {
    // Frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height (2 bits of scale).
    if (!startsWith(bytes, [0x9d, 0x01, 0x2a], 23)) return undefined;
    return { width: u16le(bytes, 26) & 0x3fff, height: u16le(bytes, 28) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    if (bytes[20] !== 0x2f) return undefined;
    const bits = (bytes[21] | (bytes[22] << 8) | (bytes[23] << 16) | (bytes[24] << 24)) >>> 0;
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') return { width: u24le(bytes, 24) + 1, height: u24le(bytes, 27) + 1 };
  return undefined;
}

/** True for animated GIF (two or more frames), animated WebP and APNG. */
export function isAnimatedImage(bytes: Uint8Array, type = sniffImageType(bytes)): boolean {
  if (type === 'image/gif') return countGifFrames(bytes, 2) >= 2;
  // bytes[20] past the end is undefined, and undefined & 0x02 is 0.
  if (type === 'image/webp') return startsWith(bytes, ascii('VP8X'), 12) && (bytes[20] & 0x02) !== 0;
  if (type === 'image/png') return hasPngChunkBeforeData(bytes, 'acTL');
  return false;
}

/** Counts GIF image descriptors, stopping at `stopAt` (a whole animation need not be walked). */
export function countGifFrames(bytes: Uint8Array, stopAt = Number.POSITIVE_INFINITY): number {
  // A header cut short reads as no frames: every byte past the end is undefined, which the walk
  // below treats as the end.
  let i = 13;
  if (bytes[10] & 0x80) i += 3 * 2 ** ((bytes[10] & 0x07) + 1); // global colour table
  let frames = 0;
  const skipSubBlocks = (): void => {
    while (bytes[i] > 0) i += bytes[i] + 1; // undefined past the end
    i++; // block terminator
  };
  while (frames < stopAt) {
    const introducer = bytes[i];
    if (introducer === 0x21) {
      i += 2; // introducer + label
      skipSubBlocks();
    } else if (introducer === 0x2c) {
      if (i + 10 > bytes.length) break;
      const packed = bytes[i + 9];
      i += 10;
      if (packed & 0x80) i += 3 * 2 ** ((packed & 0x07) + 1); // local colour table
      i++; // LZW minimum code size
      frames++;
      skipSubBlocks();
    } else {
      break; // trailer (0x3b), damage, or the end of the bytes
    }
  }
  return frames;
}

function hasPngChunkBeforeData(bytes: Uint8Array, wanted: string): boolean {
  let i = 8;
  // Stryker disable next-line ArithmeticOperator: reading on past the end finds only short types (never the wanted one) and chunk lengths of 0, so the answer is false either way
  while (i + 8 <= bytes.length) {
    const type = String.fromCharCode(...bytes.subarray(i + 4, i + 8));
    if (type === wanted) return true;
    if (type === 'IDAT') return false;
    i += 12 + u32be(bytes, i);
  }
  return false;
}

/** Size after scaling so the long edge is at most `maxLongEdge`, keeping the aspect ratio; never upscales. */
export function planScaledSize(size: ImageSize, maxLongEdge: number = IMAGE_LIMITS.maxLongEdge): ImageSize & { scaled: boolean } {
  const longEdge = Math.max(size.width, size.height);
  if (longEdge <= maxLongEdge) return { width: size.width, height: size.height, scaled: false };
  const factor = maxLongEdge / longEdge;
  // The long edge comes out at exactly maxLongEdge (long × (max / long) rounds to max); the short
  // edge is rounded and kept at least one pixel.
  return { width: Math.max(1, Math.round(size.width * factor)), height: Math.max(1, Math.round(size.height * factor)), scaled: true };
}

/**
 * Intermediate sizes for a high-quality downscale: each step shrinks by at most 2x, because one
 * large jump with bilinear-style filtering drops whole rows of pixels and makes text unreadable.
 */
export function downscaleSteps(from: ImageSize, to: ImageSize): ImageSize[] {
  const steps: ImageSize[] = [];
  let current = { ...from };
  while (current.width > to.width * 2 || current.height > to.height * 2) {
    current = { width: Math.max(to.width, Math.ceil(current.width / 2)), height: Math.max(to.height, Math.ceil(current.height / 2)) };
    steps.push(current);
  }
  steps.push({ width: to.width, height: to.height });
  return steps;
}

/** Claude's documented estimate of the input tokens an image costs: width × height / 750. */
export function estimateImageTokens(size: ImageSize): number {
  return Math.ceil((size.width * size.height) / 750);
}

/** Length of the base64 text for `rawBytes` bytes (with padding, as the API receives it). */
export function base64Length(rawBytes: number): number {
  return 4 * Math.ceil(rawBytes / 3);
}

/** Bytes of data that base64 text of this length decodes to (padding accounted for). */
export function rawLengthOfBase64(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
