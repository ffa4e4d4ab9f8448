import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROUTES } from '@contract/routes';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('README routes table', () => {
  it.each(
    ROUTES.filter(
      (route) =>
        !route.path.startsWith('/api/docs/') && route.path !== '/' && route.path !== '/api/openapi.json',
    ).map((route) => [route.method, route.path]),
  )('lists %s %s', (method, path) => {
    expect(readme).toMatch(new RegExp(`\\| ${method}\\s+\\| \`${path.replace(/[{}]/g, '\\$&')}\``));
  });
});
