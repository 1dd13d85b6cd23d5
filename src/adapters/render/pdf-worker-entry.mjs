// The entry of a PDF worker thread: TypeScript sources need tsx's loader, which a worker does not
// inherit from a parent that is not itself run by tsx (vitest's workers, say). The pool starts
// workers without the parent's --import flags, so the loader is registered here, once.
import { register } from 'tsx/esm/api';

register();
await import('./pdf-worker.ts');
