export default class LRUCache<K = unknown, V = unknown> {
  constructor(capacity: number);
  readonly size: number;
  get(key: K): V | undefined;
  set(key: K, value: V): this;
  has(key: K): boolean;
  peek(key: K): V | undefined;
  clear(): void;
}
