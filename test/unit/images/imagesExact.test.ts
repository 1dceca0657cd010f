// Exact outputs of the byte sniffers and header readers at their edges, fed hostile bytes: one
// byte off a magic number, headers one byte short, a declared size at 32 bits, JPEG marker walks
// with fill bytes and stray markers, GIFs whose colour tables and extension blocks must be
// skipped exactly. Each case pins the one value a small slip in the reader would change.
import assert from 'node:assert/strict';
import {
  IMAGE_LIMITS,
  SUPPORTED_IMAGE_LABEL,
  base64Length,
  countGifFrames,
  describeUnsupportedBytes,
  downscaleSteps,
  estimateImageTokens,
  formatBytes,
  isAnimatedImage,
  planScaledSize,
  rawLengthOfBase64,
  readImageDimensions,
  sniffImageType,
  unsupportedImageMessage,
} from '../../../src/shared/images';

const bytes = (...parts: (number[] | string)[]): Uint8Array =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
const zeros = (n: number): number[] => new Array<number>(n).fill(0);

const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const be32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const le16 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff];
const le24 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff];
/** PNG signature and an IHDR chunk header with the given size (24 bytes, the least the reader needs). */
const pngHeader = (width: number, height: number): number[] => [...PNG_SIG, ...be32(13), ...Buffer.from('IHDR'), ...be32(width), ...be32(height)];
const pngChunk = (type: string, body: number[] = []): number[] => [...be32(body.length), ...Buffer.from(type, 'latin1'), ...body, 0, 0, 0, 0];

