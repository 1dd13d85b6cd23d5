import type { DocumentStore } from '#src/app/ports/document-store.ts';

/**
 * A document store that lists the key of each call of `method` it passes on (every other method
 * passes through unchanged): to assert what a use case writes or reads, on any store.
 */
export function recordingKeys(store: DocumentStore, method: 'put' | 'get' | 'delete'): { documents: DocumentStore; keys: string[] } {
  const keys: string[] = [];
  const documents = new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property !== method) return value.bind(target);
      return (key: string, ...rest: unknown[]) => (keys.push(key), (value as (...args: unknown[]) => unknown).call(target, key, ...rest));
    },
  });
  return { documents, keys };
}
