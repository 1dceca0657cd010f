// Images are stored once, by content hash, outside the conversation files: a conversation that
// shows the same screenshot twice stores it once, and conversation files stay small enough to
// reopen quickly. Requests turn the references back into base64 blocks (requestBuilder).
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { readImageDimensions } from '../../shared/images';
import { isImageBlock, isTextBlock, type ImageMediaType, type ImageRefBlock, type ToolResultBlock } from '../../shared/model';
import type { AttachmentPayload } from '../../shared/protocol';
import { writeFileAtomic } from '../storage/atomicFile';
import type { ToolExecutor } from './toolExecutor';

export interface AttachmentStore {
  save(payload: AttachmentPayload): Promise<ImageRefBlock>;
  /** The image's bytes as base64 (no data: prefix). Rejects when the file is gone. */
  load(ref: ImageRefBlock): Promise<string>;
  /** Absolute path of the stored file; the host turns it into a webview URI for thumbnails. */
  filePath(ref: Pick<ImageRefBlock, 'id' | 'media_type'>): string;
}

const extensions: Record<ImageMediaType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

export class FileAttachmentStore implements AttachmentStore {
  constructor(readonly folder: string) {}

  async save(payload: AttachmentPayload): Promise<ImageRefBlock> {
    const bytes = Buffer.from(payload.data, 'base64');
    if (bytes.length === 0) throw new Error(`The image "${payload.name}" is empty.`);
    const id = createHash('sha256').update(bytes).digest('hex');
    const ref: ImageRefBlock = {
      type: 'image_ref',
      id,
      media_type: payload.mediaType,
      width: payload.width,
      height: payload.height,
      bytes: bytes.length,
      name: payload.name,
    };
    const target = this.filePath(ref);
    // Atomic, so a half-written file never sits under the final (hash) name and a failed write
    // leaves no temp file behind.
    if (!(await exists(target))) await writeFileAtomic(target, bytes);
    return ref;
  }

  async load(ref: ImageRefBlock): Promise<string> {
    const bytes = await readFile(this.filePath(ref));
    return bytes.toString('base64');
  }

  filePath(ref: Pick<ImageRefBlock, 'id' | 'media_type'>): string {
    // The id is a hex hash we created; anything else would be a crafted conversation file.
    if (!/^[0-9a-f]{64}$/.test(ref.id)) throw new Error('Invalid attachment id.');
    return path.join(this.folder, `${ref.id}.${extensions[ref.media_type]}`);
  }
}

/**
 * The same tool results with every base64 image saved once in the store and replaced by an
 * image_ref, so conversation files do not inline the bytes (requests turn the refs back into
 * base64). An image that cannot be stored stays inline: the request is valid either way.
 */
export async function storeToolResultImages(results: ToolResultBlock[], store: AttachmentStore): Promise<ToolResultBlock[]> {
  return Promise.all(results.map(async (result) => {
    const blocks = result.content;
    if (!Array.isArray(blocks) || !blocks.some(isImageBlock)) return result;
    // Tool images start with a line "NAME: PNG image, …" (toolImageContent); its NAME labels the file.
    const firstText = blocks.find(isTextBlock)?.text;
    const name = firstText?.match(/^(.+?): [A-Za-z]+ image,/)?.[1] ?? 'tool result image';
    const content = await Promise.all(blocks.map(async (block) => {
      if (!isImageBlock(block)) return block;
      const { media_type: mediaType, data } = block.source;
      const size = readImageDimensions(Buffer.from(data, 'base64'), mediaType);
      // Stryker disable next-line ConditionalExpression: equivalent when false: reading the missing size throws inside the try below, which keeps the block inline all the same
      if (!size) return block;
      try {
        return await store.save({ name, mediaType, data, width: size.width, height: size.height });
      } catch {
        return block;
      }
    }));
    return { ...result, content };
  }));
}

/** An executor whose tool_result images are kept in the attachment store (see storeToolResultImages). */
export function storingToolImages(executor: ToolExecutor, store: AttachmentStore): ToolExecutor {
  return {
    definitions: (mode) => executor.definitions(mode),
    isReadOnly: (name) => executor.isReadOnly?.(name) === true,
    execute: async (calls, context) => storeToolResultImages(await executor.execute(calls, context), store),
  };
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
