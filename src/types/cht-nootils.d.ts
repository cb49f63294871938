declare module 'cht-nootils' {
  /** cht-nootils 4.x: a factory taking the settings doc (for getSchedule) and returning the `Utils` object. */
  const nootils: (settings: { tasks?: { schedules?: unknown } }) => Record<string, unknown>;
  export default nootils;
}
