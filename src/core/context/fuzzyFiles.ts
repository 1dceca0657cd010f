// The fuzzy matcher behind the `Context` listbox: workspace paths ranked by how well a typed query
// matches their name, then their path. Built once per file list (lower-cased copies and the name's
// offset precomputed) so a keystroke costs one linear scan with a cheap subsequence test; only the
// best `limit` results are kept, so no sort of the whole list happens. See bench/context.bench.ts.

export interface FileEntry {
  /** Workspace-relative path, `/` separated (folders without a trailing slash). */
  path: string;
  isFolder: boolean;
}

export interface FuzzyMatch extends FileEntry {
  score: number;
}

const BOUNDARY = new Set(['/', '\\', '.', '_', '-', ' ']);

/**
 * Score of `query` as a subsequence of `text` from `from` on, or -1 when it is not one. Greedy,
 * left-most, with bonuses for characters at word starts and for runs of adjacent characters.
 */
function subsequenceScore(query: string, text: string, original: string, from: number): number {
  let score = 0;
  let position = from;
  let previous = -2;
  for (let i = 0; i < query.length; i++) {
    const found = text.indexOf(query[i], position);
    if (found === -1) return -1;
    if (found === previous + 1) score += 8;
    const before = found === 0 ? '/' : original[found - 1];
    const here = original[found];
    if (BOUNDARY.has(before) || (here !== here.toLowerCase() && before === before.toLowerCase())) score += 10;
    previous = found;
    position = found + 1;
  }
  return score;
}

export class FuzzyFileIndex {
  // Parallel arrays rather than objects: one linear scan touches little memory.
  private readonly paths: string[];
  private readonly lowers: string[];
  private readonly nameStarts: Int32Array;
  private readonly folders: Uint8Array;
  private readonly shallowFirst: Float64Array;
  /** Every match of the previous query: a query that extends it only needs to scan these. */
  private previous: { query: string; matches: Int32Array } | undefined;

  constructor(entries: readonly FileEntry[]) {
    const count = entries.length;
    this.paths = entries.map((entry) => entry.path);
    this.lowers = this.paths.map((path) => path.toLowerCase());
    this.nameStarts = new Int32Array(count);
    this.folders = new Uint8Array(count);
    this.shallowFirst = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const path = this.paths[i];
      this.nameStarts[i] = path.lastIndexOf('/') + 1;
      this.folders[i] = entries[i].isFolder ? 1 : 0;
      let depth = 0;
      for (let c = path.indexOf('/'); c !== -1; c = path.indexOf('/', c + 1)) depth++;
      this.shallowFirst[i] = -depth * 1000 - path.length;
    }
  }

  get size(): number {
    return this.paths.length;
  }

  /** The best `limit` matches, best first. An empty query lists the shallowest paths. */
  search(rawQuery: string, limit = 50): FuzzyMatch[] {
    const query = rawQuery.toLowerCase().replace(/\s/g, '').replace(/\\/g, '/');
    const bestIndex: number[] = [];
    // Stryker disable next-line ArrayDeclaration: a made-up first entry only stays past the last of bestIndex's scores, where neither the walk nor the result reads
    const bestScore: number[] = [];
    const offer = (index: number, score: number): void => {
      // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: a shortcut only: without it the entry is inserted after its equals and popped again
      if (bestIndex.length >= limit && score <= bestScore[bestScore.length - 1]) return;
      let at = bestIndex.length;
      // At 0, bestScore[-1] is undefined, and undefined < score is false: the walk stops there.
      while (bestScore[at - 1] < score) at--;
      bestIndex.splice(at, 0, index);
      bestScore.splice(at, 0, score);
      if (bestIndex.length > limit) { bestIndex.pop(); bestScore.pop(); }
    };
    if (query === '') {
      this.previous = undefined;
      for (let i = 0; i < this.paths.length; i++) offer(i, this.shallowFirst[i]);
    } else {
      // Stryker disable next-line MethodExpression,ConditionalExpression: narrowing is a shortcut (never narrowing gives the same results), and the matches of any earlier query that is a subsequence of this one (a suffix too) hold all of this one's
      const narrowed = this.previous && query.startsWith(this.previous.query) ? this.previous.matches : undefined;
      const total = narrowed ? narrowed.length : this.paths.length;
      const matches = new Int32Array(total);
      let matched = 0;
      for (let k = 0; k < total; k++) {
        const i = narrowed ? narrowed[k] : k;
        const score = this.score(i, query);
        if (score === undefined) continue;
        matches[matched++] = i;
        offer(i, score);
      }
      // Stryker disable next-line ObjectLiteral: without the record nothing is narrowed, which gives the same results
      this.previous = { query, matches: matches.subarray(0, matched) };
    }
    return bestIndex.map((i, k) => ({ path: this.paths[i], isFolder: this.folders[i] === 1, score: bestScore[k] }));
  }

  /** The score of path `i`, or undefined when the query does not match it. */
  private score(i: number, query: string): number | undefined {
    const lower = this.lowers[i];
    const path = this.paths[i];
    const nameStart = this.nameStarts[i];
    // The name matters most. A query with a slash never matches within a name (names have none),
    // so it is scored against the whole path.
    const inName = subsequenceScore(query, lower, path, nameStart);
    if (inName >= 0) {
      let score = 2000 + inName - (lower.length - nameStart) - lower.length / 10;
      const at = lower.indexOf(query, nameStart);
      if (at === nameStart) {
        const after = lower[nameStart + query.length];
        score += after === undefined || after === '.' ? 1500 : 1000;
      } else if (at !== -1) score += 600;
      return score;
    }
    const inPath = subsequenceScore(query, lower, path, 0);
    if (inPath < 0) return undefined;
    return 500 + inPath + (lower.includes(query) ? 400 : 0) - lower.length / 10;
  }
}
