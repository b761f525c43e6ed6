// The form steps every e2e spec uses to make the experiment small enough for software
// WebGPU: a custom ResNet (blocks per stage, width), batch size, steps, no warmup.
import type { Page } from '@playwright/test';

export interface TinyNet {
  blocks?: string;
  width?: number;
  batch?: number;
  steps: number;
}

export async function configureTinyNet(page: Page, { blocks = '1,1,1', width = 8, batch = 8, steps }: TinyNet): Promise<void> {
  await page.getByLabel('Preset').selectOption('custom');
  await page.getByLabel('Blocks per stage').fill(blocks);
  await page.getByLabel('Width', { exact: true }).fill(String(width));
  await page.getByLabel('Batch size').fill(String(batch));
  await page.getByLabel('Steps', { exact: true }).fill(String(steps));
  await page.getByLabel('Warmup').fill('0');
}
