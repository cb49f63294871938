// htm bound to Preact's h: tagged templates instead of JSX, so the page needs no JSX transform and stays plain
// TypeScript for esbuild and tsc alike.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
