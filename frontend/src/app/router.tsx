import { useState } from 'react';
import { createBrowserRouter, RouterProvider, type RouteObject } from 'react-router';

import { paths } from '@/config/paths';

import { RootLayout } from './layout';
import { AccountRoute } from './routes/account';
import { AdminConsoleRoute } from './routes/admin-console';
import { ForgotPasswordRoute } from './routes/forgot-password';
import { HomeRoute } from './routes/home';
import { LearnwareRoute } from './routes/learnware';
import { LearnwaresRoute } from './routes/learnwares';
import { LoginRoute } from './routes/login';
import { MyLearnwaresRoute } from './routes/my-learnwares';
import { NotFoundRoute } from './routes/not-found';
import { NotificationsRoute } from './routes/notifications';
import { RegisterRoute } from './routes/register';
import { RequireAuth } from './routes/require-auth';
import { ResetPasswordRoute } from './routes/reset-password';
import { SearchRoute } from './routes/search';
import { SubmitRoute } from './routes/submit';
import { VerifyEmailRoute } from './routes/verify-email';

// Exported so tests can mount the same tree in a memory router.
export const routes: RouteObject[] = [
  {
    element: <RootLayout />,
    children: [
      { index: true, element: <HomeRoute /> },
      { path: paths.learnwares.path, element: <LearnwaresRoute /> },
      { path: paths.learnware.path, element: <LearnwareRoute /> },
      { path: paths.search.path, element: <SearchRoute /> },
      { path: paths.login.path, element: <LoginRoute /> },
      { path: paths.register.path, element: <RegisterRoute /> },
      { path: paths.verifyEmail.path, element: <VerifyEmailRoute /> },
      { path: paths.forgotPassword.path, element: <ForgotPasswordRoute /> },
      { path: paths.resetPassword.path, element: <ResetPasswordRoute /> },
      {
        element: <RequireAuth />,
        children: [
          { path: paths.submit.path, element: <SubmitRoute /> },
          { path: paths.myLearnwares.path, element: <MyLearnwaresRoute /> },
          { path: paths.notifications.path, element: <NotificationsRoute /> },
          { path: paths.account.path, element: <AccountRoute /> },
        ],
      },
      {
        element: <RequireAuth staff />,
        children: [{ path: paths.adminConsole.path, element: <AdminConsoleRoute /> }],
      },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
];

export function AppRouter() {
  const [router] = useState(() => createBrowserRouter(routes));
  return <RouterProvider router={router} />;
}
