// The entry of the embedded servers' child process (src/adapters/local/embedded-aws-process.ts):
// TypeScript sources need tsx's loader, which the child does not inherit from a parent that is not
// itself run by tsx (vitest's workers, say). The parent forks it without its own --import flags,
// so the loader is registered here, once.
import { register } from 'tsx/esm/api';

register();
await import('./embedded-aws-child.ts');
