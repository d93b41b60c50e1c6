import type Router from '@koa/router';
import { renderDocsPage } from '../docs/docs-page';
import { openApiDocument } from '../docs/openapi-document';

/** GET /api/docs (a page for people) and GET /api/docs/openapi.json (for tools), both generated once at start. */
export function docsRoutes(router: Router): void {
  const document = openApiDocument();
  const json = JSON.stringify(document, null, 2);
  const page = renderDocsPage(document);
  router.get('/docs', (ctx) => {
    // The page is one document with an inline style and no script: nothing else may load or frame it.
    ctx.set(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = page;
  });
  router.get('/docs/openapi.json', (ctx) => {
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = json;
  });
}
