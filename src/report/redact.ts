/**
 * Credentials must never reach any output: not errors, not --verbose request logs, not diffs or JSON.
 * URL userinfo is masked wherever it appears; secrets registered at run time (prompted passwords,
 * session tokens) are masked verbatim.
 */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^/@\s:]*):[^/@\s]*@/gi;

export class Redactor {
  private readonly secrets = new Set<string>();

  addSecret(secret: string | undefined): void {
    if (secret && secret.length >= 3) {
      this.secrets.add(secret);
      this.secrets.add(encodeURIComponent(secret));
    }
  }

  redact(text: string): string {
    // (Userinfo needs a `://`: a search for it is far quicker than the pattern over data output of hundreds of
    // megabytes, which rarely holds a URL at all.)
    let out = text.includes('://') ? text.replace(USERINFO, (_m, scheme: string, user: string) => `${scheme}${user}:****@`) : text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join('****');
    return out;
  }
}
