import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { expect, test } from 'vitest';

import { ColorSchemeToggle } from '../color-scheme-toggle';

test('the toggle switches the colour scheme from light to dark and back', async () => {
  const user = userEvent.setup();
  render(
    <MantineProvider defaultColorScheme="light">
      <ColorSchemeToggle />
    </MantineProvider>,
  );
  const root = document.documentElement;
  expect(root).toHaveAttribute('data-mantine-color-scheme', 'light');

  await user.click(screen.getByRole('button', { name: 'Switch to dark colour scheme' }));

  expect(root).toHaveAttribute('data-mantine-color-scheme', 'dark');

  await user.click(screen.getByRole('button', { name: 'Switch to light colour scheme' }));

  expect(root).toHaveAttribute('data-mantine-color-scheme', 'light');
});
