// The account balance in the status bar (GET /v2/billing): "AIML balance $12.34", refreshed on
// click and after answers (at most once a minute); hidden, and never requested, without a key.
// The optional aimlChat.balanceWarningUsd threshold warns before a request when the last known
// balance is below it.
import * as vscode from 'vscode';
import { readSettings } from '../config';
import { fetchBalance, formatBalance, TOP_UP_URL, type Balance, type BillingRequester } from '../../core/api/billing';

export const REFRESH_BALANCE_COMMAND = 'aimlChat.refreshBalance';
const AFTER_ANSWER_INTERVAL_MS = 60_000;
const WARNING_INTERVAL_MS = 10 * 60_000;

export interface BalanceDeps {
  /** A client for the current key and base URL; undefined without a key (then nothing is sent). */
  connect(): Promise<BillingRequester | undefined>;
  log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>;
  now?: () => number;
}

export class BalanceStatus implements vscode.Disposable {
  private created: vscode.StatusBarItem | undefined;
  private balance: Balance | undefined;
  private lastAfterAnswer = Number.NEGATIVE_INFINITY;
  /** At most one refresh per this interval after answers (tests lower it). */
  afterAnswerIntervalMs = AFTER_ANSWER_INTERVAL_MS;
  private lastWarning = Number.NEGATIVE_INFINITY;
  private running: Promise<Balance | undefined> | undefined;
  private readonly now: () => number;

  constructor(private readonly deps: BalanceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Made on first use, not in activate(): it stays hidden until a balance was read, after activation. */
  private get item(): vscode.StatusBarItem {
    if (!this.created) {
      this.created = vscode.window.createStatusBarItem('aimlChat.balance', vscode.StatusBarAlignment.Right, 90);
      this.created.name = 'AIML balance';
      this.created.command = REFRESH_BALANCE_COMMAND;
    }
    return this.created;
  }

  /** The last balance read, if any. */
  get current(): Balance | undefined {
    return this.balance;
  }

  /** What the item shows and says to a screen reader (for tests). */
  get state(): { visible: boolean; text: string; label: string | undefined; warning?: string } {
    return { visible: this.visible, text: this.item.text, label: this.item.accessibilityInformation?.label, ...(this.warning ? { warning: this.warning } : {}) };
  }

  /** The last low-balance warning shown (for tests and the log). */
  private warning: string | undefined;

  private visible = false;

  /** Reads the balance now (a click, a key set, activation). */
  refresh(): Promise<Balance | undefined> {
    this.running ??= this.read().finally(() => { this.running = undefined; });
    return this.running;
  }

  /** After an answer: at most once a minute. */
  refreshAfterAnswer(): void {
    if (this.now() - this.lastAfterAnswer < this.afterAnswerIntervalMs) return;
    this.lastAfterAnswer = this.now();
    void this.refresh();
  }

  /** Before a request: warns (at most every ten minutes) when the balance is below the threshold. */
  warnIfLow(): void {
    const threshold = readSettings().balanceWarningUsd;
    if (typeof threshold !== 'number' || !this.balance || this.balance.usd >= threshold) return;
    if (this.now() - this.lastWarning < WARNING_INTERVAL_MS) return;
    this.lastWarning = this.now();
    const message = `AIML Chat: your AI/ML API balance is ${formatBalance(this.balance)}, below your warning threshold of ${formatBalance({ usd: threshold, currency: 'USD' })}.`;
    this.warning = message;
    this.deps.log.warn(message);
    void vscode.window.showWarningMessage(message, 'Top Up Balance').then((choice) => {
      if (choice) void vscode.env.openExternal(vscode.Uri.parse(TOP_UP_URL));
    });
  }

  private async read(): Promise<Balance | undefined> {
    const client = await this.deps.connect();
    if (!client) {
      this.balance = undefined;
      this.hide();
      return undefined;
    }
    try {
      this.balance = await fetchBalance(client);
      this.render();
      return this.balance;
    } catch (error) {
      this.deps.log.warn(`balance not read: ${(error as Error).message}`);
      this.item.text = '$(credit-card) $?';
      this.item.tooltip = `AIML balance: could not be read (${(error as Error).message}). Click to retry.`;
      this.item.accessibilityInformation = { label: 'AIML balance unknown, click to retry', role: 'button' };
      this.show();
      return undefined;
    }
  }

  private render(): void {
    if (!this.balance) return;
    const amount = formatBalance(this.balance);
    this.item.text = `$(credit-card) ${amount}`;
    const time = new Date(this.now()).toLocaleTimeString();
    this.item.tooltip = `AIML balance ${amount} (updated ${time}). Click to refresh.`;
    this.item.accessibilityInformation = { label: `AIML balance ${amount}`, role: 'button' };
    this.show();
  }

  private show(): void { this.visible = true; this.item.show(); }
  private hide(): void { this.visible = false; this.created?.hide(); }

  dispose(): void {
    this.created?.dispose();
  }
}
