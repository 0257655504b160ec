import { useState } from 'react';
import { createBrowserRouter, RouterProvider, type RouteObject } from 'react-router';

import { paths } from '@/config/paths';

import { RootLayout } from './layout';
import { HomeRoute } from './routes/home';
import { PageError, PageLoader, PageOutlet } from './routes/page-fallbacks';
import { RequireAuth } from './routes/require-auth';

// Exported so tests can mount the same tree in a memory router. Every page but the home page is
// lazy: Vite emits it (with what only it uses) as its own chunk, fetched on the first visit.
// `lazy` is a function: react-router clears the object form's keys in place, which would break
// this shared tree for a second router.
export const routes: RouteObject[] = [
  {
    element: <RootLayout />,
    errorElement: <PageError />,
    children: [
      {
        // Inside the shell: a loader while a page's chunk loads, an error with a reload if it fails.
        element: <PageOutlet />,
        hydrateFallbackElement: <PageLoader />,
        errorElement: <PageError />,
        children: [
          { index: true, element: <HomeRoute /> },
          {
            path: paths.learnwares.path,
            lazy: async () => ({
              Component: (await import('./routes/learnwares')).LearnwaresRoute,
            }),
          },
          {
            path: paths.learnware.path,
            lazy: async () => ({ Component: (await import('./routes/learnware')).LearnwareRoute }),
          },
          {
            path: paths.search.path,
            lazy: async () => ({ Component: (await import('./routes/search')).SearchRoute }),
          },
          {
            path: paths.login.path,
            lazy: async () => ({ Component: (await import('./routes/login')).LoginRoute }),
          },
          {
            path: paths.register.path,
            lazy: async () => ({ Component: (await import('./routes/register')).RegisterRoute }),
          },
          {
            path: paths.verifyEmail.path,
            lazy: async () => ({
              Component: (await import('./routes/verify-email')).VerifyEmailRoute,
            }),
          },
          {
            path: paths.forgotPassword.path,
            lazy: async () => ({
              Component: (await import('./routes/forgot-password')).ForgotPasswordRoute,
            }),
          },
          {
            path: paths.resetPassword.path,
            lazy: async () => ({
              Component: (await import('./routes/reset-password')).ResetPasswordRoute,
            }),
          },
          {
            element: <RequireAuth />,
            children: [
              {
                path: paths.submit.path,
                lazy: async () => ({ Component: (await import('./routes/submit')).SubmitRoute }),
              },
              {
                path: paths.myLearnwares.path,
                lazy: async () => ({
                  Component: (await import('./routes/my-learnwares')).MyLearnwaresRoute,
                }),
              },
              {
                path: paths.notifications.path,
                lazy: async () => ({
                  Component: (await import('./routes/notifications')).NotificationsRoute,
                }),
              },
              {
                path: paths.account.path,
                lazy: async () => ({ Component: (await import('./routes/account')).AccountRoute }),
              },
            ],
          },
          {
            element: <RequireAuth staff />,
            children: [
              {
                path: paths.adminConsole.path,
                lazy: async () => ({
                  Component: (await import('./routes/admin-console')).AdminConsoleRoute,
                }),
              },
            ],
          },
          {
            path: '*',
            lazy: async () => ({ Component: (await import('./routes/not-found')).NotFoundRoute }),
          },
        ],
      },
    ],
  },
];

export function AppRouter() {
  const [router] = useState(() => createBrowserRouter(routes));
  return <RouterProvider router={router} />;
}
