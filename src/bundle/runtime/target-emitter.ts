/* eslint-disable @typescript-eslint/no-explicit-any -- this code runs inside the compiled rules over user-shaped data */
import { prepareDefinition } from './definition.js';

/** Turns target definitions into target instances for one contact container (the semantics of cht-conf 6.6.1 src/nools/target-emitter.js). */
export function emitTargets(definitions: any, c: any, Utils: any, Target: any, emit: any): void {
  for (let t = 0; t < definitions.length; ++t) {
    const target = definitions[t];
    prepareDefinition(target);
    switch (target.appliesTo) {
      case 'contacts':
        emitFor(target, Target, Utils, emit, c, undefined);
        break;
      case 'reports':
        for (let i = 0; i < c.reports.length; ++i) emitFor(target, Target, Utils, emit, c, c.reports[i]);
        break;
      default:
        throw new Error('Unrecognised target.appliesTo: ' + target.appliesTo);
    }
  }
}

function dateOf(target: any, Utils: any, c: any, r: any): any {
  if (typeof target.date === 'function') return target.date(c, r) || Utils.now().getTime();
  if (target.date === undefined || target.date === null || target.date === 'now') return Utils.now().getTime();
  if (target.date === 'reported') return r ? r.reported_date : c.contact.reported_date;
  throw new Error('Unrecognised value for target.date: ' + target.date);
}

function instanceIdsOf(target: any, c: any, r: any): any[] {
  let ids: any;
  if (typeof target.idType === 'function') ids = target.idType(c, r);
  else if (target.idType === 'report') ids = r && r._id;
  else ids = c.contact && c.contact._id;
  return Array.isArray(ids) ? ids : [ids];
}

function emitFor(target: any, Target: any, Utils: any, emit: any, c: any, r: any): void {
  // Unlike tasks, report targets also need a contact; a headless {_id} contact is enough.
  if (!c.contact) return;
  const type = c.contact.type === 'contact' ? c.contact.contact_type : c.contact.type;
  const key = r ? r.form : type;
  if (target.appliesToType && target.appliesToType.indexOf(key) < 0) return;
  if (target.appliesIf && !target.appliesIf(c, r)) return;

  const instanceDoc = r || c.contact;
  const ids = instanceIdsOf(target, c, r);
  const pass = !target.passesIf || !!target.passesIf(c, r);
  const date = dateOf(target, Utils, c, r);
  const groupBy = target.groupBy && target.groupBy(c, r);
  const emitInstance = (instance: any) => emit('target', instance);

  for (let i = 0; i < ids.length; ++i) {
    const instance = new Target({
      _id: ids[i] + '~' + target.id,
      contact: c.contact,
      deleted: !!instanceDoc.deleted,
      type: target.id,
      pass,
      groupBy,
      date,
    });
    if (target.emitCustom) target.emitCustom(emitInstance, instance, c, r);
    else emitInstance(instance);
  }
}
