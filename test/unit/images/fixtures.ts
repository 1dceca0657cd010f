// Real image bytes for the image unit tests: PNG and GIF generated here, JPEG and WebP encoded by
// Chromium (test/support/images/generateImageFixtures.ts), plus an animated WebP assembled from
// a real VP8 frame.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodeGif, encodePng, screenshotPixel } from '../../support/images/encoders';

const dir = resolve(__dirname, '../../fixtures/images');
export const fixture = (file: string): Uint8Array => new Uint8Array(readFileSync(join(dir, file)));

export const png = (width: number, height: number): Uint8Array => new Uint8Array(encodePng(width, height, screenshotPixel(width, height)));
export const gif = (width: number, height: number, frames = 1): Uint8Array =>
  new Uint8Array(encodeGif(width, height, [[0, 0, 0], [255, 255, 255], [255, 0, 0], [0, 0, 255]], Array.from({ length: frames }, (_, f) => (x, y) => (x + y + f) % 4)));

/** An animated WebP (VP8X with the animation flag, ANIM, two ANMF frames) around a real VP8 frame. */
export function animatedWebp(): Uint8Array {
  const simple = Buffer.from(fixture('lossy-300x150-simple.webp'));
  const vp8 = simple.subarray(12); // the 'VP8 ' chunk
  const chunk = (type: string, body: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32LE(body.length, 4);
    return Buffer.concat([head, body, body.length & 1 ? Buffer.alloc(1) : Buffer.alloc(0)]);
  };
  const u24 = (n: number): Buffer => Buffer.from([n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff]);
  const vp8x = Buffer.concat([Buffer.from([0x02, 0, 0, 0]), u24(299), u24(149)]);
  const anim = Buffer.from([0, 0, 0, 0, 0, 0]); // background colour, loop forever
  const frame = Buffer.concat([u24(0), u24(0), u24(299), u24(149), u24(100), Buffer.from([0]), vp8]);
  const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), chunk('VP8X', vp8x), chunk('ANIM', anim), chunk('ANMF', frame), chunk('ANMF', frame)]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(body.length, 4);
  return new Uint8Array(Buffer.concat([riff, body]));
}

export const text = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
