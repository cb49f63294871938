// mustache 4.2.0 ships no types; the one function chtkit calls (the same package and call cht-core renders with).
declare module 'mustache' {
  interface RenderConfig {
    escape?: (value: unknown) => string;
  }
  const mustache: {
    render(template: string, view: unknown, partials?: unknown, config?: RenderConfig): string;
  };
  export default mustache;
}