describe('image bytes, exactly', () => {
  describe('sniffImageType', () => {
    it('needs every byte of each magic number', () => {
      const magics: [number[], string][] = [
        [PNG_SIG, 'image/png'],
        [[0xff, 0xd8, 0xff], 'image/jpeg'],
        [[...Buffer.from('GIF87a')], 'image/gif'],
        [[...Buffer.from('GIF89a')], 'image/gif'],
      ];
      for (const [magic, type] of magics) {
        assert.equal(sniffImageType(new Uint8Array(magic)), type, `exact ${type}`);
        for (let i = 0; i < magic.length; i++) {
          const wrong = [...magic];
          wrong[i] ^= 0x01;
          assert.equal(sniffImageType(new Uint8Array(wrong)), undefined, `${type} with byte ${i} wrong`);
        }
        assert.equal(sniffImageType(new Uint8Array(magic.slice(0, -1))), undefined, `${type} one byte short`);
      }
      assert.equal(sniffImageType(bytes('GIF88a')), undefined);
    });

    it('needs RIFF at 0 and WEBP at 8 for WebP', () => {
      assert.equal(sniffImageType(bytes('RIFF', zeros(4), 'WEBP')), 'image/webp');
      assert.equal(sniffImageType(bytes('RIFX', zeros(4), 'WEBP')), undefined);
      assert.equal(sniffImageType(bytes('RIFF', zeros(4), 'WEBQ')), undefined);
      assert.equal(sniffImageType(bytes('RIFF', zeros(3), 'WEBP')), undefined);
      assert.equal(sniffImageType(bytes('RIFF', zeros(5), 'WEBP')), undefined);
      assert.equal(sniffImageType(bytes('XIFF', zeros(4), 'WEBP')), undefined);
    });
  });

  describe('describeUnsupportedBytes', () => {
    const d = (...parts: (number[] | string)[]): string => describeUnsupportedBytes(bytes(...parts));

    it('names each known format from its magic number only', () => {
      assert.equal(d('%PDF-'), 'a PDF document');
      assert.equal(d('%PDF'), 'a text file');
      assert.equal(d([0x49, 0x49, 0x2a, 0x00]), 'a TIFF image');
      assert.equal(d([0x4d, 0x4d, 0x00, 0x2a]), 'a TIFF image');
      assert.equal(d([0x49, 0x49, 0x2a, 0x01]), 'not a recognised image format');
      assert.equal(d([0x4d, 0x4d, 0x00, 0x2b]), 'not a recognised image format');
      assert.equal(d([0x00, 0x00, 0x01, 0x00]), 'an ICO icon');
      assert.equal(d([0x00, 0x00, 0x02, 0x00]), 'not a recognised image format');
      assert.equal(d([0x50, 0x4b, 0x03, 0x04]), 'a ZIP archive');
      assert.equal(d([0x50, 0x4b, 0x03, 0x05]), 'not a recognised image format');
      assert.equal(d([0xff, 0x0a]), 'a JPEG XL image');
      assert.equal(d([0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20]), 'a JPEG XL image');
      assert.equal(d([0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x21]), 'not a recognised image format');
      assert.equal(d([0x89, 0x50, 0x4e, 0x47]), 'a damaged PNG file');
      assert.equal(d([0x89, 0x50, 0x4e, 0x46, 0x00]), 'not a recognised image format');
      assert.equal(d([0x88, 0x50, 0x4e, 0x47, 0x00]), 'not a recognised image format');
    });

    it('calls BM a bitmap only with 14 bytes and zero reserved bytes 6 and 7', () => {
      const bmp = [0x42, 0x4d, 0x46, 1, 1, 1, 0, 0, 1, 1, 0x36, 1, 1, 1];
      assert.equal(d(bmp), 'a BMP image');
      assert.equal(d(bmp.slice(0, 13)), 'not a recognised image format');
      assert.equal(d([...bmp.slice(0, 6), 1, 0, ...bmp.slice(8)]), 'not a recognised image format');
      assert.equal(d([...bmp.slice(0, 7), 1, ...bmp.slice(8)]), 'not a recognised image format');
      assert.equal(d([0x42, 0x4e, ...bmp.slice(2)]), 'not a recognised image format');
    });

    it('tells HEIC, AVIF and video apart by the ftyp brand', () => {
      const ftyp = (brand: string): string => d([0, 0, 0, 0x18], 'ftyp', brand, zeros(4));
      for (const brand of ['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1']) assert.equal(ftyp(brand), 'a HEIC image', brand);
      assert.equal(ftyp('avif'), 'an AVIF image');
      assert.equal(ftyp('avis'), 'an AVIF image');
      for (const brand of ['avix', 'isom', 'mp42', 'qt  ']) assert.equal(ftyp(brand), 'a video file', brand);
      assert.equal(d([0, 0, 0, 0x18], 'ftyx', 'heic', zeros(4)), 'not a recognised image format');
    });

    it('guesses text from the first 1,024 bytes: no NUL, at most 2 % control bytes', () => {
      const line = 'a'.repeat(98);
      assert.equal(d(line, [0x08, 0x0e]), 'a text file'); // 2 of 100
      assert.equal(d(line.slice(1), [0x08, 0x0e, 0x1f]), 'not a recognised image format'); // 3 of 100
      assert.equal(d('a'.repeat(94), [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]), 'a text file'); // tab..CR and space are text
      assert.equal(d('a'.repeat(97), [0x1f, 0x01, 0x02]), 'not a recognised image format');
      assert.equal(d('a'.repeat(500), [0x00], 'a'.repeat(499)), 'not a recognised image format'); // one NUL
      assert.equal(d('a'.repeat(1024), [0x00]), 'a text file'); // the NUL is past the sample
      assert.equal(d('a'.repeat(1023), [0x00]), 'not a recognised image format');
      assert.equal(d('a'.repeat(1024), zeros(200)), 'a text file');
    });

    it('recognises SVG markup behind a declaration, comments, a doctype and a BOM', () => {
      const svg = 'an SVG image (vector images are not supported; export it as PNG)';
      assert.equal(d('<svg>'), svg);
      assert.equal(d('<SVG width="1">'), svg);
      assert.equal(d('<svg\nviewBox="0 0 1 1"/>'), svg);
      assert.equal(d('  \n\t<svg>'), svg);
      assert.equal(d([0xef, 0xbb, 0xbf], '<svg>'), svg);
      assert.equal(d('<?xml version="1.0"?>\n<svg>'), svg);
      assert.equal(d('<?xml version="1.0"?><!-- a --><!-- b > c --> <svg>'), svg);
      assert.equal(d('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN">\n<svg>'), svg);
      assert.equal(d('<?xml version="1.0"?>\n<!-- icon -->\n<!DOCTYPE svg>\n<svg>'), svg);
      assert.equal(d('<svgx>'), 'a text file');
      assert.equal(d('<svg'), 'a text file');
      assert.equal(d('x<svg>'), 'a text file');
      assert.equal(d('<html><svg>'), 'a text file');
      assert.equal(d('<!DOCTYPE html><svg>'), 'a text file');
      assert.equal(d('<!-- a -- x<svg>'), 'a text file');
      assert.equal(d('<?xml?>x<svg>'), 'a text file');
      assert.equal(d([0xef, 0xbb], '<svg>'), 'a text file');
      assert.equal(d(' '.repeat(1020), '<svg>'), 'a text file'); // the tag is past the sample
    });

    it('finishes the sentence of the refusal', () => {
      assert.equal(SUPPORTED_IMAGE_LABEL, 'PNG, JPEG, GIF and WebP');
      assert.equal(unsupportedImageMessage('x.bmp', new Uint8Array()), 'Only PNG, JPEG, GIF and WebP images can be attached; x.bmp is an empty file.');
    });
  });

  describe('readImageDimensions', () => {
    it('PNG: needs 24 bytes and IHDR first, reads 32-bit big-endian sizes', () => {
      assert.deepEqual(readImageDimensions(new Uint8Array(pngHeader(0x01020304, 0x05060708))), { width: 0x01020304, height: 0x05060708 });
      assert.deepEqual(readImageDimensions(new Uint8Array(pngHeader(0x80000001, 1))), { width: 2_147_483_649, height: 1 });
      assert.deepEqual(readImageDimensions(new Uint8Array(pngHeader(1, 0xffffffff))), { width: 1, height: 4_294_967_295 });
      assert.equal(readImageDimensions(new Uint8Array(pngHeader(7, 9).slice(0, 23))), undefined);
      const notIhdr = pngHeader(7, 9);
      notIhdr[15] = 0x53; // IHDS
      assert.equal(readImageDimensions(new Uint8Array(notIhdr)), undefined);
      assert.equal(readImageDimensions(new Uint8Array(pngHeader(0, 9))), undefined);
      assert.equal(readImageDimensions(new Uint8Array(pngHeader(9, 0))), undefined);
      assert.deepEqual(readImageDimensions(new Uint8Array(pngHeader(1, 1))), { width: 1, height: 1 });
    });

    it('GIF: needs 10 bytes, reads 16-bit little-endian sizes', () => {
      assert.deepEqual(readImageDimensions(bytes('GIF89a', [0x02, 0x01, 0x04, 0x03])), { width: 0x0102, height: 0x0304 });
      assert.equal(readImageDimensions(bytes('GIF89a', [0x02, 0x01, 0x04])), undefined);
      assert.equal(readImageDimensions(bytes('GIF89a', [0, 0, 4, 0])), undefined);
      assert.equal(readImageDimensions(bytes('GIF89a', [4, 0, 0, 0])), undefined);
    });

    it('takes the type it is given instead of sniffing', () => {
      const gifBytes = bytes('GIF89a', [5, 0, 6, 0]);
      assert.equal(readImageDimensions(gifBytes, 'image/png'), undefined);
      assert.deepEqual(readImageDimensions(gifBytes, undefined), { width: 5, height: 6 }); // undefined means: sniff
      assert.deepEqual(readImageDimensions(bytes('XXXXXX', [5, 0, 6, 0]), 'image/gif'), { width: 5, height: 6 });
    });

    describe('JPEG marker walk', () => {
      const sof = (marker: number, height: number, width: number): number[] => [0xff, marker, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 3];
      const app0 = [0xff, 0xe0, 0x00, 0x06, 1, 2, 3, 4];
      const jpeg = (...segments: number[][]): Uint8Array => new Uint8Array([0xff, 0xd8, ...segments.flat()]);

      it('skips segments by their length and reads height then width from the frame header', () => {
        assert.deepEqual(readImageDimensions(jpeg(app0, sof(0xc0, 0x0102, 0x0304))), { width: 0x0304, height: 0x0102 });
        assert.deepEqual(readImageDimensions(jpeg(sof(0xc2, 200, 300))), { width: 300, height: 200 });
      });

      it('accepts every start-of-frame marker and skips DHT, JPG and DAC', () => {
        for (const m of [0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]) {
          assert.deepEqual(readImageDimensions(jpeg(sof(m, 5, 6))), { width: 6, height: 5 }, m.toString(16));
        }
        for (const m of [0xc4, 0xc8, 0xcc, 0xbf, 0xe1, 0xfe]) {
          // Skipped as an ordinary segment: the frame header after it is the one read.
          assert.deepEqual(readImageDimensions(jpeg([0xff, m, 0x00, 0x04, 9, 9], sof(0xc0, 7, 8))), { width: 8, height: 7 }, m.toString(16));
        }
      });

      it('steps over fill bytes and the markers without a length', () => {
        assert.deepEqual(readImageDimensions(jpeg([0xff, 0xff, 0xff], sof(0xc0, 7, 8))), { width: 8, height: 7 });
        for (const m of [0x01, 0xd0, 0xd3, 0xd7]) {
          assert.deepEqual(readImageDimensions(jpeg([0xff, m], sof(0xc0, 7, 8))), { width: 8, height: 7 }, m.toString(16));
        }
        // D8 is not one of them: it is read as a segment with a length.
        assert.deepEqual(readImageDimensions(jpeg([0xff, 0xd8, 0x00, 0x02], sof(0xc0, 7, 8))), { width: 8, height: 7 });
        assert.equal(readImageDimensions(jpeg([0xff, 0xd8], sof(0xc0, 7, 8))), undefined);
      });

      it('stops at the end of the image, the start of a scan, or a byte that is not a marker', () => {
        assert.equal(readImageDimensions(jpeg([0xff, 0xd9], sof(0xc0, 7, 8))), undefined);
        assert.equal(readImageDimensions(jpeg([0xff, 0xda], sof(0xc0, 7, 8))), undefined);
        assert.equal(readImageDimensions(jpeg([0xfe, 0xc0, 0x00, 0x11, 0x08, 0, 7, 0, 8])), undefined);
        assert.equal(readImageDimensions(jpeg([0xff, 0xe0, 0x00, 0x04, 9, 9, 0x00], sof(0xc0, 7, 8))), undefined);
      });

      it('needs the frame header up to the width, and a length after each marker', () => {
        const full = sof(0xc0, 7, 8);
        assert.deepEqual(readImageDimensions(jpeg(full.slice(0, 9))), { width: 8, height: 7 });
        assert.equal(readImageDimensions(jpeg(full.slice(0, 8))), undefined);
        assert.equal(readImageDimensions(jpeg([0xff, 0xe0, 0x00])), undefined);
        assert.equal(readImageDimensions(jpeg([0xff, 0xc0, 0x00])), undefined);
        assert.equal(readImageDimensions(jpeg([0xff, 0xe0, 0x00, 0x04, 9, 9])), undefined);
        assert.equal(readImageDimensions(jpeg([0xff])), undefined);
        assert.equal(readImageDimensions(jpeg([0xff, 0xff])), undefined);
        assert.equal(readImageDimensions(new Uint8Array([0xff, 0xd8, 0xff])), undefined);
        assert.equal(readImageDimensions(jpeg()), undefined);
      });
    });

    describe('WebP', () => {
      const riff = (chunk: string, body: number[]): Uint8Array => bytes('RIFF', zeros(4), 'WEBP', chunk, zeros(4), body);

      it('VP8: needs the start code at 23 and 30 bytes, masks the scale bits', () => {
        const vp8 = (w: number, h: number): number[] => [0, 0, 0, 0x9d, 0x01, 0x2a, ...le16(w), ...le16(h)];
        assert.deepEqual(readImageDimensions(riff('VP8 ', vp8(0xc000 | 0x1234, 0x4000 | 0x0321))), { width: 0x1234, height: 0x0321 });
        assert.deepEqual(readImageDimensions(riff('VP8 ', vp8(0x3fff, 0x3fff))), { width: 16_383, height: 16_383 });
        assert.equal(readImageDimensions(riff('VP8 ', vp8(10, 10)).subarray(0, 29)), undefined);
        for (let i = 3; i < 6; i++) {
          const body = vp8(10, 10);
          body[i] ^= 0x01;
          assert.equal(readImageDimensions(riff('VP8 ', body)), undefined, `start code byte ${i - 3}`);
        }
      });

      it('VP8L: needs the 0x2f signature, reads two 14-bit sizes minus one', () => {
        const vp8l = (bits: number): number[] => [0x2f, ...le16(bits & 0xffff), ...le16(bits >>> 16), 0, 0, 0, 0, 0];
        const bits = (0b111 << 29) | (0x0abc << 14) | 0x1234; // version and alpha bits on top
        assert.deepEqual(readImageDimensions(riff('VP8L', vp8l(bits))), { width: 0x1235, height: 0x0abd });
        assert.deepEqual(readImageDimensions(riff('VP8L', vp8l(0xffffffff))), { width: 16_384, height: 16_384 });
        assert.deepEqual(readImageDimensions(riff('VP8L', vp8l(0))), { width: 1, height: 1 });
        const wrong = vp8l(bits);
        wrong[0] = 0x2e;
        assert.equal(readImageDimensions(riff('VP8L', wrong)), undefined);
      });

      it('VP8X: reads two 24-bit sizes minus one', () => {
        assert.deepEqual(readImageDimensions(riff('VP8X', [0, 0, 0, 0, ...le24(0x030201), ...le24(0x060504)])), { width: 0x030202, height: 0x060505 });
        assert.equal(readImageDimensions(riff('VP8Y', [0, 0, 0, 0, ...le24(10), ...le24(10)])), undefined);
        assert.equal(readImageDimensions(riff('VP8X', [0, 0, 0, 0, ...le24(10), 1, 0])), undefined); // 29 bytes
      });
    });
  });

  describe('isAnimatedImage', () => {
    it('WebP: the animation flag of a VP8X header, and 21 bytes at least', () => {
      const webp = (chunk: string, flags: number): Uint8Array => bytes('RIFF', zeros(4), 'WEBP', chunk, zeros(4), [flags]);
      assert.equal(isAnimatedImage(webp('VP8X', 0x02)), true);
      assert.equal(isAnimatedImage(webp('VP8X', 0xfd)), false);
      assert.equal(isAnimatedImage(webp('VP8X', 0x10)), false);
      assert.equal(isAnimatedImage(webp('VP8 ', 0x02)), false);
      assert.equal(isAnimatedImage(webp('VP8X', 0x02).subarray(0, 20)), false);
      assert.equal(isAnimatedImage(webp('VP8X', 0x02), 'image/webp'), true);
      assert.equal(isAnimatedImage(webp('VP8X', 0x02), 'image/jpeg'), false);
    });

    it('PNG: an acTL chunk before the first IDAT, found by walking chunk lengths', () => {
      const ihdr = pngChunk('IHDR', zeros(13));
      assert.equal(isAnimatedImage(new Uint8Array([...PNG_SIG, ...ihdr, ...pngChunk('tEXt', zeros(5)), ...pngChunk('acTL', zeros(8))])), true);
      assert.equal(isAnimatedImage(new Uint8Array([...PNG_SIG, ...ihdr, ...pngChunk('IDAT', zeros(3)), ...pngChunk('acTL', zeros(8))])), false);
      // A chunk type inside another chunk's body is not a chunk.
      assert.equal(isAnimatedImage(new Uint8Array([...PNG_SIG, ...pngChunk('tEXt', [...be32(8), ...Buffer.from('acTL')]), ...pngChunk('IEND')])), false);
      const cut = [...PNG_SIG, ...ihdr, ...be32(8), ...Buffer.from('acTL')];
      assert.equal(isAnimatedImage(new Uint8Array(cut)), true); // the chunk's type is all it needs
      assert.equal(isAnimatedImage(new Uint8Array(cut.slice(0, -1))), false);
      assert.equal(isAnimatedImage(new Uint8Array([...PNG_SIG, ...pngChunk('IHDR', zeros(13))])), false);
    });

    it('GIF: two frames or more; other types are never animated', () => {
      assert.equal(isAnimatedImage(new Uint8Array(gifFile([frame(), frame()]))), true);
      assert.equal(isAnimatedImage(new Uint8Array(gifFile([frame()]))), false);
      assert.equal(isAnimatedImage(new Uint8Array(gifFile([frame(), frame()])), 'image/png'), false);
      assert.equal(isAnimatedImage(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])), false);
      assert.equal(isAnimatedImage(bytes('%PDF-')), false);
    });
  });

  describe('countGifFrames', () => {
    it('counts image descriptors, skipping the global and local colour tables exactly', () => {
      // Zero-filled tables: read by mistake as blocks, they end the walk early.
      assert.equal(countGifFrames(new Uint8Array(gifFile([frame(), frame(), frame()], 2))), 3);
      assert.equal(countGifFrames(new Uint8Array(gifFile([frame(1), frame(7), frame()], 0))), 3);
      assert.equal(countGifFrames(new Uint8Array(gifFile([frame(0), frame(0)], 7))), 2);
      // The table-size bits without the table flag: no table.
      const noTable = gifFile([frame(), frame()]);
      noTable[10] = 0x07;
      assert.equal(countGifFrames(new Uint8Array(noTable)), 2);
    });

    it('skips extension blocks and their sub-blocks', () => {
      const control = [0x21, 0xf9, 0x04, 0, 0, 0, 0, 0x00];
      const comment = [0x21, 0xfe, 0x03, 0x2c, 0x2c, 0x2c, 0x02, 0x2c, 0x2c, 0x00];
      assert.equal(countGifFrames(new Uint8Array(gifFile([[...control, ...frame()], [...comment, ...frame()], comment]))), 2);
    });

    it('stops at stopAt, the trailer, damage, or a descriptor cut short', () => {
      const five = new Uint8Array(gifFile([frame(), frame(), frame(), frame(), frame()]));
      assert.equal(countGifFrames(five), 5);
      assert.equal(countGifFrames(five, 2), 2);
      assert.equal(countGifFrames(five, 1), 1);
      assert.equal(countGifFrames(new Uint8Array([...gifFile([frame()]), ...frame()])), 1); // after the trailer
      assert.equal(countGifFrames(new Uint8Array([...gifFile([]).slice(0, -1), 0x99, ...frame()])), 0);
      const header = gifFile([]).slice(0, -1);
      assert.equal(countGifFrames(new Uint8Array([...header, 0x2c, ...zeros(9)])), 1); // a descriptor of exactly 10 bytes
      assert.equal(countGifFrames(new Uint8Array([...header, 0x2c, ...zeros(8)])), 0);
      assert.equal(countGifFrames(new Uint8Array(header)), 0);
      assert.equal(countGifFrames(new Uint8Array(header.slice(0, 12))), 0);
      assert.equal(countGifFrames(new Uint8Array([...header.slice(0, 12), 0x2c])), 0);
    });
  });

  describe('sizes and numbers', () => {
    it('planScaledSize sets the long edge exactly and rounds the short one', () => {
      assert.deepEqual(planScaledSize({ width: 1568, height: 1568 }), { width: 1568, height: 1568, scaled: false });
      assert.deepEqual(planScaledSize({ width: 1569, height: 1569 }), { width: 1568, height: 1568, scaled: true });
      assert.deepEqual(planScaledSize({ width: 3000, height: 1003 }), { width: 1568, height: 524, scaled: true }); // 524.2
      assert.deepEqual(planScaledSize({ width: 3000, height: 1001 }), { width: 1568, height: 523, scaled: true }); // 523.2
      assert.deepEqual(planScaledSize({ width: 3000, height: 1010 }), { width: 1568, height: 528, scaled: true }); // 527.9
      assert.deepEqual(planScaledSize({ width: 1003, height: 3000 }), { width: 524, height: 1568, scaled: true });
      assert.deepEqual(planScaledSize({ width: 100_000, height: 1 }), { width: 1568, height: 1, scaled: true });
      assert.deepEqual(planScaledSize({ width: 1, height: 100_000 }), { width: 1, height: 1568, scaled: true });
      assert.deepEqual(planScaledSize({ width: 20, height: 10 }, 10), { width: 10, height: 5, scaled: true });
    });

    it('downscaleSteps halves with rounding up and never goes below the target', () => {
      assert.deepEqual(downscaleSteps({ width: 6273, height: 4001 }, { width: 1568, height: 1000 }), [
        { width: 3137, height: 2001 },
        { width: 1569, height: 1001 },
        { width: 1568, height: 1000 },
      ]);
      assert.deepEqual(downscaleSteps({ width: 5000, height: 100 }, { width: 1000, height: 90 }), [
        { width: 2500, height: 90 },
        { width: 1250, height: 90 },
        { width: 1000, height: 90 },
      ]);
      assert.deepEqual(downscaleSteps({ width: 100, height: 5000 }, { width: 90, height: 1000 }), [
        { width: 90, height: 2500 },
        { width: 90, height: 1250 },
        { width: 90, height: 1000 },
      ]);
      assert.deepEqual(downscaleSteps({ width: 2000, height: 2000 }, { width: 1000, height: 1000 }), [{ width: 1000, height: 1000 }]);
    });

    it('estimateImageTokens, base64Length and rawLengthOfBase64 at their rounding edges', () => {
      assert.equal(estimateImageTokens({ width: 750, height: 1 }), 1);
      assert.equal(estimateImageTokens({ width: 751, height: 1 }), 2);
      assert.equal(estimateImageTokens({ width: 1568, height: 1568 }), 3279);
      assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map(base64Length), [0, 4, 4, 4, 8, 8, 8]);
      assert.equal(rawLengthOfBase64(''), 0);
      assert.equal(rawLengthOfBase64('QQ=='), 1);
      assert.equal(rawLengthOfBase64('QUI='), 2);
      assert.equal(rawLengthOfBase64('QUJD'), 3);
      assert.equal(rawLengthOfBase64('QUJDRA=='), 4);
      assert.equal(rawLengthOfBase64('Q=QQ'), 3);
    });

    it('formatBytes switches unit and precision at exact byte counts', () => {
      const cases: [number, string][] = [
        [0, '0 B'],
        [1023, '1023 B'],
        [1024, '1.0 KB'],
        [1536, '1.5 KB'],
        [10 * 1024 - 1, '10.0 KB'],
        [10 * 1024, '10 KB'],
        [10 * 1024 + 600, '11 KB'],
        [1024 * 1024 - 1, '1024 KB'],
        [1024 * 1024, '1.0 MB'],
        [5_000_001, '4.8 MB'],
        [32 * 1024 * 1024, '32.0 MB'],
      ];
      for (const [n, text] of cases) assert.equal(formatBytes(n), text, String(n));
    });

    it('IMAGE_LIMITS holds the documented numbers', () => {
      assert.deepEqual(IMAGE_LIMITS, {
        maxLongEdge: 1568,
        maxApiDimension: 8000,
        maxBase64Bytes: 5_000_000,
        maxRawBytes: 3_750_000,
        maxImagesPerMessage: 20,
        requestBudgetBytes: 33_554_432,
        requestReserveBytes: 1_048_576,
        jpegTrialMinBytes: 262_144,
        jpegMustBeBelowFractionOfPng: 0.5,
        lossyQuality: 0.9,
        maxDecodePixels: 50_000_000,
        maxDecodeSide: 16_384,
      });
    });
  });
});

