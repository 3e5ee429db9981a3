import type { AlertMessage, EventStore } from '@warden/sdk';

/** Without `set eventqueue`: undelivered alerts are kept in memory (bounded) until delivered or warden stops. */
export class MemoryStore implements EventStore {
  private readonly messages = new Map<string, AlertMessage>();

  constructor(private readonly limit = 1000) {}

  add(msg: AlertMessage): Promise<string> {
    if (this.messages.size >= this.limit) return Promise.reject(new Error(`${this.limit} undelivered events are kept in memory already (set eventqueue to keep more, on disk)`));
    this.messages.set(msg.id, msg);
    return Promise.resolve(this.where(msg.id));
  }

  list(): Promise<AlertMessage[]> {
    return Promise.resolve([...this.messages.values()]);
  }

  remove(id: string): Promise<void> {
    this.messages.delete(id);
    return Promise.resolve();
  }

  where(id: string): string {
    return `memory:${id}`;
  }
}
