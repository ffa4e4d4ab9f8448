import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '@test/local-stack';

/*
 * `import { z } from 'zod'` binds zod's namespace object, which esbuild cannot tree-shake: every Lambda that
 * validates anything then carries all of zod (~444 KB minified). `import * as z from 'zod'` is the same API
 * and lets esbuild keep what is used (API bundles went from ~500 KB to ~150 KB; see README "Benchmarks").
 */
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });

it('bundled code imports zod as a module namespace, never its `z` object', () => {
  const offenders = ['src', 'functions']
    .flatMap((dir) => sources(join(REPO_ROOT, dir)))
    .filter((file) => /^import\s*\{[^}]*\bz\b[^}]*\}\s*from\s*'zod'/m.test(readFileSync(file, 'utf8')))
    .map((file) => relative(REPO_ROOT, file));
  expect(offenders).toEqual([]);
});
