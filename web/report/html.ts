// htm bound to Preact's h: tagged templates instead of JSX, so the page needs no JSX transform and stays plain
// TypeScript for esbuild and tsc alike.
import { Component, h, type ComponentChild } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);

/**
 * A component that re-renders only when one of its props changed (shallow). Preact's own `memo` lives in
 * preact/compat, which would bring ~5 kB of React shims the page does not use.
 */
export function memo<P extends object>(render: (props: P) => ComponentChild) {
  return class Memo extends Component<P> {
    override shouldComponentUpdate(next: P): boolean {
      const prev = this.props as Record<string, unknown>;
      return Object.keys(next).some((k) => (next as Record<string, unknown>)[k] !== prev[k]);
    }
    override render(props: P): ComponentChild {
      return render(props);
    }
  };
}
