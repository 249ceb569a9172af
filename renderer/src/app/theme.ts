import { Badge, Combobox, type CSSVariablesResolver, createTheme } from '@mantine/core';

export const theme = createTheme({
  // Modals, drawers, menus and toasts appear at once for a user who asked their system for less
  // motion (prefers-reduced-motion), as WCAG 2.3.3 asks.
  respectReducedMotion: true,
  primaryColor: 'indigo',
  // Shade 6 under white text falls short of WCAG AA (4.5:1) for indigo; 8 passes for it and for red.
  primaryShade: { light: 8, dark: 8 },
  // White or black text on a filled control, whichever reads better on its colour (yellow badges).
  autoContrast: true,
  defaultRadius: 'md',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  headings: { fontWeight: '650' },
  components: {
    // A badge is a word or two; in a crowded table row it should push the layout, not lose its label.
    Badge: Badge.extend({ styles: { root: { minWidth: 'max-content', flexShrink: 0 } } }),
    // A closed select's options are not in the page. Mantine keeps them mounted (hidden) by default,
    // and positions each hidden list as the page mounts: every select then forced a style and layout
    // pass in the middle of the page's first render (40-70 ms of a cold load).
    Combobox: Combobox.extend({ defaultProps: { keepMounted: false } }),
  },
});

/**
 * Colours of small text that pass WCAG AA (4.5:1) in both schemes. Mantine's defaults do not:
 * dimmed text is gray 6 on white (3.3:1), coloured text (`c="teal"`) is shade 6, and a light
 * badge's shade 9 on shade 1 is 4.3:1 for teal. So: darker dimmed and coloured text in the light
 * scheme, a paler light-variant background, and a lighter dimmed text in the dark scheme.
 */
export const cssVariablesResolver: CSSVariablesResolver = (current) => {
  const light: Record<string, string> = {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-7)',
  };
  const dark: Record<string, string> = {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--mantine-color-placeholder': 'var(--mantine-color-dark-1)',
  };
  for (const name of Object.keys(current.colors)) {
    light[`--mantine-color-${name}-text`] = `var(--mantine-color-${name}-9)`;
    light[`--mantine-color-${name}-light`] = `var(--mantine-color-${name}-0)`;
    dark[`--mantine-color-${name}-text`] = `var(--mantine-color-${name}-3)`;
  }
  return { variables: {}, light, dark };
};
