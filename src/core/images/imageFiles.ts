// Image files read by the extension host: those the user picks (file picker, Explorer) and those a
// tool returns. The host has no canvas, so it cannot scale or re-encode. Picked images go to the
// webview, which prepares them; a tool's image is accepted only when it already fits the API's
// limits, and refused with a message the model can act on otherwise.
import { IMAGE_LIMITS, base64Length, formatBytes, readImageDimensions, sniffImageType, unsupportedImageMessage, type ImageSize } from '../../shared/images';
import { checkDecodeDimensions } from '../../shared/imagePolicy';
import type { ImageBlock, ImageMediaType, TextBlock } from '../../shared/model';
import type { AttachmentPayload } from '../../shared/protocol';

/** Files above this are not even read into memory for the composer: no screenshot is this large. */
export const MAX_PICKED_IMAGE_BYTES = 50 * 1024 * 1024;

const LABELS: Record<ImageMediaType, string> = { 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/gif': 'GIF', 'image/webp': 'WebP' };

/** The short name of a media type for messages and tool cards: PNG, JPEG, GIF, WebP. */
export function imageTypeLabel(mediaType: ImageMediaType): string {
  return LABELS[mediaType];
}

export type CheckedImage = { ok: true; mediaType: ImageMediaType; size: ImageSize } | { ok: false; message: string };

/**
 * Recognises a picked file by its bytes. Large images are fine here (the webview scales them);
 * what is refused is anything that is not a PNG, JPEG, GIF or WebP, whose header is damaged, or
 * whose header declares more pixels than may be decoded (an image bomb).
 */
export function checkPickedImage(name: string, bytes: Uint8Array): CheckedImage {
  const mediaType = sniffImageType(bytes);
  if (!mediaType) return { ok: false, message: unsupportedImageMessage(name, bytes) };
  const size = readImageDimensions(bytes, mediaType);
  if (!size) return { ok: false, message: `${name} starts like a ${LABELS[mediaType]} image but its header is damaged or cut short.` };
  const decodable = checkDecodeDimensions(name, size);
  if (!decodable.ok) return decodable;
  return { ok: true, mediaType, size };
}

/** The host → webview message for a picked image: raw bytes; the webview scales and re-encodes. */
export function addAttachmentMessage(name: string, bytes: Uint8Array, mediaType: ImageMediaType): { type: 'addAttachment'; name: string; mediaType: string; data: string } {
  return { type: 'addAttachment', name, mediaType, data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
}

/**
 * Checks a tool's image against the API's own limits (type by bytes, 8000 px a side, 5 MB of
 * base64). Images with a long edge above 1568 px are accepted: the service scales them itself.
 */
export function checkToolImage(name: string, bytes: Uint8Array): CheckedImage {
  const checked = checkPickedImage(name, bytes);
  if (!checked.ok) return checked;
  const { width, height } = checked.size;
  if (width > IMAGE_LIMITS.maxApiDimension || height > IMAGE_LIMITS.maxApiDimension) {
    return { ok: false, message: `${name} is ${width}×${height} px; images sent to the model can be at most ${IMAGE_LIMITS.maxApiDimension} px on each side, and the extension cannot scale images on this side. Use a smaller image.` };
  }
  const encoded = base64Length(bytes.length);
  if (encoded > IMAGE_LIMITS.maxBase64Bytes) {
    return { ok: false, message: `${name} is ${formatBytes(bytes.length)} (${formatBytes(encoded)} as base64); images sent to the model can be at most 5 MB, and the extension cannot re-compress images on this side. Use a smaller or JPEG version.` };
  }
  return checked;
}

/**
 * A tool's image as an attachment payload, to be stored once by the attachment store and
 * referenced from the tool_result (so the conversation file stays small).
 */
export function toolImageAttachment(name: string, bytes: Uint8Array): { ok: true; payload: AttachmentPayload } | { ok: false; message: string } {
  const checked = checkToolImage(name, bytes);
  if (!checked.ok) return checked;
  return { ok: true, payload: { name, mediaType: checked.mediaType, data: toBase64(bytes), width: checked.size.width, height: checked.size.height } };
}

/**
 * A tool's image as tool_result content: a line naming it, then the base64 image block; or one
 * text block explaining why it was refused (the caller marks the result as an error).
 */
export function toolImageContent(name: string, bytes: Uint8Array): { ok: true; content: [TextBlock, ImageBlock] } | { ok: false; content: [TextBlock] } {
  const checked = checkToolImage(name, bytes);
  if (!checked.ok) return { ok: false, content: [{ type: 'text', text: checked.message }] };
  const { mediaType, size } = checked;
  return {
    ok: true,
    content: [
      { type: 'text', text: `${name}: ${LABELS[mediaType]} image, ${size.width}×${size.height} px, ${formatBytes(bytes.length)}.` },
      { type: 'image', source: { type: 'base64', media_type: mediaType, data: toBase64(bytes) } },
    ],
  };
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
