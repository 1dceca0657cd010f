import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { encodePng, screenshotPixel } from '../support/images/encoders';
import { startWorkbench, type Workbench } from './support/workbench';
import { getChatFrame, sendPrompt, setApiKeyThroughUi, waitForAssistantText } from './support/chat';
describe('debug explorer', function () {
  this.timeout(120_000);
  let wb: Workbench;
  before(async function () { this.timeout(180_000); wb = await startWorkbench(); await setApiKeyThroughUi(wb.page, 'test-key'); });
  after(async () => wb?.close());
  it('explorer after chat', async () => {
    const frame = await getChatFrame(wb.page);
    await sendPrompt(frame, 'first hello');
    await waitForAssistantText(frame, /./);
    writeFileSync(path.join(wb.profile.workspace, 'e2e-diagram.png'), encodePng(300, 200, screenshotPixel(300, 200)));
    await wb.page.keyboard.press('Control+Shift+E');
    const row = wb.page.getByRole('treeitem', { name: /e2e-diagram\.png/ });
    await row.waitFor({ timeout: 30_000 });
    await wb.page.screenshot({ path: '/tmp/dbg1.png' });
    await row.click({ button: 'right' });
    await wb.page.waitForTimeout(500);
    await wb.page.screenshot({ path: '/tmp/dbg2.png' });
    await wb.page.locator('.context-view .monaco-menu .action-item', { hasText: 'Attach Image…' }).click();
    await wb.page.waitForTimeout(3000);
    await wb.page.screenshot({ path: '/tmp/dbg3.png' });
  });
});