/** One image descriptor (1x1, at 0,0) with a local colour table of 2^(n+1) zero entries when `localTableBits` is given. */
function frame(localTableBits?: number): number[] {
  const packed = localTableBits === undefined ? 0 : 0x80 | localTableBits;
  const table = localTableBits === undefined ? [] : zeros(3 * 2 ** (localTableBits + 1));
  return [0x2c, 0, 0, 0, 0, 1, 0, 1, 0, packed, ...table, 0x02, 0x02, 0x4c, 0x01, 0x00];
}

/** A GIF89a with a zero-filled global colour table of 2^(n+1) entries when `globalTableBits` is given. */
function gifFile(blocks: number[][], globalTableBits?: number): number[] {
  const packed = globalTableBits === undefined ? 0 : 0x80 | globalTableBits;
  const table = globalTableBits === undefined ? [] : zeros(3 * 2 ** (globalTableBits + 1));
  return [...Buffer.from('GIF89a'), 1, 0, 1, 0, packed, 0, 0, ...table, ...blocks.flat(), 0x3b];
}

describe('image sizes, exactly', () => {
  it('planScaledSize sets the long edge to the limit for every long edge up to 100,000 px', () => {
    for (let long = 1569; long <= 100_000; long += 7) {
      assert.equal(planScaledSize({ width: long, height: 1000 }).width, 1568, String(long));
      assert.equal(planScaledSize({ width: 1000, height: long }).height, 1568, String(long));
    }
  });

  it('downscaleSteps adds no step when a side is exactly twice the target', () => {
    assert.deepEqual(downscaleSteps({ width: 2000, height: 100 }, { width: 1000, height: 90 }), [{ width: 1000, height: 90 }]);
    assert.deepEqual(downscaleSteps({ width: 100, height: 2000 }, { width: 90, height: 1000 }), [{ width: 90, height: 1000 }]);
    assert.deepEqual(downscaleSteps({ width: 100, height: 2001 }, { width: 90, height: 1000 }), [{ width: 90, height: 1001 }, { width: 90, height: 1000 }]);
  });

  it('text guess: tab to carriage return and space are not control bytes, 0x08, 0x0e and 0x1f are', () => {
    for (const ok of [0x09, 0x0d, 0x20]) assert.equal(describeUnsupportedBytes(bytes('a'.repeat(97), [0x08, 0x0e, ok])), 'a text file', ok.toString(16));
    assert.equal(describeUnsupportedBytes(bytes('a'.repeat(97), [0x08, 0x0e, 0x1f])), 'not a recognised image format');
  });

  it('SVG: only a leading byte-order mark is dropped', () => {
    assert.equal(describeUnsupportedBytes(bytes('<svg', [0xef, 0xbb, 0xbf], '>')), 'a text file');
  });

  it('APNG chunks count only when the type is PNG', () => {
    const apng = new Uint8Array([...PNG_SIG, ...pngChunk('IHDR', zeros(13)), ...pngChunk('acTL', zeros(8))]);
    assert.equal(isAnimatedImage(apng), true);
    assert.equal(isAnimatedImage(apng, 'image/jpeg'), false);
    assert.equal(isAnimatedImage(apng, 'image/gif'), false);
  });

  it('SVG: a comment or doctype right before the tag needs no white space', () => {
    const svg = 'an SVG image (vector images are not supported; export it as PNG)';
    assert.equal(describeUnsupportedBytes(bytes('<!-- a --><svg>')), svg);
    assert.equal(describeUnsupportedBytes(bytes('<!DOCTYPE svg><svg>')), svg);
  });

  it('header readers do not read past the end: a cut PNG height or JPEG width is not a size', () => {
    assert.equal(readImageDimensions(new Uint8Array(pngHeader(7, 0x01010101).slice(0, 23))), undefined);
    const sofWide = [0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x07, 0x01, 0x08, 3];
    assert.deepEqual(readImageDimensions(new Uint8Array([0xff, 0xd8, ...sofWide])), { width: 0x0108, height: 7 });
    assert.equal(readImageDimensions(new Uint8Array([0xff, 0xd8, ...sofWide.slice(0, 8)])), undefined);
  });

  it('JPEG: end of image and start of scan end the walk even when a length-like pair follows', () => {
    const sof = [0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x07, 0x00, 0x08, 3];
    assert.deepEqual(readImageDimensions(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x02, ...sof])), { width: 8, height: 7 });
    for (const marker of [0xd9, 0xda]) {
      assert.equal(readImageDimensions(new Uint8Array([0xff, 0xd8, 0xff, marker, 0x00, 0x02, ...sof])), undefined, marker.toString(16));
    }
  });

  it('ftyp brands: only the exact four letters', () => {
    const ftyp = (brand: number[]): string => describeUnsupportedBytes(bytes([0, 0, 0, 0x18], 'ftyp', brand, zeros(4)));
    assert.equal(ftyp([...Buffer.from('hei')]), 'a video file');
    assert.equal(ftyp([...Buffer.from('avi'), 0x20]), 'a video file');
  });
});
