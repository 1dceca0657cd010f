// The four kinds of VS Code theme as a webview sees them: the body classes VS Code sets and the
// --vscode-* variables it injects. Values are those of VS Code's default themes (Dark+, Light+,
// Dark High Contrast, Light High Contrast) for every variable media/*.css reads; a variable a
// theme leaves unset is left out here too, so the CSS fallbacks are exercised as in VS Code.
import type { Page } from 'playwright-core';

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface Theme {
  kind: ThemeKind;
  /** VS Code puts `vscode-high-contrast` on the body for both high-contrast kinds. */
  bodyClasses: string[];
  variables: Record<string, string>;
}

const fonts = {
  '--vscode-font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': 'Consolas, "Courier New", monospace',
  '--vscode-editor-font-size': '14px',
};

const dark: Record<string, string> = {
  ...fonts,
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#ccccccb3',
  '--vscode-errorForeground': '#f48771',
  '--vscode-focusBorder': '#007fd4',
  '--vscode-icon-foreground': '#c5c5c5',
  '--vscode-sideBar-background': '#252526',
  '--vscode-editor-background': '#1e1e1e',
  '--vscode-panel-border': '#80808059',
  '--vscode-widget-shadow': '#0000005c',
  '--vscode-toolbar-hoverBackground': '#5a5d5e50',
  '--vscode-textCodeBlock-background': '#0a0a0a66',
  '--vscode-textLink-foreground': '#3794ff',
  '--vscode-textLink-activeForeground': '#3794ff',
  '--vscode-textBlockQuote-background': '#7f7f7f1a',
  '--vscode-textBlockQuote-border': '#007acc80',
  '--vscode-textPreformat-foreground': '#d7ba7d',
  '--vscode-input-background': '#3c3c3c',
  '--vscode-input-foreground': '#cccccc',
  '--vscode-input-placeholderForeground': '#a6a6a6',
  '--vscode-button-background': '#0e639c',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#1177bb',
  '--vscode-button-secondaryBackground': '#3a3d41',
  '--vscode-button-secondaryForeground': '#ffffff',
  '--vscode-button-secondaryHoverBackground': '#45494e',
  '--vscode-dropdown-background': '#3c3c3c',
  '--vscode-dropdown-foreground': '#f0f0f0',
  '--vscode-dropdown-border': '#3c3c3c',
  '--vscode-editorWidget-background': '#252526',
  '--vscode-editorWidget-border': '#454545',
  '--vscode-inputValidation-errorBackground': '#5a1d1d',
  '--vscode-inputValidation-errorBorder': '#be1100',
  '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-testing-iconPassed': '#73c991',
  '--vscode-symbolIcon-functionForeground': '#b180d7',
  '--vscode-symbolIcon-classForeground': '#ee9d28',
  '--vscode-symbolIcon-variableForeground': '#75beff',
  '--vscode-debugTokenExpression-string': '#ce9178',
  '--vscode-debugTokenExpression-number': '#b5cea8',
  '--vscode-gitDecoration-addedResourceForeground': '#81b88b',
  '--vscode-gitDecoration-deletedResourceForeground': '#c74e39',
};

