// Image preparation benchmark in headless Chromium: how long the webview pipeline takes to make a
// 4000x3000 screenshot-like PNG (UI chrome, lines of code text, one-pixel rules; not noise) ready
// to send (decode + stepped high-quality downscale to 1568x1176 + PNG encode + base64), median over
// runs, and how many request bytes that saves. A photo-like PNG (which becomes JPEG) is timed too.
// Run: npx tsx bench/images.bench.ts   (JSON to stdout, summary to stderr; BENCH_QUICK=1 for fewer runs)
import { estimateImageTokens } from '../src/shared/images';
import { launchChromium } from '../test/browser/support/browser';
import { ImagesPage, type GeneratedKind } from '../test/browser/support/imagesPage';

export interface ImageCase {
  label: string;
  source: { width: number; height: number; mediaType: string; base64Bytes: number };
  prepared: { width: number; height: number; mediaType: string; base64Bytes: number };
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Base64 bytes one request saves by sending the prepared image instead of the original. */
  savedBytes: number;
  savedPercent: number;
  /** Input tokens of the prepared image (≈ w × h / 750). */
  tokens: number;
}

export interface ImageBenchResult {
  cases: ImageCase[];
  targets: { screenshotMedianBelowMs: number };
  passed: boolean;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function benchCase(images: ImagesPage, label: string, kind: GeneratedKind, width: number, height: number, runs: number): Promise<ImageCase> {
  const source = await images.generate(kind, width, height, 'image/png');
  await images.time(source, `${kind}.png`, 1); // warm-up: JIT, decoder and encoder start-up
  const { timesMs, result } = await images.time(source, `${kind}.png`, runs);
  if ('error' in result) throw new Error(`${label}: ${result.error}`);
  return {
    label,
    source: { width, height, mediaType: 'image/png', base64Bytes: source.length },
    prepared: { width: result.width, height: result.height, mediaType: result.mediaType, base64Bytes: result.data.length },
    runs,
    medianMs: median(timesMs),
    minMs: Math.min(...timesMs),
    maxMs: Math.max(...timesMs),
    savedBytes: source.length - result.data.length,
    savedPercent: (100 * (source.length - result.data.length)) / source.length,
    tokens: estimateImageTokens(result),
  };
}

export async function runImageBench(options: { runs?: number } = {}): Promise<ImageBenchResult> {
  const runs = options.runs ?? (process.env.BENCH_QUICK === '1' ? 3 : 9);
  const browser = await launchChromium();
  try {
    const images = await ImagesPage.open(browser);
    const cases = [
      await benchCase(images, '4000x3000 screenshot PNG', 'screenshot', 4000, 3000, runs),
      await benchCase(images, '4000x3000 photo-like PNG', 'photo', 4000, 3000, runs),
    ];
    const targets = { screenshotMedianBelowMs: 1500 };
    return { cases, targets, passed: cases[0].medianMs < targets.screenshotMedianBelowMs };
  } finally {
    await browser.close();
  }
}

function summary(result: ImageBenchResult): string {
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(2)} MB`;
  const lines = result.cases.map((c) => `${c.label}: median ${c.medianMs.toFixed(0)} ms (min ${c.minMs.toFixed(0)}, max ${c.maxMs.toFixed(0)}, ${c.runs} runs)`
    + ` -> ${c.prepared.width}x${c.prepared.height} ${c.prepared.mediaType}; base64 ${mb(c.source.base64Bytes)} -> ${mb(c.prepared.base64Bytes)}`
    + ` (saves ${mb(c.savedBytes)}, ${c.savedPercent.toFixed(0)} %), ~${c.tokens} tokens`);
  lines.push(`target (screenshot median < ${result.targets.screenshotMedianBelowMs} ms): ${result.passed ? 'met' : 'NOT met'}`);
  return lines.join('\n');
}

if (process.argv[1] && /images\.bench\.ts$/.test(process.argv[1])) {
  runImageBench().then((result) => {
    console.error(summary(result));
    console.log(JSON.stringify(result, null, 2));
    process.exitCode = result.passed ? 0 : 1;
  }, (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  });
}
