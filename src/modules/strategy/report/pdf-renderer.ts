import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DIWAN_CONFIG } from '../../../platform/config/config.tokens.js';
import type { DiwanConfig } from '../../../platform/config/config.js';
import { DomainException } from '../../../platform/errors/domain-exception.js';
import { ROOT_LOGGER } from '../../../platform/logging/logger.tokens.js';
import { StrategyErrors } from '../errors/strategy.errors.js';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * HTML to PDF in headless Chromium (Debian's `chromium`), which shapes Arabic and orders
 * bidirectional text correctly. One browser per document: reports are rare and this keeps no
 * process alive between them. The page has no network: everything is inline.
 */
@Injectable()
export class PdfRenderer {
  constructor(
    @Inject(DIWAN_CONFIG) private readonly config: DiwanConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async render(html: string): Promise<Buffer> {
    const { chromium } = await import('playwright-core');
    let browser;
    try {
      browser = await chromium.launch({
        executablePath: this.config.reports.chromiumPath,
        args: CHROMIUM_ARGS,
      });
    } catch (e) {
      this.logger.error({ err: e }, 'reports: cannot start headless Chromium');
      throw new DomainException(
        StrategyErrors.PDF_RENDERER_UNAVAILABLE,
        `Headless Chromium could not be started from ${this.config.reports.chromiumPath}`,
      );
    }
    try {
      const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
      const page = await context.newPage();
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    } finally {
      await browser.close();
    }
  }
}
