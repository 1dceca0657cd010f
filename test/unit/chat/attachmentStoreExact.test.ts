// The attachment store, exactly: the file each image goes to (by hash and media type), ids that
// could leave the folder, a file never rewritten once stored, and tool-result images moved out of
// the conversation (or left inline when they cannot be).
import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { FileAttachmentStore, storeToolResultImages, storingToolImages, type AttachmentStore } from '../../../src/core/chat/attachmentStore';
import type { ToolExecutor } from '../../../src/core/chat/toolExecutor';
import type { ImageRefBlock, ToolResultBlock } from '../../../src/shared/model';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const PNG_ID = createHash('sha256').update(Buffer.from(PNG, 'base64')).digest('hex');

describe('attachment store (exact)', () => {
  let folder: string;
  beforeEach(async () => { folder = await mkdtemp(path.join(tmpdir(), 'aiml-att-x-')); });
  afterEach(async () => { await rm(folder, { recursive: true, force: true }); });

  it('returns the exact reference: sha-256 id, media type, size from the payload, byte count, name', async () => {
    const store = new FileAttachmentStore(folder);
    const ref = await store.save({ name: 'dot.png', mediaType: 'image/png', data: PNG, width: 3, height: 4 });
    assert.deepEqual(ref, { type: 'image_ref', id: PNG_ID, media_type: 'image/png', width: 3, height: 4, bytes: Buffer.from(PNG, 'base64').length, name: 'dot.png' });
    assert.deepEqual(await readFile(path.join(folder, `${PNG_ID}.png`)), Buffer.from(PNG, 'base64'));
  });

  it('refuses an empty image by name and writes nothing', async () => {
    const store = new FileAttachmentStore(folder);
    await assert.rejects(store.save({ name: 'blank.png', mediaType: 'image/png', data: '', width: 1, height: 1 }), { message: 'The image "blank.png" is empty.' });
    assert.deepEqual(await readdir(folder), []);
  });

  it('never rewrites a stored file: the same bytes saved again leave the file as it is', async () => {
    const store = new FileAttachmentStore(folder);
    const ref = await store.save({ name: 'a.png', mediaType: 'image/png', data: PNG, width: 1, height: 1 });
    const file = store.filePath(ref);
    await writeFile(file, 'marker');
    await store.save({ name: 'b.png', mediaType: 'image/png', data: PNG, width: 1, height: 1 });
    assert.equal(await readFile(file, 'utf8'), 'marker');
  });

  it('names each file by its media type', () => {
    const store = new FileAttachmentStore('/att');
    const id = 'a'.repeat(64);
    assert.deepEqual((['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const).map((media_type) => path.basename(store.filePath({ id, media_type }))), [`${id}.png`, `${id}.jpg`, `${id}.gif`, `${id}.webp`]);
    assert.equal(store.filePath({ id, media_type: 'image/png' }), path.join('/att', `${id}.png`));
  });

  for (const id of ['', 'a'.repeat(63), 'a'.repeat(65), 'A'.repeat(64), `x${'a'.repeat(64)}`, `${'a'.repeat(64)}x`, `../${'a'.repeat(61)}`, `${'a'.repeat(64)}\n`, 'g'.repeat(64)]) {
    it(`refuses the attachment id ${JSON.stringify(id.length > 12 ? `${id.slice(0, 4)}…(${id.length})…${id.slice(-2)}` : id)}`, () => {
      assert.throws(() => new FileAttachmentStore(folder).filePath({ id, media_type: 'image/png' }), { message: 'Invalid attachment id.' });
    });
  }

  it('load rejects when the file is gone', async () => {
    await assert.rejects(new FileAttachmentStore(folder).load({ type: 'image_ref', id: 'b'.repeat(64), media_type: 'image/png', width: 1, height: 1, bytes: 1, name: 'x' }), { code: 'ENOENT' });
  });

  describe('tool result images', () => {
    const image = { type: 'image' as const, source: { type: 'base64' as const, media_type: 'image/png' as const, data: PNG } };
    const saved: Array<Parameters<AttachmentStore['save']>[0]> = [];
    const recordingStore = (fail = false): AttachmentStore => ({
      save: async (payload) => {
        saved.push(payload);
        if (fail) throw new Error('disk full');
        return { type: 'image_ref', id: PNG_ID, media_type: payload.mediaType, width: payload.width, height: payload.height, bytes: 1, name: payload.name };
      },
      load: async () => PNG,
      filePath: () => '',
    });
    beforeEach(() => { saved.length = 0; });

    it('replaces each image by a reference named after the result\'s first line, keeping the other fields', async () => {
      const result: ToolResultBlock = { type: 'tool_result', tool_use_id: 't1', is_error: false, content: [{ type: 'text', text: 'shot.png: PNG image, 1×1' }, image] };
      const [stored] = await storeToolResultImages([result], recordingStore());
      assert.deepEqual(stored, { type: 'tool_result', tool_use_id: 't1', is_error: false, content: [{ type: 'text', text: 'shot.png: PNG image, 1×1' }, { type: 'image_ref', id: PNG_ID, media_type: 'image/png', width: 1, height: 1, bytes: 1, name: 'shot.png' }] });
      assert.deepEqual(saved, [{ name: 'shot.png', mediaType: 'image/png', data: PNG, width: 1, height: 1 }]);
    });

    it('names an image without such a line "tool result image"', async () => {
      await storeToolResultImages([{ type: 'tool_result', tool_use_id: 't1', content: [image] }, { type: 'tool_result', tool_use_id: 't2', content: [{ type: 'text', text: 'just words' }, image] }], recordingStore());
      assert.deepEqual(saved.map((s) => s.name), ['tool result image', 'tool result image']);
    });

    it('returns a result without images as the same object', async () => {
      const text: ToolResultBlock = { type: 'tool_result', tool_use_id: 't1', content: 'plain' };
      const blocks: ToolResultBlock = { type: 'tool_result', tool_use_id: 't2', content: [{ type: 'text', text: 'a' }] };
      const out = await storeToolResultImages([text, blocks], recordingStore());
      assert.equal(out[0], text);
      assert.equal(out[1], blocks);
      assert.deepEqual(saved, []);
    });

    it('keeps an image inline when its bytes are not a readable image, or when storing fails', async () => {
      const broken = { type: 'image' as const, source: { type: 'base64' as const, media_type: 'image/png' as const, data: Buffer.from('not a png').toString('base64') } };
      const [kept] = await storeToolResultImages([{ type: 'tool_result', tool_use_id: 't1', content: [broken] }], recordingStore());
      assert.deepEqual(kept.content, [broken]);
      assert.deepEqual(saved, []);
      const [failed] = await storeToolResultImages([{ type: 'tool_result', tool_use_id: 't1', content: [image] }], recordingStore(true));
      assert.deepEqual(failed.content, [image]);
    });

    it('storingToolImages passes the mode on, vouches only for what the executor vouches for, and stores the results\' images', async () => {
      const modes: unknown[] = [];
      const inner: ToolExecutor = {
        definitions: (mode) => { modes.push(mode); return [{ name: 'read_file', description: '', input_schema: {} }]; },
        isReadOnly: (name) => name === 'read_file',
        execute: async (calls) => calls.map((c) => ({ type: 'tool_result', tool_use_id: c.id, content: [image] })),
      };
      const wrapped = storingToolImages(inner, recordingStore());
      assert.deepEqual(wrapped.definitions('plan'), inner.definitions());
      assert.deepEqual(modes, ['plan', undefined]);
      assert.equal(wrapped.isReadOnly?.('read_file'), true);
      assert.equal(wrapped.isReadOnly?.('run_command'), false);
      const [result] = await wrapped.execute([{ type: 'tool_use', id: 'c1', name: 'read_file', input: {} }], { signal: new AbortController().signal, onCard: () => undefined });
      assert.equal((result.content as ImageRefBlock[])[0].type, 'image_ref');
      const silent = storingToolImages({ definitions: () => [], execute: async () => [] }, recordingStore());
      assert.equal(silent.isReadOnly?.('read_file'), false);
    });
  });
});
