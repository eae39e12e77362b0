/**
 * Series colours: twelve distinguishable hues (one per colour value, the cap), a set for each
 * theme so lines keep their contrast on the dark background. Chosen from Tableau 10 and its
 * lighter variants for dark.
 */
const LIGHT = ['#2563d0', '#e15759', '#2e8b62', '#c0841a', '#7a5cc7', '#0f8fa0', '#d4679c', '#8c6d31', '#4e79a7', '#b04a1e', '#5a7d1a', '#6b6b6b'];
const DARK = ['#6a9ff2', '#ff8a80', '#5cc48a', '#e3ad4f', '#b49cf0', '#4fc3d1', '#f093c0', '#c9a66b', '#8fb3da', '#ee8a5e', '#a6cf5e', '#b8b8b8'];

export function seriesColor(i: number, dark: boolean): string {
  const set = dark ? DARK : LIGHT;
  return set[i % set.length]!;
}

/**
 * Axis text and grid lines: the theme's --text-2 and --border (ui/base.css). Given, not read
 * from the page: a canvas is drawn in the same commit that switches the theme, before the page's
 * theme attribute changes.
 */
export function themeColors(dark: boolean): { text: string; grid: string; dark: boolean } {
  return dark ? { text: '#a3abb8', grid: '#2c323d', dark } : { text: '#5b6472', grid: '#e2e5ea', dark };
}
