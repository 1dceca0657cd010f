// Test and benchmark entry (not part of the product bundle): exposes the image pipeline and image
// generators on window.__images so test/browser/images*.test.ts and bench/images.bench.ts can run
// them in a real Chromium. Test images are drawn with the browser's canvas: screenshot-like ones
// (flat UI, text strokes) and photo-like ones (gradients with noise).
import { sniffImageType } from '../../../src/shared/images';
import type { ImageMediaType } from '../../../src/shared/model';
import { base64ToBytes, bytesToBase64 } from '../../../webview/images/base64';
import { encodeCanvas } from '../../../webview/images/canvas';
import { prepareImage, type PrepareResult } from '../../../webview/images/prepare';

export type GeneratedKind = 'screenshot' | 'photo' | 'transparent';

function drawScreenshot(ctx: OffscreenCanvasRenderingContext2D, width: number, height: number): void {
  ctx.fillStyle = '#fafafa';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#282c34';
  ctx.fillRect(0, 0, width, Math.max(24, height / 25)); // title bar
  ctx.fillStyle = '#f0f0f0';
  ctx.fillRect(0, height / 25, width / 6, height); // side bar
  const font = Math.max(10, Math.round(height / 80));
  ctx.font = `${font}px monospace`;
  for (let y = height / 25 + font * 2, line = 0; y < height - font; y += font * 1.5, line++) {
    ctx.fillStyle = line % 7 === 0 ? '#0000ff' : line % 5 === 0 ? '#a31515' : '#1e1e1e';
    ctx.fillText(`${String(line).padStart(4)}  const value${line} = compute(${line}, "text ${line * 7}"); // ok`, width / 6 + 12, y);
  }
  for (let i = 0; i < 6; i++) {
    ctx.fillStyle = i % 2 ? '#0078d4' : '#e0e0e0';
    ctx.fillRect(width - width / 8, height / 10 + i * height / 8, width / 10, height / 20); // buttons
  }
  ctx.strokeStyle = '#c8c8c8';
  ctx.lineWidth = 1;
  for (let x = width / 6; x < width; x += width / 12) ctx.strokeRect(x + 0.5, height / 25 + 0.5, 1, height); // one-pixel rules
}

function drawPhoto(ctx: OffscreenCanvasRenderingContext2D, width: number, height: number): void {
  const gradient = ctx.createRadialGradient(width / 3, height / 3, 10, width / 2, height / 2, Math.max(width, height));
  gradient.addColorStop(0, '#f9d976');
  gradient.addColorStop(0.5, '#3a7bd5');
  gradient.addColorStop(1, '#1e3c72');
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, width, height);
  // Sensor-like noise: what makes photos compress badly as PNG.
  const image = ctx.getImageData(0, 0, width, height);
  let seed = 42;
  for (let i = 0; i < image.data.length; i += 4) {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    const n = ((seed >>> 24) % 25) - 12;
    image.data[i] += n;
    image.data[i + 1] += n;
    image.data[i + 2] += n;
  }
  ctx.putImageData(image, 0, 0);
}

/** Draws a test image and encodes it with the browser; returns base64. */
async function generate(kind: GeneratedKind, width: number, height: number, type: ImageMediaType = 'image/png', quality?: number): Promise<string> {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d')!;
  if (kind === 'screenshot') drawScreenshot(ctx, width, height);
  else if (kind === 'photo') drawPhoto(ctx, width, height);
  else {
    ctx.fillStyle = 'rgba(0, 120, 212, 0.6)';
    ctx.beginPath();
    ctx.arc(width / 2, height / 2, Math.min(width, height) / 2.5, 0, Math.PI * 2);
    ctx.fill();
  }
  return bytesToBase64(await encodeCanvas(canvas, type, quality));
}

/** Decodes base64 image data with the browser: proves it is a valid image and gives its size. */
async function inspect(base64: string): Promise<{ sniffed: string | undefined; width: number; height: number; bytes: number } | { error: string }> {
  const bytes = base64ToBytes(base64);
  try {
    const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]));
    const result = { sniffed: sniffImageType(bytes), width: bitmap.width, height: bitmap.height, bytes: bytes.length };
    bitmap.close();
    return result;
  } catch (error) {
    return { error: String(error) };
  }
}

async function prepare(base64: string, name: string): Promise<PrepareResult> {
  return prepareImage(new Blob([base64ToBytes(base64) as Uint8Array<ArrayBuffer>]), name);
}

/** Times `runs` preparations of the same image (ms each) and returns the last result. */
async function time(base64: string, name: string, runs: number): Promise<{ timesMs: number[]; result: PrepareResult }> {
  const timesMs: number[] = [];
  let result: PrepareResult = { error: 'not run' };
  for (let i = 0; i < runs; i++) {
    const blob = new Blob([base64ToBytes(base64) as Uint8Array<ArrayBuffer>]);
    const start = performance.now();
    result = await prepareImage(blob, name);
    timesMs.push(performance.now() - start);
  }
  return { timesMs, result };
}

(globalThis as unknown as { __images: unknown }).__images = { generate, inspect, prepare, time };
