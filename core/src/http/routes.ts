import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HTTPVersion, Instance } from 'find-my-way';
import type { ServiceStatus } from '../status/status-store.js';
import type { HttpContext, UserAction } from './http-context.js';
import type { Reply, Request } from './server.js';
import { StatusRenderCache } from './render-cache.js';
import { header, serviceBlock, summaryText, reportText } from './status-text.js';
import { XML_TAIL, xmlHead, xmlService } from './status-xml.js';

/** A route handler: the request and the CSRF token the page must echo. */
export type Handler = (req: Request, token: string) => Promise<Reply> | Reply;

const USER_ACTIONS: readonly UserAction[] = ['start', 'stop', 'restart', 'monitor', 'unmonitor'];
const STATIC_FILES: Readonly<Record<string, string>> = {
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/** Monit's endpoints (reference H1–H12) plus JSON, `/metrics` and `/healthz`. */
export function registerRoutes(router: Instance<HTTPVersion.V1>, ctx: HttpContext): void {
  const add = (methods: Array<'GET' | 'POST'>, path: string, handler: Handler) => {
    router.on(methods, path, handler as never);
  };
  const uptime = () => Math.floor((Date.now() - ctx.store.startedAt) / 1000);
  const page = (token: string): Reply => ({
    type: 'text/html; charset=utf-8',
    body: readFileSync(join(ctx.webRoot, 'index.html'), 'utf8').replace('__CSRF_TOKEN__', token),
  });

  add(['GET'], '/', (_req, token) => page(token));
  add(['GET'], '/_static/:file', (req) => {
    const file = req.params.file ?? '';
    const type = STATIC_FILES[file];
    if (!type) return { status: 404, body: 'Not found\n' };
    return { type, body: readFileSync(join(ctx.webRoot, file)) };
  });

  // Status documents are re-rendered only for services that changed since the last request.
  const cache = new StatusRenderCache();
  const textBlock = (s: ServiceStatus) => `${serviceBlock(s)}\n\n`;
  const xmlFull = (s: ServiceStatus) => xmlService(s, false);
  const xmlSummary = (s: ServiceStatus) => xmlService(s, true);
  const status: Handler = (req) => {
    const names = req.fields.getAll('service');
    const services = selected(ctx.store.all(), names);
    if (services === undefined) return { status: 404, body: `Service '${names.join(', ')}' not found\n` };
    const format = req.fields.get('format') ?? 'text';
    const filter = names.join('\n');
    if (format === 'xml') {
      // `level=summary` (newer Monit; 5.33 ignores it): no type-specific elements.
      const kind = req.fields.get('level') === 'summary' ? 'xml-summary' : 'xml';
      const doc = cache.document(kind, `${kind}|${filter}`, kind === 'xml' ? xmlFull : xmlSummary, xmlHead(ctx.control.serverInfo()), services, XML_TAIL);
      return { type: 'text/xml; charset=ISO-8859-1', body: doc.body, gzipped: doc.gzipped };
    }
    if (format === 'json') return { type: 'application/json', body: JSON.stringify({ ...statusJson(ctx, services, uptime()), viewer: req.principal }) };
    const doc = cache.document('text', `text|${filter}`, textBlock, `${header(ctx.version, uptime())}\n\n`, services, '');
    return { body: doc.body, gzipped: doc.gzipped };
  };
  add(['GET', 'POST'], '/_status', status);
  add(['GET', 'POST'], '/_status2', status);
  add(['GET', 'POST'], '/_summary', (req) => {
    const services = selected(ctx.store.all(), req.fields.getAll('service'));
    if (services === undefined) return { status: 404, body: `Service '${req.fields.getAll('service').join(', ')}' not found\n` };
    return { body: summaryText(ctx.version, uptime(), services) };
  });
  add(['GET', 'POST'], '/_report', (req) => ({ body: reportText(ctx.store.all(), req.fields.get('type') ?? undefined) }));
  add(['POST'], '/_doaction', (req) => doAction(ctx, req, req.fields.getAll('service'), '/_summary'));
  add(['GET'], '/_ping', () => ({ body: 'pong' }));
  add(['GET'], '/_getid', () => ({ body: ctx.control.serverInfo().id }));
  add(['GET'], '/healthz', () => ({
    type: 'application/json',
    body: JSON.stringify({ status: 'ok', version: ctx.version, uptime: uptime(), lastCycle: ctx.store.lastCycle ?? null }),
  }));
  add(['GET'], '/metrics', async (req) => {
    const open = req.accept.includes('application/openmetrics-text');
    const registry = await ctx.registry(open);
    return { type: registry.contentType, body: await registry.metrics() };
  });
  add(['GET'], '/api/services', (req) => ({ type: 'application/json', body: JSON.stringify({ ...statusJson(ctx, ctx.store.all(), uptime()), viewer: req.principal }) }));
  add(['GET'], '/api/services/:name', (req) => {
    const s = ctx.store.get(req.params.name ?? '');
    const detail = ctx.control.serviceDetail(req.params.name ?? '');
    if (!s || !detail) return notFound(req.params.name ?? '');
    return { type: 'application/json', body: JSON.stringify({ ...serviceJson(s), ...detail }) };
  });
  add(['GET'], '/:service', (req, token) => (ctx.store.get(req.params.service ?? '') ? page(token) : notFound(req.params.service ?? '')));
  add(['POST'], '/:service', (req) => doAction(ctx, req, [req.params.service ?? ''], `/${encodeURIComponent(req.params.service ?? '')}`));
}

function notFound(name: string): Reply {
  return { status: 404, body: `There is no service named "${name}"\n` };
}

/** The services named (all when none), or undefined when one does not exist. */
function selected(all: ServiceStatus[], names: string[]): ServiceStatus[] | undefined {
  if (names.length === 0) return all;
  const out = all.filter((s) => names.includes(s.name));
  return out.length === names.length ? out : undefined;
}

/** `action=start|stop|restart|monitor|unmonitor&service=A&service=B`: 302 when queued (Monit H8). */
function doAction(ctx: HttpContext, req: Request, names: string[], back: string): Reply {
  const action = req.fields.get('action') as UserAction | null;
  if (!action || !USER_ACTIONS.includes(action)) return { status: 400, body: `Invalid action "${action ?? ''}"\n` };
  if (req.principal.readOnly) return { status: 403, body: 'You do not have sufficient privileges to access this page\n' };
  if (names.length === 0) return { status: 400, body: 'Please specify a service name\n' };
  const unknown = names.find((n) => !ctx.store.get(n));
  if (unknown !== undefined) return { status: 400, body: `There is no service named "${unknown}"\n` };
  for (const name of names) ctx.control.userAction(action, name);
  return { status: 302, headers: { location: back }, body: `${action} ${names.join(', ')}: queued\n` };
}

function serviceJson(s: ServiceStatus): Record<string, unknown> {
  return {
    name: s.name, type: s.type, status: s.status, monitor: s.monitor, mode: s.mode, onreboot: s.onreboot,
    groups: s.groups, lastCheck: s.lastCheck ?? null, lastDurationMs: s.lastDurationMs ?? null,
    failing: s.failingEvents, observations: s.observations, rules: s.rules,
  };
}

/** `/_status?format=json`: what Monit lacks. */
function statusJson(ctx: HttpContext, services: readonly ServiceStatus[], uptime: number): Record<string, unknown> {
  const info = ctx.control.serverInfo();
  return {
    warden: { version: ctx.version, id: info.id, uptime, poll: info.poll, host: info.localhostname, controlfile: info.controlfile, lastCycle: ctx.store.lastCycle ?? null },
    services: services.map(serviceJson),
  };
}
