/* eslint-disable @typescript-eslint/no-explicit-any -- this code runs inside the compiled contact summary over user-shaped data */
/**
 * Evaluates a templated contact summary (`contact-summary.templated.js` exporting {fields, cards, context})
 * for one contact, with the semantics of cht-conf 6.6.1's src/contact-summary/contact-summary-emitter.js. Returns {cards, fields, context}.
 */
export function emitContactSummary(summary: any, contact: any, reports: any): any {
  const fields = summary.fields || [];
  const context = summary.context || {};
  const cards = summary.cards || [];
  const contactType = contact && (contact.type === 'contact' ? contact.contact_type : contact.type);

  const result: any = {
    cards: [],
    fields: fields.filter((field: any) => {
      const types = asArray(field.appliesToType);
      const negated = types.filter((t: any) => t && t.charAt(0) === '!');
      const typeMatches =
        types.length === 0 || types.includes(contactType) || (negated.length > 0 && !negated.includes('!' + contactType));
      if (typeMatches && (!field.appliesIf || field.appliesIf())) {
        delete field.appliesToType;
        delete field.appliesIf;
        return true;
      }
      return false;
    }),
  };

  cards.forEach((card: any) => {
    const types = asArray(card.appliesToType);
    if (types.includes('report') && types.length > 1) {
      throw new Error("You cannot set appliesToType to an array which includes the type 'report' and another type.");
    }
    if (types.includes('report')) {
      for (let i = 0; i < reports.length; ++i) {
        const r = reports[i];
        if (!isValidReport(r)) continue;
        const added = cardFor(card, context, r);
        if (added) result.cards.push(added);
      }
      return;
    }
    if (!types.includes(contactType) && types.length > 0) return;
    const added = cardFor(card, context, undefined);
    if (added) result.cards.push(added);
  });

  result.context = context;
  return result;
}

function asArray(value: any): any[] {
  if (!value) return [];
  return Array.isArray(value) ? value : [value];
}

/** XForm reports have no `errors`; JSON-form reports are valid with an empty `errors` array. */
function isValidReport(report: any): boolean {
  return report && !(report.errors && report.errors.length);
}

function applies(prop: any, report: any): any {
  switch (typeof prop) {
    case 'undefined':
      return true;
    case 'function':
      return prop(report);
    default:
      return prop;
  }
}

function copyValue(src: any, dst: any, prop: string, report: any): void {
  switch (typeof src[prop]) {
    case 'undefined':
      return;
    case 'function':
      dst[prop] = src[prop](report);
      return;
    default:
      dst[prop] = src[prop];
  }
}

function cardFor(card: any, context: any, r: any): any {
  if (!applies(card.appliesIf, r)) return undefined;
  const fields =
    typeof card.fields === 'function'
      ? card.fields(r)
      : card.fields
          .filter((f: any) => applies(f.appliesIf, r))
          .map((f: any) => {
            const out: any = {};
            for (const prop of ['label', 'value', 'translate', 'filter', 'width', 'icon']) copyValue(f, out, prop, r);
            if (f.context) {
              out.context = {};
              copyValue(f.context, out.context, 'count', r);
              copyValue(f.context, out.context, 'total', r);
            }
            return out;
          });
  if (card.modifyContext) card.modifyContext(context, r);
  const summary: any = { label: card.label, fields };
  if (card.collapsed !== undefined) summary.collapsed = card.collapsed;
  return summary;
}
