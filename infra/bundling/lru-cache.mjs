// Stands in for mnemonist's LRUCache in the Lambda bundles. Its one user there is
// @aws-sdk/endpoint-cache, the cache of DynamoDB's endpoint discovery, which every DynamoDB client
// builds and Cahier never turns on (endpointDiscoveryEnabled is left unset). mnemonist's typed-array
// cache and obliterator weigh ≈ 7 KiB minified in each function; this Map-based one does what
// EndpointCache calls: new (capacity), get (marks the key most recently used), set (evicts the
// least recently used beyond capacity), has, peek (does not mark) and clear.
// test/unit/lru-cache-stand-in.test.ts holds it to mnemonist's answers.
export default class LRUCache {
  constructor(capacity) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new Error('LRUCache: capacity should be a positive number.');
    this.capacity = capacity;
    this.items = new Map();
  }

  get size() {
    return this.items.size;
  }

  get(key) {
    if (!this.items.has(key)) return undefined;
    const value = this.items.get(key);
    this.items.delete(key);
    this.items.set(key, value);
    return value;
  }

  set(key, value) {
    this.items.delete(key);
    this.items.set(key, value);
    if (this.items.size > this.capacity) this.items.delete(this.items.keys().next().value);
    return this;
  }

  has(key) {
    return this.items.has(key);
  }

  peek(key) {
    return this.items.get(key);
  }

  clear() {
    this.items.clear();
  }
}
