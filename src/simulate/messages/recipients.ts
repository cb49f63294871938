import type { FixtureDb } from './docs.js';
import type { Json, MessageRecipient } from './types.js';

/**
 * A message's recipient resolved as cht-core 4.11's message-utils does (getRecipient over the template context),
 * then named: which rule matched, and the fixture contact that has the phone. Anything unresolved goes to the
 * sender, as in cht-core.
 */

function ancestor(doc: Json | undefined, type: string): Json | undefined {
  let facility = doc && (doc.parent ? doc : doc.contact);
  for (let depth = 0; facility && depth < 20; depth++) {
    if (facility.type === type || facility.contact_type === type) return facility;
    facility = facility.parent;
  }
  return undefined;
}

const phoneOf = (facility: Json | undefined): string | undefined => facility?.contact?.phone || undefined;

function linked(doc: Json | undefined, tag: string): string | undefined {
  let facility = doc && (doc.parent ? doc : doc.contact);
  for (let depth = 0; facility && depth < 20; depth++) {
    const link = facility.linked_docs?.[tag];
    if (link) return typeof link === 'object' ? link.phone : undefined;
    facility = facility.parent;
  }
  return undefined;
}

// An international number (libphonenumber's full validation needs the country code when no default applies):
// chtkit does not carry libphonenumber, so a bare recipient is taken as a number only in this unambiguous form.
const PHONE = /^\+\d{7,15}$/;

function resolve(context: Json, setting: string): { phone?: string; via: string } {
  const recipient = setting.trim();
  const from: string | undefined = context.from || context.contact?.phone || undefined;
  const sender = (why: string): { phone?: string; via: string } => ({ ...(from ? { phone: from } : {}), via: why });
  if (!recipient || recipient === 'reporting_unit') return sender('the sender');
  let phone: string | undefined;
  let via: string;
  if (recipient.startsWith('ancestor:')) {
    const type = recipient.split(':')[1] ?? '';
    phone = phoneOf(ancestor(context.patient, type)) || phoneOf(ancestor(context.place, type)) || phoneOf(ancestor(context, type));
    via = `the primary contact of the nearest ${type}`;
  } else if (recipient.startsWith('link:')) {
    const tag = recipient.split(':')[1] ?? '';
    phone = linked(context.patient, tag) || linked(context.place, tag) || linked(context.contact, tag)
      || phoneOf(ancestor(context.patient, tag)) || phoneOf(ancestor(context.place, tag)) || phoneOf(ancestor(context.contact, tag));
    via = `the contact linked as ${tag}`;
  } else if (recipient === 'parent' || recipient === 'grandparent') {
    const subject = context.patient || context.place || context;
    const facility = subject.parent ? subject : subject.contact;
    const up = recipient === 'parent' ? facility?.parent?.parent : facility?.parent?.parent?.parent;
    phone = phoneOf(up);
    via = `the primary contact of the subject's ${recipient}`;
  } else if (recipient === 'clinic' || recipient === 'health_center' || recipient === 'district') {
    const type = recipient === 'district' ? 'district_hospital' : recipient;
    phone = phoneOf(ancestor(context.patient, type)) || phoneOf(ancestor(context.place, type)) || phoneOf(ancestor(context, type))
      || (recipient === 'clinic' ? context.contact?.phone : undefined);
    via = `the primary contact of the nearest ${type}`;
  } else if (context.fields && context.fields[recipient]) {
    phone = context.fields[recipient];
    via = `the report field ${recipient}`;
  } else if (context[recipient]) {
    phone = context[recipient];
    via = `the value of ${recipient}`;
  } else if (recipient.includes('.')) {
    phone = recipient.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Json)[k] : undefined), context) as string | undefined;
    via = `the value of ${recipient}`;
  } else if (PHONE.test(recipient)) {
    phone = recipient;
    via = 'the number itself';
  } else {
    return sender(`the sender ("${recipient}" names no rule, field or property: cht-core falls back to the sender)`);
  }
  if (phone) return { phone: String(phone), via };
  return sender(`the sender (${via} has no phone in the fixtures: cht-core falls back to the sender)`);
}

/** outgoing_phone_replace (prefix) then outgoing_phone_filters (regexes), as message-utils applies them. */
function rewrite(settings: Json, phone: string): string {
  let out = phone;
  const replacement = settings.outgoing_phone_replace;
  if (replacement && replacement.match && out.startsWith(replacement.match)) out = (replacement.replace || '') + out.slice(replacement.match.length);
  if (Array.isArray(settings.outgoing_phone_filters)) {
    for (const filter of settings.outgoing_phone_filters) {
      if (filter && filter.match && filter.replace) out = out.replace(new RegExp(filter.match), filter.replace);
    }
  }
  return out;
}

/** The recipient of a message; throws only what cht-core throws (an invalid outgoing_phone_filters regex). */
export function recipientOf(settings: Json, context: Json, setting: unknown, db: FixtureDb): MessageRecipient {
  const text = typeof setting === 'string' ? setting : '';
  const { phone, via } = resolve(context, text);
  const out: MessageRecipient = { setting: text, via };
  if (phone === undefined) {
    out.via = `${via}; the fixtures give no phone (cht-core would send to "${text || 'nobody'}")`;
    return out;
  }
  out.phone = rewrite(settings, phone);
  const contact = db.byPhone(phone);
  if (contact) out.contact = { id: contact._id, ...(typeof contact.name === 'string' ? { name: contact.name } : {}) };
  return out;
}

/**
 * Whether sentinel may send to a report whose sender is `from` (messages.isOutgoingAllowed): not the gateway
 * itself, not denied by outgoing_deny_shorter_than, outgoing_deny_with_alphas (true exactly) or
 * outgoing_deny_list (a comma-separated string of prefixes).
 */
export function outgoingAllowed(settings: Json, from: unknown): boolean {
  if (typeof from !== 'string' || !from) return true;
  const clean = (x: string): string => x.toLowerCase().trim();
  const digits = (x: string): string => x.replace(/\D/g, '');
  if (typeof settings.gateway_number === 'string' && digits(settings.gateway_number) !== '' && digits(settings.gateway_number) === digits(from)) return false;
  const shortest = parseInt(settings.outgoing_deny_shorter_than, 10);
  if (shortest > 0 && clean(from).length < shortest) return false;
  if (settings.outgoing_deny_with_alphas === true && /[a-z]/i.test(from)) return false;
  const list = settings.outgoing_deny_list;
  if (typeof list === 'string' && list.split(',').some((item) => clean(item) !== '' && clean(from).startsWith(clean(item)))) return false;
  return true;
}
