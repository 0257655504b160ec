import { Anchor, createTheme, type CSSVariablesResolver, darken } from '@mantine/core';

// Colours chosen for WCAG 2.1 AA contrast (checked by axe in e2e/pages-accessibility):
// filled components use shade 8 (white text on blue.8 is 4.8:1; Mantine's default shade 6
// is 3.6:1), and autoContrast gives light fills (green, teal, orange) dark text instead.
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
  luminanceThreshold: 0.2,
  defaultRadius: 'md',
  components: {
    // Links in running text must not rely on colour alone.
    Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }),
  },
});

// Mantine's dimmed text (gray.6 on white, 3.3:1; dark.2 on dark.7, 4.2:1), placeholders and
// links fall below 4.5:1; one shade stronger passes in both schemes.
export const cssVariablesResolver: CSSVariablesResolver = (resolved) => ({
  variables: {},
  light: {
    // Light variants (badges, alerts): shade 9 on shade 1 is 4.5:1 at best (teal) and
    // 2.9:1 for yellow; darker text on the palest tint passes for every colour.
    ...Object.fromEntries(
      Object.entries(resolved.colors).flatMap(([color, shades]) => [
        [`--mantine-color-${color}-light`, `var(--mantine-color-${color}-0)`],
        [`--mantine-color-${color}-light-color`, darken(shades[9], 0.3)],
      ]),
    ),
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-7)',
    '--mantine-color-anchor': 'var(--mantine-color-blue-8)',
  },
  dark: {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--mantine-color-placeholder': 'var(--mantine-color-dark-1)',
    '--mantine-color-anchor': 'var(--mantine-color-blue-4)',
  },
});