const light: Record<string, string> = {
  ...fonts,
  '--vscode-foreground': '#616161',
  '--vscode-descriptionForeground': '#717171',
  '--vscode-errorForeground': '#a1260d',
  '--vscode-focusBorder': '#0090f1',
  '--vscode-icon-foreground': '#424242',
  '--vscode-sideBar-background': '#f3f3f3',
  '--vscode-editor-background': '#ffffff',
  '--vscode-panel-border': '#80808059',
  '--vscode-widget-shadow': '#00000029',
  '--vscode-toolbar-hoverBackground': '#b8b8b850',
  '--vscode-textCodeBlock-background': '#dcdcdc66',
  '--vscode-textLink-foreground': '#006ab1',
  '--vscode-textLink-activeForeground': '#006ab1',
  '--vscode-textBlockQuote-background': '#7f7f7f1a',
  '--vscode-textBlockQuote-border': '#007acc80',
  '--vscode-textPreformat-foreground': '#a31515',
  '--vscode-input-background': '#ffffff',
  '--vscode-input-foreground': '#616161',
  '--vscode-input-border': '#cecece',
  '--vscode-input-placeholderForeground': '#767676',
  '--vscode-button-background': '#007acc',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#0062a3',
  '--vscode-button-secondaryBackground': '#5f6a79',
  '--vscode-button-secondaryForeground': '#ffffff',
  '--vscode-button-secondaryHoverBackground': '#4c5561',
  '--vscode-dropdown-background': '#ffffff',
  '--vscode-dropdown-foreground': '#616161',
  '--vscode-dropdown-border': '#cecece',
  '--vscode-editorWidget-background': '#f3f3f3',
  '--vscode-editorWidget-border': '#c8c8c8',
  '--vscode-inputValidation-errorBackground': '#f2dede',
  '--vscode-inputValidation-errorBorder': '#be1100',
  '--vscode-editorWarning-foreground': '#bf8803',
  '--vscode-testing-iconPassed': '#388a34',
  '--vscode-symbolIcon-functionForeground': '#652d90',
  '--vscode-symbolIcon-classForeground': '#d67e00',
  '--vscode-symbolIcon-variableForeground': '#007acc',
  '--vscode-debugTokenExpression-string': '#a31515',
  '--vscode-debugTokenExpression-number': '#098658',
  '--vscode-gitDecoration-addedResourceForeground': '#587c0c',
  '--vscode-gitDecoration-deletedResourceForeground': '#ad0707',
};

const highContrast: Record<string, string> = {
  ...fonts,
  '--vscode-foreground': '#ffffff',
  '--vscode-descriptionForeground': '#ffffffb3',
  '--vscode-errorForeground': '#f48771',
  '--vscode-focusBorder': '#f38518',
  '--vscode-contrastBorder': '#6fc3df',
  '--vscode-contrastActiveBorder': '#f38518',
  '--vscode-icon-foreground': '#ffffff',
  '--vscode-sideBar-background': '#000000',
  '--vscode-editor-background': '#000000',
  '--vscode-panel-border': '#6fc3df',
  '--vscode-textCodeBlock-background': '#000000',
  '--vscode-textLink-foreground': '#21a6ff',
  '--vscode-textLink-activeForeground': '#21a6ff',
  '--vscode-textBlockQuote-background': '#000000',
  '--vscode-textBlockQuote-border': '#ffffff',
  '--vscode-textPreformat-foreground': '#ffffff',
  '--vscode-input-background': '#000000',
  '--vscode-input-foreground': '#ffffff',
  '--vscode-input-border': '#6fc3df',
  '--vscode-input-placeholderForeground': '#ffffffb3',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-border': '#6fc3df',
  '--vscode-button-secondaryForeground': '#ffffff',
  '--vscode-dropdown-background': '#000000',
  '--vscode-dropdown-foreground': '#ffffff',
  '--vscode-dropdown-border': '#6fc3df',
  '--vscode-editorWidget-background': '#0c141f',
  '--vscode-editorWidget-border': '#6fc3df',
  '--vscode-inputValidation-errorBackground': '#000000',
  '--vscode-inputValidation-errorBorder': '#6fc3df',
  '--vscode-editorWarning-foreground': '#ffcc00',
  '--vscode-testing-iconPassed': '#73c991',
  '--vscode-symbolIcon-functionForeground': '#b180d7',
  '--vscode-symbolIcon-classForeground': '#ee9d28',
  '--vscode-symbolIcon-variableForeground': '#75beff',
  '--vscode-debugTokenExpression-string': '#f48771',
  '--vscode-debugTokenExpression-number': '#b5cea8',
  '--vscode-gitDecoration-addedResourceForeground': '#a1e3ad',
  '--vscode-gitDecoration-deletedResourceForeground': '#c74e39',
};

