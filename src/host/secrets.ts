// The API key lives only in VS Code's SecretStorage (the OS keychain on desktop). It is never
// written to settings, logged, or posted to the webview: the view only learns whether one is set.
import * as vscode from 'vscode';

const SECRET_KEY = 'aimlChat.apiKey';

export class ApiKeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<boolean>();
  /** Fires with whether a key is now set. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /**
   * The key as last read. Every send reads it before its request, and a read through the
   * workbench took 5-13 ms of each send (issue 15). Forgotten on every change, from this window
   * or another; the client holds the key in memory while it works anyway.
   */
  private cached: Promise<string | undefined> | undefined;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange(async (e) => {
      if (e.key !== SECRET_KEY) return;
      this.cached = undefined;
      this.changed.fire(await this.has());
    });
  }

  get(): Promise<string | undefined> {
    if (this.cached) return this.cached;
    const read = Promise.resolve(this.secrets.get(SECRET_KEY)).then((value) => value || undefined);
    // A failed read is not kept: the next send tries again.
    read.catch(() => { if (this.cached === read) this.cached = undefined; });
    this.cached = read;
    return read;
  }

  async has(): Promise<boolean> {
    return Boolean(await this.get());
  }

  async set(key: string): Promise<void> {
    this.cached = undefined;
    await this.secrets.store(SECRET_KEY, key.trim());
    this.cached = undefined;
  }

  async clear(): Promise<void> {
    this.cached = undefined;
    await this.secrets.delete(SECRET_KEY);
    this.cached = undefined;
  }

  /** Password box; validates the shape without echoing the key anywhere. */
  async promptAndStore(): Promise<boolean> {
    const key = await vscode.window.showInputBox({
      title: 'AIML Chat: Set API Key',
      prompt: 'Paste your AI/ML API key. It is kept in VS Code\'s secret storage, never in settings.',
      password: true,
      ignoreFocusOut: true,
      placeHolder: 'API key',
      validateInput: (value) => {
        const v = value.trim();
        if (!v) return 'The key is empty.';
        if (/\s/.test(v)) return 'The key must not contain spaces or line breaks.';
        if (v.length < 8) return 'That is too short to be an AI/ML API key.';
        return undefined;
      },
    });
    if (key === undefined) return false;
    await this.set(key);
    void vscode.window.showInformationMessage('AIML Chat: API key saved in secret storage.');
    return true;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
