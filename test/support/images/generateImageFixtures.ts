// Writes the JPEG and WebP fixtures of the image unit tests (test/fixtures/images/), encoded by
// Chromium's own canvas encoders, the same ones the webview uses. Node has no JPEG/WebP encoder,
// so these few small files are kept in the repository; PNG and GIF are generated in the tests.
// Run: npx tsx test/support/images/generateImageFixtures.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchChromium } from '../../browser/support/browser';
import { ImagesPage, type GeneratedKind } from '../../browser/support/imagesPage';

const outDir = resolve(__dirname, '../../fixtures/images');

interface FixtureSpec { file: string; width: number; height: number; type: string; quality?: number; kind: GeneratedKind }

const specs: FixtureSpec[] = [
  { file: 'photo-320x200.jpg', width: 320, height: 200, type: 'image/jpeg', quality: 0.9, kind: 'photo' },
  { file: 'portrait-120x250.jpg', width: 120, height: 250, type: 'image/jpeg', quality: 0.8, kind: 'screenshot' },
  { file: 'lossy-300x150.webp', width: 300, height: 150, type: 'image/webp', quality: 0.8, kind: 'photo' },
  { file: 'alpha-64x48.webp', width: 64, height: 48, type: 'image/webp', quality: 0.8, kind: 'transparent' },
  { file: 'lossless-40x30.webp', width: 40, height: 30, type: 'image/webp', quality: 1, kind: 'screenshot' },
];

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const browser = await launchChromium();
  try {
    const images = await ImagesPage.open(browser);
    for (const spec of specs) {
      const bytes = Buffer.from(await images.generate(spec.kind, spec.width, spec.height, spec.type, spec.quality), 'base64');
      writeFileSync(join(outDir, spec.file), bytes);
      console.log(`${spec.file}: ${bytes.length} bytes`);
      if (spec.type === 'image/webp' && spec.kind !== 'transparent') {
        // Chromium always writes the extended format (VP8X, with a colour profile). The simple
        // format is the same image chunk alone in the RIFF container: both header kinds get tested.
        const simple = simpleWebp(bytes);
        const file = spec.file.replace('.webp', '-simple.webp');
        writeFileSync(join(outDir, file), simple);
        console.log(`${file}: ${simple.length} bytes, ${simple.subarray(12, 16).toString('latin1')}`);
      }
    }
  } finally {
    await browser.close();
  }
}

function simpleWebp(extended: Buffer): Buffer {
  for (let i = 12; i + 8 <= extended.length;) {
    const type = extended.subarray(i, i + 4).toString('latin1');
    const size = extended.readUInt32LE(i + 4);
    if (type === 'VP8 ' || type === 'VP8L') {
      const body = extended.subarray(i, i + 8 + size + (size & 1));
      const header = Buffer.alloc(12);
      header.write('RIFF', 0, 'latin1');
      header.writeUInt32LE(4 + body.length, 4);
      header.write('WEBP', 8, 'latin1');
      return Buffer.concat([header, body]);
    }
    i += 8 + size + (size & 1);
  }
  throw new Error('no VP8/VP8L chunk');
}

void main();
