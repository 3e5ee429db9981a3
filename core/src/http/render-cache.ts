import { gzipSync } from 'node:zlib';
import type { ServiceStatus } from '../status/status-store.js';

/** A rendered service and the fields it was rendered from. */
interface Fragment {
  readonly lastCheck: number | undefined;
  readonly lastDurationMs: number | undefined;
  readonly monitor: string;
  readonly status: string;
  readonly statusBits: number;
  readonly mode: string;
  readonly onreboot: string;
  readonly observations: object;
  readonly text: string;
}

/**
 * Whether `s` still looks as it did when `f` was rendered. The engine mutates `ServiceStatus`
 * in place, but every check ends by setting `lastCheck` and `lastDurationMs` (`observations` is
 * a view merged when read, a new object once a check moved a piece of it), and user actions
 * change `monitor`/`status`.
 * Compared field by field, without allocating: this runs for every service on every request.
 */
function unchanged(f: Fragment, s: ServiceStatus): boolean {
  return f.lastCheck === s.lastCheck && f.lastDurationMs === s.lastDurationMs && f.monitor === s.monitor && f.status === s.status &&
    f.statusBits === s.statusBits && f.mode === s.mode && f.onreboot === s.onreboot && f.observations === s.observations;
}

/** One renderer's output per service, re-rendered only when the service changed. */
class FragmentCache {
  private readonly entries = new WeakMap<ServiceStatus, Fragment>();

  constructor(private readonly render: (s: ServiceStatus) => string) {}

  get(s: ServiceStatus): string {
    const hit = this.entries.get(s);
    if (hit && unchanged(hit, s)) return hit.text;
    const text = this.render(s);
    const { lastCheck, lastDurationMs, monitor, status, statusBits, mode, onreboot, observations } = s;
    this.entries.set(s, { lastCheck, lastDurationMs, monitor, status, statusBits, mode, onreboot, observations, text });
    return text;
  }
}

const MAX_DOCUMENTS = 32;

/** A rendered document: its bytes, and the same gzipped, made on first demand and kept. */
export interface RenderedDocument {
  readonly body: Buffer;
  readonly gzipped: () => Buffer;
}

interface Document extends RenderedDocument {
  readonly head: string;
  readonly parts: string[];
}

/**
 * Rendered status documents (text, XML), so a busy `/_status` costs a comparison per service
 * instead of a rendering per service: a document is rebuilt only when its head (uptime) or
 * one of its services changed since the last request. Bounded: at most {@link MAX_DOCUMENTS}
 * (format, level, filter) combinations are kept.
 */
export class StatusRenderCache {
  private readonly fragments = new Map<string, FragmentCache>();
  private readonly documents = new Map<string, Document>();

  /**
   * The document `head + fragments + tail` as bytes. `kind` names the fragment renderer
   * (one per distinct `render`); `key` names the document (kind plus filter).
   */
  document(kind: string, key: string, render: (s: ServiceStatus) => string, head: string, services: readonly ServiceStatus[], tail: string): RenderedDocument {
    let fragments = this.fragments.get(kind);
    if (!fragments) {
      fragments = new FragmentCache(render);
      this.fragments.set(kind, fragments);
    }
    const cached = this.documents.get(key);
    if (cached && cached.head === head && cached.parts.length === services.length) {
      let i = 0;
      while (i < services.length && fragments.get(services[i]!) === cached.parts[i]) i++;
      if (i === services.length) return cached;
    }
    const parts = services.map((s) => fragments.get(s));
    const body = Buffer.from(`${head}${parts.join('')}${tail}`);
    if (!cached && this.documents.size >= MAX_DOCUMENTS) this.documents.clear();
    let zipped: Buffer | undefined;
    // Level 1: status text compresses ~10× even so, and a change costs one pass of a few ms.
    const doc: Document = { head, parts, body, gzipped: () => (zipped ??= gzipSync(body, { level: 1 })) };
    this.documents.set(key, doc);
    return doc;
  }
}
