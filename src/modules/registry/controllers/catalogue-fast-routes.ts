import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PublicFastRoutes } from '../../../platform/http/public-fast-routes.js';
import { SearchServicesQuery } from '../dto/catalogue.dto.js';
import { CatalogueService } from '../services/catalogue.service.js';
import { pickLanguage, sendSearchPage, sendServicePage } from './catalogue.controller.js';

/**
 * The plain happy path of the two busiest public routes, served by the platform's lean routes
 * before Express and Nest (see `PublicFastRoutes` for why). Each answers with the controller's own
 * function, so status, headers and body are the controller's; anything else is declined and
 * `CatalogueController` answers it as before:
 *   - `GET /v1/services/:code` without a query string (`?version=` and any other parameter go
 *     to the controller, which validates them); a service that is not found, too (its 404
 *     problem comes from Nest's filter);
 *   - `GET /v1/services` whose query string the search DTO's `fromValidInput` accepts as
 *     certainly valid (what it would not, class-validator checks in the controller); a bad
 *     cursor or any error, too.
 */
@Injectable()
export class CatalogueFastRoutes implements OnModuleInit {
  constructor(
    private readonly routes: PublicFastRoutes,
    private readonly catalogue: CatalogueService,
  ) {}

  onModuleInit(): void {
    this.routes.get('/v1/services', async (req, res) => {
      const query = SearchServicesQuery.fromValidInput(req.query());
      if (!query) return false;
      await sendSearchPage(
        this.catalogue,
        res,
        query,
        pickLanguage(req.headers['accept-language']),
      );
      return true;
    });
    this.routes.get('/v1/services/:code', async (req, res) => {
      if (req.hasQuery) return false;
      await sendServicePage(
        this.catalogue,
        res,
        req.params.code,
        pickLanguage(req.headers['accept-language']),
        undefined,
        req.headers['if-none-match'],
      );
      return true;
    });
  }
}
