// custom_id values: the API allows 1-64 characters of [a-zA-Z0-9_-]. Ids are derived from the
// file path so a raw result line is recognisable, and end with a hash of the full path so two
// paths that sanitise to the same slug (or are truncated alike) still get different ids.

export const CUSTOM_ID_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_LENGTH = 64;
const HASH_LENGTH = 8;

/** FNV-1a (32-bit) over UTF-16 code units: deterministic and dependency-free. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(HASH_LENGTH, '0');
}

function slugOf(path: string): string {
  return path
    .replace(/[^a-zA-Z0-9_-]/g, '_')
    .replace(/_+/g, '_')
    .replace(/[_-]+$/, ''); // leading ones: idFor drops them after cutting
}

/**
 * Allocates valid, unique custom ids for paths. `taken` is shared across calls so a batch never
 * repeats an id, even for the same path given twice.
 */
export class CustomIdAllocator {
  private readonly taken = new Set<string>();

  idFor(path: string): string {
    const hash = shortHash(path);
    // Keep the end of the path: the file name tells more than the leading folders.
    const room = MAX_LENGTH - HASH_LENGTH - 1;
    // A slug is never cut in the middle of a separator run: one at the cut is dropped.
    const slug = slugOf(path).slice(-room).replace(/^[_-]+/, '');
    let id = slug ? `${slug}-${hash}` : `file-${hash}`;
    for (let n = 2; this.taken.has(id); n++) {
      const suffix = `-${n}`;
      id = `${(slug ? `${slug}-${hash}` : `file-${hash}`).slice(0, MAX_LENGTH - suffix.length)}${suffix}`;
    }
    this.taken.add(id);
    return id;
  }
}
