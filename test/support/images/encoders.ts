// Small, real image encoders for tests that run in Node (no image library): PNG through zlib, GIF
// with a minimal LZW stream. Their output is decoded by Chromium in the browser tests, which is
// what proves the bytes are valid.
import { crc32, deflateSync } from 'node:zlib';

export type Rgba = [number, number, number, number];
export type PixelFn = (x: number, y: number) => Rgba;

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** An RGBA (colour type 6) or RGB (colour type 2) PNG, 8 bits per channel. */
export function encodePng(width: number, height: number, pixel: PixelFn, options: { alpha?: boolean; extraChunks?: [string, Buffer][] } = {}): Buffer {
  const channels = options.alpha === false ? 3 : 4;
  const raw = Buffer.alloc((width * channels + 1) * height);
  let o = 0;
  for (let y = 0; y < height; y++) {
    raw[o++] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const p = pixel(x, y);
      for (let c = 0; c < channels; c++) raw[o++] = p[c];
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = channels === 4 ? 6 : 2;
  const extra = (options.extraChunks ?? []).map(([type, data]) => chunk(type, data));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...extra,
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A GIF89a with a 4-colour palette and one or more frames (each frame a function from x, y to a
 * palette index). The LZW stream sends a clear code every two pixels so the code width stays at 3
 * bits: large, but valid and simple.
 */
export function encodeGif(width: number, height: number, palette: [number, number, number][], frames: ((x: number, y: number) => number)[]): Buffer {
  const parts: Buffer[] = [Buffer.from('GIF89a', 'latin1')];
  const screen = Buffer.alloc(7);
  screen.writeUInt16LE(width, 0);
  screen.writeUInt16LE(height, 2);
  screen[4] = 0x80 | 0x01; // global colour table of 2^(1+1) = 4 entries
  parts.push(screen);
  const table = Buffer.alloc(12);
  palette.slice(0, 4).forEach((rgb, i) => table.set(rgb, i * 3));
  parts.push(table);
  if (frames.length > 1) {
    // NETSCAPE2.0 loop extension, so viewers animate it.
    parts.push(Buffer.from([0x21, 0xff, 0x0b]), Buffer.from('NETSCAPE2.0', 'latin1'), Buffer.from([0x03, 0x01, 0x00, 0x00, 0x00]));
  }
  for (const frame of frames) {
    parts.push(Buffer.from([0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00])); // 100 ms delay
    const descriptor = Buffer.alloc(10);
    descriptor[0] = 0x2c;
    descriptor.writeUInt16LE(width, 5);
    descriptor.writeUInt16LE(height, 7);
    parts.push(descriptor, Buffer.from([0x02]), subBlocks(lzwCodes(width, height, frame)));
  }
  parts.push(Buffer.from([0x3b]));
  return Buffer.concat(parts);
}

function lzwCodes(width: number, height: number, frame: (x: number, y: number) => number): Buffer {
  const CLEAR = 4;
  const END = 5;
  const bytes: number[] = [];
  let bitBuffer = 0;
  let bitCount = 0;
  const emit = (code: number): void => {
    bitBuffer |= code << bitCount;
    bitCount += 3;
    while (bitCount >= 8) {
      bytes.push(bitBuffer & 0xff);
      bitBuffer >>= 8;
      bitCount -= 8;
    }
  };
  let index = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (index++ % 2 === 0) emit(CLEAR);
      emit(frame(x, y) & 0x03);
    }
  }
  emit(END);
  if (bitCount > 0) bytes.push(bitBuffer & 0xff);
  return Buffer.from(bytes);
}

function subBlocks(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += 255) {
    const piece = data.subarray(i, i + 255);
    parts.push(Buffer.from([piece.length]), piece);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/** A screenshot-like pixel function: light background, a title bar, "text" lines and buttons. */
export function screenshotPixel(width: number, height: number): PixelFn {
  return (x, y) => {
    if (y < Math.max(8, height / 20)) return [40, 44, 52, 255]; // title bar
    const line = Math.floor(y / 12);
    const inText = y % 12 < 7 && x > 16 && x < width * 0.8 && (x * 7 + line * 13) % 11 < 6;
    if (inText) return [30, 30, 30, 255];
    if (x > width * 0.85 && y % 60 < 24) return [0, 120, 212, 255]; // buttons
    return [250, 250, 250, 255];
  };
}

/**
 * A decompression bomb: a valid PNG signature and IHDR declaring `width`x`height` RGB, and an IDAT
 * of deflated zero rows (about `idatBytes` compressed; the rows stop early, which a decoder finds
 * only after allocating the whole image). What a hostile repository or web page can hand over.
 */
export function pngBomb(width: number, height: number, idatBytes = 100 * 1024): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  // Zeros deflate about 1000:1, so ~1000x the wanted compressed size, capped by the declared rows.
  const rows = Math.min(height, Math.ceil((idatBytes * 1030) / (width * 3 + 1)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc((width * 3 + 1) * rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Headers of the other formats declaring a huge size (enough bytes for the header readers). */
export function headerBombs(width: number, height: number): Record<'jpeg' | 'gif' | 'webp-vp8x' | 'webp-vp8l', Buffer> {
  const u16be = (n: number): number[] => [(n >> 8) & 0xff, n & 0xff];
  const u16le = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff];
  const u24le = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff];
  const jfif = [0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00];
  // SOF2 (progressive), after an APP0 segment the reader must skip.
  const sof2 = [0xff, 0xc2, 0x00, 0x11, 0x08, ...u16be(height), ...u16be(width), 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  const webp = (chunkType: string, body: number[]): Buffer => {
    const data = Buffer.concat([Buffer.from(chunkType, 'latin1'), Buffer.from(u24le(body.length)), Buffer.from([0]), Buffer.from(body), Buffer.alloc(16)]);
    const riff = Buffer.alloc(12);
    riff.write('RIFF', 0, 'latin1');
    riff.writeUInt32LE(data.length + 4, 4);
    riff.write('WEBP', 8, 'latin1');
    return Buffer.concat([riff, data]);
  };
  const vp8lBits = ((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14);
  return {
    jpeg: Buffer.from([0xff, 0xd8, ...jfif, ...sof2, 0xff, 0xd9]),
    gif: Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.from([...u16le(width), ...u16le(height), 0, 0, 0, 0x3b])]),
    'webp-vp8x': webp('VP8X', [0, 0, 0, 0, ...u24le(width - 1), ...u24le(height - 1)]),
    'webp-vp8l': webp('VP8L', [0x2f, vp8lBits & 0xff, (vp8lBits >>> 8) & 0xff, (vp8lBits >>> 16) & 0xff, (vp8lBits >>> 24) & 0xff]),
  };
}
