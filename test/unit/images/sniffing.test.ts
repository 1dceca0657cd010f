// Type recognition and header dimensions from real bytes of each format, and what is refused.
import assert from 'node:assert/strict';
import { describeUnsupportedBytes, isAnimatedImage, readImageDimensions, sniffImageType, unsupportedImageMessage } from '../../../src/shared/images';
import { encodePng } from '../../support/images/encoders';
import { animatedWebp, fixture, gif, png, text } from './fixtures';

describe('image type sniffing', () => {
  it('recognises PNG, JPEG, GIF and WebP by their bytes', () => {
    assert.equal(sniffImageType(png(10, 5)), 'image/png');
    assert.equal(sniffImageType(fixture('photo-320x200.jpg')), 'image/jpeg');
    assert.equal(sniffImageType(gif(4, 4)), 'image/gif');
    for (const f of ['lossy-300x150.webp', 'lossy-300x150-simple.webp', 'lossless-40x30-simple.webp', 'alpha-64x48.webp']) {
      assert.equal(sniffImageType(fixture(f)), 'image/webp', f);
    }
  });

  it('ignores the file name: a PNG called photo.jpg is a PNG, a PDF called image.png is refused', () => {
    // The functions take bytes only; the name only appears in the message.
    assert.equal(sniffImageType(png(3, 3)), 'image/png');
    const pdf = text('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n');
    assert.equal(sniffImageType(pdf), undefined);
    assert.equal(unsupportedImageMessage('image.png', pdf), 'Only PNG, JPEG, GIF and WebP images can be attached; image.png is a PDF document.');
  });

  it('describes common non-images so the message says what the file is', () => {
    const cases: [Uint8Array, RegExp][] = [
      [text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'), /^an SVG image/],
      [text('<?xml version="1.0" encoding="UTF-8"?>\n<!-- icon -->\n<svg viewBox="0 0 1 1"></svg>'), /^an SVG image/],
      [text('hello, this is a plain text file\nwith two lines\n'), /^a text file$/],
      [text('<html><body>not svg</body></html>'), /^a text file$/],
      [new Uint8Array([0x42, 0x4d, 0x46, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 0x28, 0]), /^a BMP image$/],
      [new Uint8Array([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]), /^a TIFF image$/],
      [new Uint8Array([0, 0, 0, 0x18, ...Buffer.from('ftypheic'), 0, 0, 0, 0]), /^a HEIC image$/],
      [new Uint8Array([0, 0, 0, 0x1c, ...Buffer.from('ftypavif'), 0, 0, 0, 0]), /^an AVIF image$/],
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0]), /^a ZIP archive$/],
      [new Uint8Array([]), /^an empty file$/],
      [new Uint8Array([0x00, 0x01, 0x02, 0xfe, 0x00, 0x13]), /^not a recognised image format$/],
    ];
    for (const [bytes, expected] of cases) {
      assert.equal(sniffImageType(bytes), undefined);
      assert.match(describeUnsupportedBytes(bytes), expected);
    }
  });

  it('needs the whole magic number: truncated signatures are not images', () => {
    assert.equal(sniffImageType(png(2, 2).subarray(0, 7)), undefined);
    assert.equal(sniffImageType(new Uint8Array([0xff, 0xd8])), undefined);
    assert.equal(sniffImageType(text('GIF89')), undefined);
    assert.equal(sniffImageType(text('RIFF\0\0\0\0WEB')), undefined);
    assert.equal(sniffImageType(text('RIFF\0\0\0\0WAVEfmt ')), undefined); // a WAV file is RIFF too
    assert.equal(describeUnsupportedBytes(png(2, 2).subarray(0, 6)), 'a damaged PNG file');
  });
});

describe('image dimensions from headers', () => {
  it('reads every format', () => {
    assert.deepEqual(readImageDimensions(png(4000, 3)), { width: 4000, height: 3 });
    assert.deepEqual(readImageDimensions(gif(17, 9)), { width: 17, height: 9 });
    assert.deepEqual(readImageDimensions(fixture('photo-320x200.jpg')), { width: 320, height: 200 });
    assert.deepEqual(readImageDimensions(fixture('portrait-120x250.jpg')), { width: 120, height: 250 });
    assert.deepEqual(readImageDimensions(fixture('lossy-300x150.webp')), { width: 300, height: 150 }); // VP8X
    assert.deepEqual(readImageDimensions(fixture('lossy-300x150-simple.webp')), { width: 300, height: 150 }); // VP8
    assert.deepEqual(readImageDimensions(fixture('lossless-40x30-simple.webp')), { width: 40, height: 30 }); // VP8L
    assert.deepEqual(readImageDimensions(fixture('alpha-64x48.webp')), { width: 64, height: 48 });
    assert.deepEqual(readImageDimensions(animatedWebp()), { width: 300, height: 150 });
  });

  it('reads large sizes correctly (no sign or byte-order mistakes)', () => {
    // Only the header matters: a PNG header claiming 70000 x 40000 px.
    const header = Buffer.from(encodePng(1, 1, () => [0, 0, 0, 255]));
    header.writeUInt32BE(70_000, 16);
    header.writeUInt32BE(40_000, 20);
    assert.deepEqual(readImageDimensions(new Uint8Array(header)), { width: 70_000, height: 40_000 });
    const g = Buffer.from(gif(1, 1));
    g.writeUInt16LE(65_535, 6);
    assert.deepEqual(readImageDimensions(new Uint8Array(g)), { width: 65_535, height: 1 });
  });

  it('returns undefined for headers cut short', () => {
    assert.equal(readImageDimensions(png(10, 10).subarray(0, 20)), undefined);
    assert.equal(readImageDimensions(gif(10, 10).subarray(0, 8)), undefined);
    const jpeg = fixture('photo-320x200.jpg');
    // Cut before the frame header (SOF comes after the JFIF and quantisation segments).
    const sof = Buffer.from(jpeg).indexOf(Buffer.from([0xff, 0xc0]));
    assert.ok(sof > 2);
    assert.equal(readImageDimensions(jpeg.subarray(0, sof + 4)), undefined);
    assert.deepEqual(readImageDimensions(jpeg.subarray(0, sof + 9)), { width: 320, height: 200 });
    assert.equal(readImageDimensions(fixture('lossy-300x150-simple.webp').subarray(0, 24)), undefined);
  });

  it('returns undefined for non-images and zero sizes', () => {
    assert.equal(readImageDimensions(text('%PDF-1.4 ...')), undefined);
    const zero = Buffer.from(png(1, 1));
    zero.writeUInt32BE(0, 16);
    assert.equal(readImageDimensions(new Uint8Array(zero)), undefined);
  });
});

describe('animation detection', () => {
  it('sees animated GIF, animated WebP and APNG, and not still images', () => {
    assert.equal(isAnimatedImage(gif(8, 8, 1)), false);
    assert.equal(isAnimatedImage(gif(8, 8, 3)), true);
    assert.equal(isAnimatedImage(animatedWebp()), true);
    assert.equal(isAnimatedImage(fixture('lossy-300x150.webp')), false);
    assert.equal(isAnimatedImage(png(4, 4)), false);
    const apng = encodePng(4, 4, () => [0, 0, 0, 255], { extraChunks: [['acTL', Buffer.from([0, 0, 0, 2, 0, 0, 0, 0])]] });
    assert.equal(isAnimatedImage(new Uint8Array(apng)), true);
    assert.equal(isAnimatedImage(fixture('photo-320x200.jpg')), false);
  });
});
