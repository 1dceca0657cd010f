// Host-side image files: picked images are recognised by bytes and passed on raw; a tool's image
// is accepted only when it already fits the API's limits (the host cannot scale).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { MAX_PICKED_IMAGE_BYTES, addAttachmentMessage, checkPickedImage, checkToolImage, imageTypeLabel, toolImageAttachment, toolImageContent } from '../../../src/core/images/imageFiles';
import { ImageBlock } from '../../../src/shared/model';
import { AttachmentPayload, HostToWebview } from '../../../src/shared/protocol';
import { encodePng } from '../../support/images/encoders';
import { fixture, png, text } from './fixtures';

describe('picked image files', () => {
  it('accepts the four formats whatever their size, and reports type and dimensions', () => {
    assert.deepEqual(checkPickedImage('huge.png', png(5000, 400)), { ok: true, mediaType: 'image/png', size: { width: 5000, height: 400 } });
    assert.deepEqual(checkPickedImage('p.jpg', fixture('photo-320x200.jpg')), { ok: true, mediaType: 'image/jpeg', size: { width: 320, height: 200 } });
  });

  it('refuses non-images by their bytes, with the sentence the user sees', () => {
    const result = checkPickedImage('diagram.png', text('<svg xmlns="http://www.w3.org/2000/svg"></svg>'));
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.message : '', /^Only PNG, JPEG, GIF and WebP images can be attached; diagram\.png is an SVG image/);
  });

  it('refuses an image whose header is cut short', () => {
    const result = checkPickedImage('cut.png', png(10, 10).subarray(0, 16));
    assert.match(!result.ok ? result.message : '', /cut\.png starts like a PNG image but its header is damaged/);
  });

  it('builds a valid addAttachment message carrying the raw bytes', () => {
    const bytes = png(3, 2);
    const message = addAttachmentMessage('shot.png', bytes, 'image/png');
    assert.ok(HostToWebview.safeParse(message).success);
    assert.deepEqual(new Uint8Array(Buffer.from(message.data, 'base64')), bytes);
  });
});

describe('tool result images', () => {
  it('turns an image within the limits into a text line and a valid image block', () => {
    const bytes = png(640, 480);
    const result = toolImageContent('screen.png', bytes);
    assert.equal(result.ok, true);
    const [line, image] = result.content;
    assert.match(line.text, /^screen\.png: PNG image, 640×480 px/);
    assert.ok(ImageBlock.safeParse(image).success);
    assert.equal((image as ImageBlock).source.media_type, 'image/png');
    assert.deepEqual(new Uint8Array(Buffer.from((image as ImageBlock).source.data, 'base64')), bytes);
  });

  it('accepts images above 1568 px (the service scales them) but not above 8000 px', () => {
    assert.equal(checkToolImage('wide.png', png(4000, 100)).ok, true);
    const header = Buffer.from(encodePng(1, 1, () => [0, 0, 0, 255]));
    header.writeUInt32BE(9000, 16);
    const tooWide = toolImageContent('wide.png', new Uint8Array(header));
    assert.equal(tooWide.ok, false);
    assert.match(tooWide.content[0].text, /9000×1 px; images sent to the model can be at most 8000 px .* cannot scale/);
  });

  it('refuses images over 5 MB of base64 and says why', () => {
    // A real PNG whose IDAT is incompressible noise: ~3.9 MB, over 5 MB once base64-encoded.
    const noise = randomBytes(1300 * 1000 * 3);
    const noisy = encodePng(1300, 1000, (x, y) => {
      const i = (y * 1300 + x) * 3;
      return [noise[i], noise[i + 1], noise[i + 2], 255];
    }, { alpha: false });
    assert.ok(noisy.length > 3_750_000, String(noisy.length));
    const result = toolImageContent('noise.png', new Uint8Array(noisy));
    assert.equal(result.ok, false);
    assert.match(result.content[0].text, /noise\.png is 3\.\d MB \(5\.\d MB as base64\); images sent to the model can be at most 5 MB/);
  });

  it('refuses non-images', () => {
    const result = toolImageAttachment('notes.txt', text('just text'));
    assert.match(!result.ok ? result.message : '', /notes\.txt is a text file/);
  });

  it('gives an attachment payload the store can keep', () => {
    const result = toolImageAttachment('g.webp', fixture('lossy-300x150.webp'));
    assert.equal(result.ok, true);
    assert.ok(result.ok && AttachmentPayload.safeParse(result.payload).success);
    assert.deepEqual(result.ok && [result.payload.width, result.payload.height, result.payload.mediaType], [300, 150, 'image/webp']);
  });
});

describe('image file limits, exactly', () => {
  const pngHeader = (width: number, height: number) => {
    const header = Buffer.from(encodePng(1, 1, () => [0, 0, 0, 255]));
    header.writeUInt32BE(width, 16);
    header.writeUInt32BE(height, 20);
    return new Uint8Array(header);
  };

  it('names each type briefly and reads at most 50 MB for the composer', () => {
    assert.deepEqual((['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const).map(imageTypeLabel), ['PNG', 'JPEG', 'GIF', 'WebP']);
    assert.equal(MAX_PICKED_IMAGE_BYTES, 50 * 1024 * 1024);
  });

  it('refuses a picked image bomb from its header, before decoding', () => {
    const bomb = checkPickedImage('bomb.png', pngHeader(30_000, 30_000));
    assert.equal(bomb.ok, false);
    assert.match(!bomb.ok ? bomb.message : '', /^bomb\.png declares 30000×30000 px/);
    assert.equal(toolImageContent('bomb.png', pngHeader(30_000, 30_000)).ok, false);
  });

  it('holds a tool image to 8000 px on each side, inclusive', () => {
    assert.equal(checkToolImage('edge.png', pngHeader(8000, 10)).ok, true);
    assert.equal(checkToolImage('edge.png', pngHeader(10, 8000)).ok, true);
    const tall = checkToolImage('tall.png', pngHeader(10, 8001));
    assert.deepEqual(tall, { ok: false, message: 'tall.png is 10×8001 px; images sent to the model can be at most 8000 px on each side, and the extension cannot scale images on this side. Use a smaller image.' });
  });

  it('describes an accepted tool image in one exact line', () => {
    const bytes = png(3, 2);
    const result = toolImageContent('dot.png', bytes);
    assert.equal(result.ok && result.content[0].text, `dot.png: PNG image, 3×2 px, ${bytes.length} B.`);
  });
});
