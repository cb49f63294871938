/** The exact text cht-conf writes for app settings: two-space JSON and a newline. */
export function serializeSettings(settings: unknown): string {
  return `${JSON.stringify(settings, null, 2)}\n`;
}
