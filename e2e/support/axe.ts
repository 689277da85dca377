// Accessibility scan with axe-core: every rule axe runs by default, WCAG 2.1 AA included.
import AxeBuilder from '@axe-core/playwright';
import { expect, Page } from '@playwright/test';

export async function expectNoAxeViolations(page: Page, state: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  expect(summary, `axe violations in state "${state}"`).toEqual([]);
}
