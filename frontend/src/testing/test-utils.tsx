import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { createMemoryRouter, RouterProvider } from 'react-router';

import { AppProvider } from '@/app/provider';
import { routes } from '@/app/router';
import type { components } from '@/lib/api/schema';
import { createQueryClient } from '@/lib/react-query';

import { aUser } from './data';
import { server } from './mocks/server';

/** Render the whole app (providers, layout, routes) at `path`, with a fresh query cache. */
export function renderApp(path = '/') {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const user = userEvent.setup();
  const view = render(
    <AppProvider queryClient={createQueryClient({ retry: false })}>
      <RouterProvider router={router} />
    </AppProvider>,
  );
  return { ...view, user, router };
}

/** Make `/api/users/me/` answer this user, so the app renders signed in. */
export function signedInAs(overrides: Partial<components['schemas']['UserMeOutput']> = {}) {
  const me = aUser(overrides);
  server.use(http.get('*/api/users/me/', () => HttpResponse.json(me)));
  return me;
}
