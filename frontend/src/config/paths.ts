// Client-side routes. The API docs are served by Django, not the router.
export const paths = {
  home: { path: '/' },
  learnwares: { path: '/learnwares' },
  search: { path: '/search' },
  learnware: { path: '/learnwares/:id', to: (id: number | string) => `/learnwares/${id}` },
  submit: { path: '/submit' },
  login: { path: '/login' },
  register: { path: '/register' },
  verifyEmail: { path: '/verify-email' },
  forgotPassword: { path: '/forgot-password' },
  resetPassword: { path: '/reset-password' },
  myLearnwares: { path: '/me/learnwares' },
  notifications: { path: '/me/notifications' },
  account: { path: '/me/account' },
  adminConsole: { path: '/admin-console' },
} as const;

export const apiDocsUrl = '/api/docs/';

/** Where a download link points; a plain navigation (the browser saves the zip), not a fetch. */
export const downloadUrls = {
  learnware: (id: number) => `/api/learnwares/${id}/download/`,
  /** The learnware's deploy bundle: its zip, the runtime library and run.py. */
  bundle: (id: number) => `/api/learnwares/${id}/bundle/`,
  version: (id: number) => `/api/versions/${id}/download/`,
};