const highContrastLight: Record<string, string> = {
  ...fonts,
  '--vscode-foreground': '#292929',
  '--vscode-descriptionForeground': '#292929b3',
  '--vscode-errorForeground': '#b5200d',
  '--vscode-focusBorder': '#006bbd',
  '--vscode-contrastBorder': '#0f4a85',
  '--vscode-contrastActiveBorder': '#006bbd',
  '--vscode-icon-foreground': '#292929',
  '--vscode-sideBar-background': '#ffffff',
  '--vscode-editor-background': '#ffffff',
  '--vscode-panel-border': '#0f4a85',
  '--vscode-textCodeBlock-background': '#f2f2f2',
  '--vscode-textLink-foreground': '#0f4a85',
  '--vscode-textLink-activeForeground': '#0f4a85',
  '--vscode-textBlockQuote-background': '#f2f2f2',
  '--vscode-textBlockQuote-border': '#292929',
  '--vscode-textPreformat-foreground': '#000000',
  '--vscode-input-background': '#ffffff',
  '--vscode-input-foreground': '#292929',
  '--vscode-input-border': '#0f4a85',
  '--vscode-input-placeholderForeground': '#767676',
  '--vscode-button-background': '#0f4a85',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-border': '#0f4a85',
  '--vscode-button-hoverBackground': '#0f4a85',
  '--vscode-button-secondaryBackground': '#ffffff',
  '--vscode-button-secondaryForeground': '#292929',
  '--vscode-button-secondaryHoverBackground': '#ffffff',
  '--vscode-dropdown-background': '#ffffff',
  '--vscode-dropdown-foreground': '#292929',
  '--vscode-dropdown-border': '#0f4a85',
  '--vscode-editorWidget-background': '#ffffff',
  '--vscode-editorWidget-border': '#0f4a85',
  '--vscode-inputValidation-errorBackground': '#ffffff',
  '--vscode-inputValidation-errorBorder': '#b5200d',
  '--vscode-editorWarning-foreground': '#895503',
  '--vscode-testing-iconPassed': '#388a34',
  '--vscode-symbolIcon-functionForeground': '#652d90',
  '--vscode-symbolIcon-classForeground': '#d67e00',
  '--vscode-symbolIcon-variableForeground': '#007acc',
  '--vscode-debugTokenExpression-string': '#a31515',
  '--vscode-debugTokenExpression-number': '#098658',
  '--vscode-gitDecoration-addedResourceForeground': '#374e06',
  '--vscode-gitDecoration-deletedResourceForeground': '#ad0707',
};

export const themes: Theme[] = [
  { kind: 'light', bodyClasses: ['vscode-light'], variables: light },
  { kind: 'dark', bodyClasses: ['vscode-dark'], variables: dark },
  { kind: 'high-contrast', bodyClasses: ['vscode-high-contrast'], variables: highContrast },
  { kind: 'high-contrast-light', bodyClasses: ['vscode-high-contrast', 'vscode-high-contrast-light'], variables: highContrastLight },
];

/**
 * Applies a theme as VS Code does: variables on the <html> element's style, classes and
 * data-vscode-theme-kind on <body>. (Inline styles set from script are allowed by the CSP.)
 */
export async function applyTheme(page: Page, theme: Theme): Promise<void> {
  await page.evaluate(({ kind, bodyClasses, variables }) => {
    interface Styled { style: { setProperty(name: string, value: string): void }; removeAttribute(name: string): void }
    interface Body { classList: { add(...names: string[]): void; remove(...names: string[]): void }; dataset: Record<string, string> }
    const { document } = globalThis as unknown as { document: { documentElement: Styled; body: Body } };
    const root = document.documentElement;
    root.removeAttribute('style');
    for (const [name, value] of Object.entries(variables)) root.style.setProperty(name, value);
    document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast', 'vscode-high-contrast-light');
    document.body.classList.add(...bodyClasses);
    document.body.dataset.vscodeThemeKind = `vscode-${kind}`;
  }, theme);
}
