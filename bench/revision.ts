import { execFileSync } from 'node:child_process';

/**
 * The commit a benchmark measured, as its report prints it: the short hash, « + uncommitted
 * changes » when tracked files differ from it, « unknown » outside a git checkout.
 */
export function revision(root: string): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return 'unknown';
  }
}
