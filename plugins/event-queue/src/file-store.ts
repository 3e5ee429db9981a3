import { mkdirSync, readdirSync } from 'node:fs';
import { open, readFile, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AlertMessage, EventStore, Logger } from '@warden/sdk';
import type { EventQueueSetting } from './eventqueue-setting.js';

const EVENT_FILE = /^\d+_\d+\.json$/;

/** fsync a file or folder by path. */
async function sync(path: string, flags = 'r'): Promise<void> {
  const fh = await open(path, flags);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * One JSON file per event, `<epoch-ms>_<seq>.json`, so the names sort in the order the
 * events were raised. A file is written under a temporary name, synced, renamed into place
 * and the folder synced: a crash leaves the whole event or none of it. A `<id>.sending`
 * marker is made before each delivery, so an event found with one after a crash is known
 * to have maybe been delivered already.
 */
export class FileStore implements EventStore {
  private count: number;

  constructor(
    private readonly setting: EventQueueSetting,
    private readonly log: Logger,
  ) {
    try {
      mkdirSync(setting.basedir, { recursive: true, mode: 0o700 });
    } catch (err) {
      log.error(`Event queue: cannot create the folder ${setting.basedir} -- ${(err as Error).message}`);
    }
    try {
      this.count = readdirSync(setting.basedir).filter((f) => EVENT_FILE.test(f)).length;
    } catch {
      this.count = 0;
    }
  }

  where(id: string): string {
    return join(this.setting.basedir, `${id}.json`);
  }

  async add(msg: AlertMessage): Promise<string> {
    const { slots, basedir } = this.setting;
    if (slots !== undefined && this.count >= slots) {
      throw new Error(`the event queue ${basedir} is full (${slots} slots): ${msg.event.text} ${msg.event.service} is not queued; the ${slots} oldest are kept`);
    }
    const path = this.where(msg.id);
    const tmp = join(basedir, `.${msg.id}.tmp`);
    try {
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.writeFile(JSON.stringify(msg));
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, path);
      await sync(basedir);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw new Error(`cannot write ${path} -- ${(err as Error).message}`);
    }
    this.count++;
    return path;
  }

  async list(): Promise<AlertMessage[]> {
    const names = (await readdir(this.setting.basedir)).sort();
    const sending = new Set(names.filter((n) => n.endsWith('.sending')).map((n) => n.slice(0, -'.sending'.length)));
    const out: AlertMessage[] = [];
    for (const name of names.filter((n) => EVENT_FILE.test(n))) {
      const path = join(this.setting.basedir, name);
      try {
        const msg = JSON.parse(await readFile(path, 'utf8')) as AlertMessage;
        out.push(sending.has(msg.id) ? { ...msg, maybeSent: true } : msg);
      } catch (err) {
        this.log.error(`Event queue: ${path} is unreadable, moved aside to ${path}.bad -- ${(err as Error).message}`);
        await rename(path, `${path}.bad`).catch(() => undefined);
      }
    }
    this.count = out.length;
    return out;
  }

  async markSending(id: string): Promise<void> {
    await writeFile(join(this.setting.basedir, `${id}.sending`), '');
  }

  async remove(id: string): Promise<void> {
    await unlink(this.where(id));
    this.count = Math.max(0, this.count - 1);
    await unlink(join(this.setting.basedir, `${id}.sending`)).catch(() => undefined);
    await sync(this.setting.basedir);
  }
}
