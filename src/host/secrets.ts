// The API key lives only in VS Code's SecretStorage (the OS keychain on desktop). It is never
// written to settings, logged, or posted to the webview: the view only learns whether one is set.
import * as vscode from 'vscode';

const SECRET_KEY = 'aimlChat.apiKey';

export class ApiKeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<boolean>();
  /** Fires with whether a key is now set. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange(async (e) => {
      if (e.key === SECRET_KEY) this.changed.fire(await this.has());
    });
  }

  async get(): Promise<string | undefined> {
    return (await this.secrets.get(SECRET_KEY)) || undefined;
  }

  async has(): Promise<boolean> {
    return Boolean(await this.get());
  }

  async set(key: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, key.trim());
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
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
