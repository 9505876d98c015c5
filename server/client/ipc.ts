/**
 * International Patent Classification symbols, e.g. "H01M 10/0525": section (A-H), class (2 digits),
 * subclass (a letter), main group (1-4 digits), "/", subgroup (2-6 digits). Written with one space
 * between subclass and group (the form CNIPA publishes); input may omit or repeat the space.
 */
const IPC = /^([A-H])(\d{2})([A-Z])\s*(\d{1,4})\/(\d{2,6})$/;

export interface IpcSymbol {
  section: string;
  class: string; // e.g. "H01"
  subclass: string; // e.g. "H01M"
  group: string; // e.g. "H01M 10/00"
  symbol: string; // normalised, e.g. "H01M 10/0525"
}

/** Why a string is not a full IPC symbol, or undefined when it is one. */
export function ipcProblem(text: string): string | undefined {
  const t = text.trim().toUpperCase();
  if (t === "") return "empty IPC code";
  if (!/^[A-Z]/.test(t)) return `"${text}": an IPC code starts with its section letter A-H`;
  if (!/^[A-H]/.test(t)) return `"${text}": section ${t[0]} is not A-H`;
  if (!/^[A-H]\d{2}/.test(t)) return `"${text}": the class must be 2 digits after the section`;
  if (!/^[A-H]\d{2}[A-Z]/.test(t)) return `"${text}": the subclass must be a letter after the class`;
  if (!/^[A-H]\d{2}[A-Z]\s*\d{1,4}\//.test(t)) return `"${text}": the main group must be 1-4 digits followed by "/"`;
  if (!IPC.test(t)) return `"${text}": the subgroup must be 2-6 digits after "/"`;
  return undefined;
}

/** Parses a full IPC symbol; throws with the reason when malformed. */
export function parseIpc(text: string): IpcSymbol {
  const problem = ipcProblem(text);
  if (problem) throw new Error(problem);
  const [, section, cls, sub, group, subgroup] = IPC.exec(text.trim().toUpperCase())!;
  const subclass = `${section}${cls}${sub}`;
  return {
    section: section!,
    class: `${section}${cls}`,
    subclass,
    group: `${subclass} ${group}/00`,
    symbol: `${subclass} ${group}/${subgroup}`,
  };
}
