type Json = Record<string, unknown>;

const html = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const style = `
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#222}
h1{margin-bottom:0}section{border-top:1px solid #ddd;padding:.5rem 0}
.m{display:inline-block;min-width:4.5rem;font-weight:700;font-family:monospace}
.GET{color:#1565c0}.POST{color:#2e7d32}.PUT{color:#ef6c00}.DELETE{color:#c62828}
code,pre{font-family:ui-monospace,monospace;font-size:13px}pre{background:#f6f8fa;padding:.5rem;overflow:auto}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
.auth{font-size:13px;background:#fff3e0;padding:0 .4rem;border-radius:3px}`;

/** A `$ref` as a link to the schema on the page; anything else as compact JSON. */
function schemaLink(schema: unknown): string {
  const target = (schema as { $ref?: string } | undefined)?.$ref;
  if (target) {
    const name = target.split('/').at(-1) ?? '';
    return `<a href="#schema-${html(name)}">${html(name)}</a>`;
  }
  return `<code>${html(JSON.stringify(schema))}</code>`;
}

function contentSchema(content: unknown): string {
  const [type, media] = Object.entries((content ?? {}) as Record<string, { schema?: unknown }>)[0] ?? [];
  return type ? `${schemaLink(media?.schema)} <small>(${html(type)})</small>` : '';
}

function renderOperation(path: string, method: string, operation: Json): string {
  const verb = method.toUpperCase();
  const access = operation['x-required-role']
    ? 'bearer token, admin role'
    : operation.security
      ? 'bearer token'
      : 'none';
  const parameters = (operation.parameters ?? []) as Json[];
  const rows = parameters
    .map(
      (p) =>
        `<tr><td><code>${html(String(p.name))}</code></td><td>${html(String(p.in))}</td>` +
        `<td>${p.required ? 'yes' : 'no'}</td><td>${schemaLink(p.schema)}</td></tr>`,
    )
    .join('');
  const body = operation.requestBody as { content?: unknown } | undefined;
  const responses = Object.entries(operation.responses as Record<string, Json>)
    .map(
      ([status, response]) =>
        `<li><b>${html(status)}</b> ${html(String(response.description))} ${contentSchema(response.content)}</li>`,
    )
    .join('');
  return `<section id="${html(String(operation.operationId))}">
<h3><span class="m ${verb}">${verb}</span><code>${html(path)}</code> <span class="auth">auth: ${access}</span></h3>
<p>${html(String(operation.summary ?? ''))}</p>
${rows ? `<table><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th></tr>${rows}</table>` : ''}
${body ? `<p>Request body: ${contentSchema(body.content)}</p>` : ''}
<ul>${responses}</ul></section>`;
}

/** A readable, self-contained page (no scripts, no external assets) listing every operation and schema. */
export function renderDocsPage(document: Json): string {
  const info = document.info as { title: string; version: string; description: string };
  const operations = Object.entries(document.paths as Record<string, Record<string, Json>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => renderOperation(path, method, operation)),
  );
  const schemas = Object.entries((document.components as { schemas: Record<string, unknown> }).schemas).map(
    ([name, schema]) =>
      `<section id="schema-${html(name)}"><h3>${html(name)}</h3><pre>${html(JSON.stringify(schema, null, 2))}</pre></section>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${html(info.title)}</title><style>${style}</style></head>
<body><h1>${html(info.title)} <small>${html(info.version)}</small></h1>
<p>${html(info.description)}</p>
<p>Machine-readable: <a href="/api/docs/openapi.json">OpenAPI 3.1 document</a>. Authenticate with
<code>Authorization: Bearer &lt;accessToken&gt;</code> from <code>POST /api/auth/login</code>.</p>
<h2>Operations</h2>${operations.join('\n')}
<h2>Schemas</h2>${schemas.join('\n')}
</body></html>`;
}
