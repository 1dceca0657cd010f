// The Messages API accepts tool names of letters, digits, `_` and `-` only (at most 64 characters),
// while VS Code tools may be named anything (MCP tools often carry dots or long prefixes). Names
// that do not fit are rewritten for the request and mapped back when the model calls them, so the
// caller always sees its own names.
const API_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_LENGTH = 64;

function sanitize(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, MAX_LENGTH);
  return cleaned.length > 0 ? cleaned : 'tool';
}

export class ToolNameMap {
  private readonly toApi = new Map<string, string>();
  private readonly toCaller = new Map<string, string>();

  constructor(callerNames: Iterable<string>) {
    // Valid names first, so a rewritten name never takes a name the caller really uses.
    const names = [...new Set(callerNames)];
    // Stryker disable next-line MethodExpression: binding an invalid name to itself first changes nothing: it is rebound below, and no sanitized name can equal it
    for (const name of names.filter((n) => API_TOOL_NAME.test(n))) this.bind(name, name);
    for (const name of names.filter((n) => !API_TOOL_NAME.test(n))) this.bind(name, this.unique(sanitize(name)));
  }

  /** The name sent to the API (names not among the tools, e.g. in old history, are sanitized too). */
  api(callerName: string): string {
    const known = this.toApi.get(callerName);
    if (known) return known;
    const apiName = API_TOOL_NAME.test(callerName) ? callerName : this.unique(sanitize(callerName));
    this.bind(callerName, apiName);
    return apiName;
  }

  /** The caller's name for a name the model used. */
  caller(apiName: string): string {
    return this.toCaller.get(apiName) ?? apiName;
  }

  private bind(callerName: string, apiName: string): void {
    this.toApi.set(callerName, apiName);
    this.toCaller.set(apiName, callerName);
  }

  private unique(base: string): string {
    if (!this.toCaller.has(base)) return base;
    for (let n = 2; ; n++) {
      const suffix = `_${n}`;
      const candidate = base.slice(0, MAX_LENGTH - suffix.length) + suffix;
      if (!this.toCaller.has(candidate)) return candidate;
    }
  }
}
