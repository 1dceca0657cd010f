// Searches files (as bytes: SQLite databases, LevelDB logs and other binary stores included) and
// texts for a canary key in every spelling a leak could take: the key itself, UTF-16 (how some
// stores keep strings), and base64 / base64url at each of the three byte alignments (a key inside
// "Bearer <key>" or a JSON blob encoded as a whole lands on any of them).
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export interface CanaryForm { name: string; bytes: Buffer }
export interface CanaryHit { where: string; form: string }
export interface ScanResult { files: number; bytes: number; hits: CanaryHit[]; scanned: string[] }

/** The spellings searched for. Base64 forms drop the characters that depend on neighbouring bytes. */
export function canaryForms(key: string): CanaryForm[] {
  const raw = Buffer.from(key, 'utf8');
  const forms: CanaryForm[] = [
    { name: 'utf8', bytes: raw },
    { name: 'utf16le', bytes: Buffer.from(key, 'utf16le') },
  ];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset, 0x20), raw]).toString('base64');
    // The first 4 characters carry the prefix bytes, the last 4 the padding or the following bytes.
    const stable = encoded.slice(4, encoded.length - 4);
    forms.push({ name: `base64@${offset}`, bytes: Buffer.from(stable) });
    const url = stable.replace(/\+/g, '-').replace(/\//g, '_');
    if (url !== stable) forms.push({ name: `base64url@${offset}`, bytes: Buffer.from(url) });
  }
  return forms;
}

export function scanBytes(where: string, content: Buffer, forms: readonly CanaryForm[]): CanaryHit[] {
  return forms.filter((form) => content.includes(form.bytes)).map((form) => ({ where, form: form.name }));
}

export function scanText(where: string, text: string, forms: readonly CanaryForm[]): CanaryHit[] {
  return scanBytes(where, Buffer.from(text, 'utf8'), forms);
}

/** Every regular file under the roots (links are not followed: they would lead out of the profile). */
export function listFiles(roots: readonly string[]): string[] {
  const files: string[] = [];
  const visit = (file: string): void => {
    let stat;
    try { stat = lstatSync(file); } catch { return; }
    if (stat.isFile()) files.push(file);
    if (!stat.isDirectory()) return;
    let names: string[];
    try { names = readdirSync(file); } catch { return; }
    for (const name of names) visit(path.join(file, name));
  };
  for (const root of roots) visit(root);
  return files;
}

/** Reads every file under the roots; files that vanish meanwhile (a rotated log, a SQLite journal) are skipped. */
export function scanTree(roots: readonly string[], forms: readonly CanaryForm[]): ScanResult {
  const result: ScanResult = { files: 0, bytes: 0, hits: [], scanned: [] };
  for (const file of listFiles(roots)) {
    let content: Buffer;
    try { content = readFileSync(file); } catch { continue; }
    result.files += 1;
    result.bytes += content.length;
    result.scanned.push(file);
    result.hits.push(...scanBytes(file, content, forms));
  }
  return result;
}
