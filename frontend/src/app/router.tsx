import { useState } from 'react';
import { createBrowserRouter, RouterProvider, type RouteObject } from 'react-router';

import { AppLayout } from '@/components/layouts/app-layout';
import { paths } from '@/config/paths';

import { HomeRoute } from './routes/home';
import { LearnwaresRoute } from './routes/learnwares';
import { NotFoundRoute } from './routes/not-found';
import { SubmitRoute } from './routes/submit';

// Exported so tests can mount the same tree in a memory router.
export const routes: RouteObject[] = [
  {
    element: <AppLayout />,
    children: [
      { index: true, element: <HomeRoute /> },
      { path: paths.learnwares.path, element: <LearnwaresRoute /> },
      { path: paths.submit.path, element: <SubmitRoute /> },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
];

export function AppRouter() {
  const [router] = useState(() => createBrowserRouter(routes));
  return <RouterProvider router={router} />;
}
