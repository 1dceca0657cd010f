// The chat view under axe-core in VS Code's four kinds of theme, with every kind of content the
// view shows: no serious or critical violation anywhere; the moderate ones are counted and printed.
// A failing state leaves a screenshot per theme kind in test-results/.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { a11yStates } from './support/a11yStates';
import { runAxe } from './support/axe';
import { useChatPage } from './support/chatPage';
import { applyTheme, themes } from './support/themes';

const resultsDir = resolve(__dirname, '../../test-results');
const moderateCounts: string[] = [];

describe('accessibility under axe-core (Chromium)', function () {
  this.timeout(60_000);
  const chat = useChatPage({ viewport: { width: 420, height: 1400 } });

  after(() => {
    if (moderateCounts.length) console.log(`      moderate axe violations (nodes):\n${moderateCounts.map((line) => `        ${line}`).join('\n')}`);
  });

  for (const theme of themes) {
    for (const state of a11yStates) {
      it(`${theme.kind}: ${state.name}`, async () => {
        const page = chat().page;
        await applyTheme(page, theme);
        await state.setup(chat());
        await chat().nextFrame();
        const summary = await runAxe(page);
        moderateCounts.push(`${theme.kind} / ${state.name}: ${summary.countsByImpact.moderate} (${summary.moderateRules.join(', ') || 'none'})`);
        if (summary.blocking.length) {
          await mkdir(resultsDir, { recursive: true });
          const file = join(resultsDir, `a11y-${theme.kind}-${state.name.replace(/[^a-z0-9]+/gi, '-')}.png`);
          await page.screenshot({ path: file, fullPage: true });
          assert.fail(`${summary.blocking.length} serious/critical axe violations (screenshot: ${file}):\n${summary.blocking.join('\n')}`);
        }
      });
    }
  }
});
