// axe-core inside the chat page. The page's CSP allows no inline script, so axe's source is
// evaluated through the DevTools protocol (page.evaluate), which the CSP does not govern.
import { source as axeSource, type AxeResults, type ImpactValue } from 'axe-core';
import type { Page } from 'playwright-core';

export interface AxeSummary {
  /** Violations of impact serious or critical, one line per rule and node. */
  blocking: string[];
  countsByImpact: Record<Exclude<ImpactValue, null>, number>;
  /** Rule ids of the moderate violations with their node counts, e.g. `region×3`. */
  moderateRules: string[];
}

export async function runAxe(page: Page): Promise<AxeSummary> {
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(axeSource);
  const results = await page.evaluate(() => (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<AxeResults> } }).axe.run(
    (globalThis as unknown as { document: unknown }).document,
    { resultTypes: ['violations'] },
  ));
  const countsByImpact = { minor: 0, moderate: 0, serious: 0, critical: 0 };
  const blocking: string[] = [];
  const moderateRules: string[] = [];
  for (const violation of results.violations) {
    const impact = violation.impact ?? 'minor';
    countsByImpact[impact] += violation.nodes.length;
    if (impact === 'moderate') moderateRules.push(`${violation.id}×${violation.nodes.length}`);
    if (impact !== 'serious' && impact !== 'critical') continue;
    for (const node of violation.nodes) blocking.push(`${impact} ${violation.id}: ${node.target.join(' ')} — ${node.failureSummary?.replace(/\s+/g, ' ') ?? violation.help}`);
  }
  return { blocking, countsByImpact, moderateRules };
}
