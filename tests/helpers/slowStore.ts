import { SurveyStore } from '../../src/store/store';

/** A real store whose `methods` each wait `ms` first, as on an overloaded disk or a distant database. */
export function slowStore(real: SurveyStore, methods: readonly (keyof SurveyStore)[], ms: number): SurveyStore {
  return new Proxy(real, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      if (!methods.includes(prop as keyof SurveyStore)) return v.bind(target);
      return async (...args: unknown[]) => {
        await new Promise((r) => setTimeout(r, ms));
        return v.apply(target, args);
      };
    },
  });
}
