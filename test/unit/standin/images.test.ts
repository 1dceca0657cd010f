import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isStrictBase64, readImageSize, sniffImageFormat } from '../../support/standin/images';
import { makeGif, makeJpeg, makePng, makeWebp } from './helpers';

const fixtureDir = path.resolve(__dirname, '..', '..', 'fixtures', 'images');
const mediaTypeOf: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };

describe('stand-in: image headers', () => {
  it('recognises each format by its magic bytes and reads its size', () => {
    const cases: [Buffer, string, number, number][] = [
      [makePng(64, 32), 'image/png', 64, 32],
      [makeJpeg(640, 480), 'image/jpeg', 640, 480],
      [makeGif(3, 7), 'image/gif', 3, 7],
      [makeWebp(1000, 2), 'image/webp', 1000, 2],
    ];
    for (const [bytes, type, width, height] of cases) {
      assert.equal(sniffImageFormat(bytes), type);
      assert.deepEqual(readImageSize(bytes, type as 'image/png'), { width, height });
    }
    assert.equal(sniffImageFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), undefined);
  });

  it('reads the size of every real fixture image (lossy, lossless and extended WebP, JPEG)', () => {
    assert.ok(existsSync(fixtureDir), fixtureDir);
    const files = readdirSync(fixtureDir).filter((name) => /(\d+)x(\d+)/.test(name) && mediaTypeOf[path.extname(name)]);
    assert.ok(files.length > 0);
    for (const name of files) {
      const [, width, height] = /(\d+)x(\d+)/.exec(name)!;
      const bytes = readFileSync(path.join(fixtureDir, name));
      assert.equal(sniffImageFormat(bytes), mediaTypeOf[path.extname(name)], name);
      assert.deepEqual(readImageSize(bytes, mediaTypeOf[path.extname(name)] as 'image/png'), { width: Number(width), height: Number(height) }, name);
    }
  });

  it('accepts only strict base64', () => {
    assert.equal(isStrictBase64('aGVsbG8='), true);
    assert.equal(isStrictBase64('aGVsbG8'), false, 'missing padding');
    assert.equal(isStrictBase64('aGVs bG8='), false, 'whitespace');
    assert.equal(isStrictBase64('aGVsbG8-'), false, 'url-safe alphabet');
    assert.equal(isStrictBase64(''), false);
  });
});
