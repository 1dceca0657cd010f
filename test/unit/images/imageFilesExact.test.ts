// The host's image checks at their exact limits: 8000 px a side, 5,000,000 base64 bytes, a damaged
// header of each type, and the exact texts and payloads (a subarray view is encoded as itself).
import assert from 'node:assert/strict';
import {
  MAX_PICKED_IMAGE_BYTES,
  addAttachmentMessage,
  checkPickedImage,
  checkToolImage,
  imageTypeLabel,
  toolImageAttachment,
  toolImageContent,
} from '../../../src/core/images/imageFiles';
import { normalizePosixPath, confineDroppedUri } from '../../../src/core/images/droppedUris';

const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const be32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
/** A PNG header declaring width × height, padded with zeros to `length` bytes (only the header is read). */
function pngOf(width: number, height: number, length = 33): Uint8Array {
  const out = new Uint8Array(length);
  out.set([...PNG_SIG, ...be32(13), ...Buffer.from('IHDR'), ...be32(width), ...be32(height)]);
  return out;
}
const message = (result: { ok: boolean; message?: string }): string => (result.ok ? assert.fail('expected a refusal') : result.message ?? '');

describe('host image checks, exactly', () => {
  it('labels each type and has a 50 MiB pick limit', () => {
    assert.deepEqual((['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const).map(imageTypeLabel), ['PNG', 'JPEG', 'GIF', 'WebP']);
    assert.equal(MAX_PICKED_IMAGE_BYTES, 52_428_800);
  });

  it('names the type of a damaged header', () => {
    const cases: [Uint8Array, string][] = [
      [pngOf(1, 1).subarray(0, 20), 'PNG'],
      [new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), 'JPEG'],
      [new Uint8Array(Buffer.from('GIF89a')), 'GIF'],
      [new Uint8Array(Buffer.from('RIFF\0\0\0\0WEBPVP8X')), 'WebP'],
    ];
    for (const [bytes, label] of cases) assert.equal(message(checkPickedImage('x', bytes)), `x starts like a ${label} image but its header is damaged or cut short.`);
    assert.equal(message(checkPickedImage('x.txt', new Uint8Array(Buffer.from('hello')))), 'Only PNG, JPEG, GIF and WebP images can be attached; x.txt is a text file.');
  });

  it('accepts a picked image up to the decode limit, whatever the API limit', () => {
    assert.deepEqual(checkPickedImage('a.png', pngOf(16_384, 3000)), { ok: true, mediaType: 'image/png', size: { width: 16_384, height: 3000 } });
    assert.match(message(checkPickedImage('a.png', pngOf(16_385, 10))), /^a\.png declares 16385×10 px/);
  });

  it('accepts a tool image of 8000 px a side and refuses 8001 on either side with the exact reason', () => {
    assert.deepEqual(checkToolImage('t.png', pngOf(8000, 6000)), { ok: true, mediaType: 'image/png', size: { width: 8000, height: 6000 } });
    assert.deepEqual(checkToolImage('t.png', pngOf(6000, 8000)), { ok: true, mediaType: 'image/png', size: { width: 6000, height: 8000 } });
    assert.equal(
      message(checkToolImage('t.png', pngOf(8001, 10))),
      't.png is 8001×10 px; images sent to the model can be at most 8000 px on each side, and the extension cannot scale images on this side. Use a smaller image.',
    );
    assert.match(message(checkToolImage('t.png', pngOf(10, 8001))), /^t\.png is 10×8001 px;/);
    assert.match(message(checkToolImage('t.png', pngOf(20_000, 20_000))), /declares 20000×20000 px/);
  });

  it('accepts exactly 5,000,000 bytes of base64 and refuses the next byte', () => {
    assert.equal(checkToolImage('t.png', pngOf(10, 10, 3_750_000)).ok, true);
    assert.equal(
      message(checkToolImage('t.png', pngOf(10, 10, 3_750_001))),
      't.png is 3.6 MB (4.8 MB as base64); images sent to the model can be at most 5 MB, and the extension cannot re-compress images on this side. Use a smaller or JPEG version.',
    );
    assert.deepEqual(toolImageContent('t.png', pngOf(10, 10, 3_750_001)).content.length, 1);
  });

  it('encodes only the bytes of a view, not its whole buffer', () => {
    const backing = new Uint8Array(100).fill(7);
    const png = pngOf(2, 3);
    backing.set(png, 10);
    const view = backing.subarray(10, 10 + png.length);
    const base64 = Buffer.from(png).toString('base64');
    assert.deepEqual(addAttachmentMessage('a.png', view, 'image/png'), { type: 'addAttachment', name: 'a.png', mediaType: 'image/png', data: base64 });
    assert.deepEqual(toolImageAttachment('a.png', view), { ok: true, payload: { name: 'a.png', mediaType: 'image/png', data: base64, width: 2, height: 3 } });
    assert.deepEqual(toolImageContent('a.png', view), {
      ok: true,
      content: [
        { type: 'text', text: 'a.png: PNG image, 2×3 px, 33 B.' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: base64 } },
      ],
    });
  });

  it('refusals of tool images come back as one text block or a message', () => {
    assert.deepEqual(toolImageContent('x', new Uint8Array()), { ok: false, content: [{ type: 'text', text: 'Only PNG, JPEG, GIF and WebP images can be attached; x is an empty file.' }] });
    assert.deepEqual(toolImageAttachment('x', new Uint8Array()), { ok: false, message: 'Only PNG, JPEG, GIF and WebP images can be attached; x is an empty file.' });
  });
});

describe('dropped URIs, exactly', () => {
  const folder = { scheme: 'file', authority: '', path: '/ws' };
  it('normalizes paths', () => {
    assert.equal(normalizePosixPath(''), '/');
    assert.equal(normalizePosixPath('a/b'), '/a/b');
    assert.equal(normalizePosixPath('/a/..'), '/');
    assert.equal(normalizePosixPath('/..'), undefined);
    assert.equal(normalizePosixPath('/a/b/../../c/.'), '/c');
  });

  it('the folder itself and a sibling with a longer name are not inside', () => {
    assert.equal(confineDroppedUri({ scheme: 'file', authority: '', path: '/ws' }, [folder]).ok, false);
    assert.equal(confineDroppedUri({ scheme: 'file', authority: '', path: '/wsx/a.png' }, [folder]).ok, false);
    assert.equal(confineDroppedUri({ scheme: 'file', authority: '', path: '/ws/a.png' }, [{ ...folder, path: '/ws/' }]).ok, true);
    assert.deepEqual(confineDroppedUri({ scheme: 'file', authority: '', path: '/x/a.png' }, [{ ...folder, path: '/' }]), { ok: true, uri: { scheme: 'file', authority: '', path: '/x/a.png' } });
  });

  it('case-insensitive matching lowers both sides and keeps the dropped spelling', () => {
    assert.deepEqual(confineDroppedUri({ scheme: 'file', authority: '', path: '/ws/A.png' }, [{ ...folder, path: '/WS' }], true), { ok: true, uri: { scheme: 'file', authority: '', path: '/ws/A.png' } });
    assert.equal(confineDroppedUri({ scheme: 'file', authority: '', path: '/ws/A.png' }, [{ ...folder, path: '/WS' }]).ok, false);
  });

  it('a file: drop is never read through a vscode-remote folder, nor a remote one through another authority', () => {
    assert.equal(confineDroppedUri({ scheme: 'file', authority: '', path: '/ws/a.png' }, [{ scheme: 'vscode-remote', authority: 'box', path: '/ws' }]).ok, false);
    assert.equal(confineDroppedUri({ scheme: 'vscode-remote', authority: 'a', path: '/ws/a.png' }, [{ scheme: 'vscode-remote', authority: 'b', path: '/ws' }]).ok, false);
    assert.deepEqual(confineDroppedUri({ scheme: 'vscode-remote', authority: 'a', path: '/ws/a.png' }, [{ scheme: 'file', authority: '', path: '/ws' }]), { ok: true, uri: { scheme: 'file', authority: '', path: '/ws/a.png' } });
    assert.equal(confineDroppedUri({ scheme: 'untitled', authority: '', path: '/ws/a.png' }, [{ scheme: 'untitled', authority: '', path: '/ws' }]).ok, false);
  });
});
