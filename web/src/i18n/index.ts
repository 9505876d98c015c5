import { en } from "./en";
import { zhCN, type MessageKey } from "./zh-CN";

/** The dashboard's languages: Chinese by default, English on request (remembered in localStorage). */
export type Lang = "zh-CN" | "en";
export type { MessageKey };

export const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { "zh-CN": zhCN, en };

const STORAGE_KEY = "tianfu.lang";
let current: Lang = "zh-CN";

export function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === "en" || stored === "zh-CN") return stored;
  } catch {
    // storage unavailable (private mode): Chinese
  }
  return "zh-CN";
}

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  document.documentElement.lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not remembered
  }
}

/** The message in the current language, `{name}` placeholders filled from `vars`. */
export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  const text = DICTIONARIES[current][key];
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** The message for `prefix + name` if the dictionary has one, else `fallback` (e.g. unknown event names). */
export function tMaybe(prefix: string, name: string, fallback = name): string {
  const key = `${prefix}${name}`;
  const dict = DICTIONARIES[current] as Record<string, string>;
  return dict[key] ?? fallback;
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat(current).format(n);
}

export function formatPercent(r: number): string {
  return new Intl.NumberFormat(current, { style: "percent", maximumFractionDigits: 1 }).format(r);
}
