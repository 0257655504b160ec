// Client-side routes, in nav order. The API docs are served by Django, not the router.
export const paths = {
  home: { path: '/', label: 'Home' },
  learnwares: { path: '/learnwares', label: 'Browse' },
  submit: { path: '/submit', label: 'Submit' },
} as const;

export const apiDocsUrl = '/api/docs/';
