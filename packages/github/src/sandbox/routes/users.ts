/** /user and /users/{username}. */
import type { Router } from '../http.ts';

export function userRoutes(router: Router): void {
  router.get(
    '/user',
    { scopes: 'user', docs: 'https://docs.github.com/rest/users/users#get-the-authenticated-user' },
    (ctx) => {
      const u = ctx.s.user(ctx.login);
      if (!u) throw ctx.notFound();
      return { status: 200, body: ctx.shape.privateUser(u) };
    },
  );

  router.get(
    '/users/:username',
    { scopes: 'user', docs: 'https://docs.github.com/rest/users/users#get-a-user' },
    (ctx) => {
      const u = ctx.s.user(ctx.param('username'));
      if (!u || u.login === 'web-flow') throw ctx.notFound();
      return { status: 200, body: ctx.shape.publicUser(u) };
    },
  );
}
