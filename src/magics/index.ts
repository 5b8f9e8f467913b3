// The magic registry for a kernel of the given kind.
import type { KernelKind } from '../session/kinds';
import { coreMagics } from './core';
import { MagicRegistry } from './registry';
import { sessionMagics } from './session-magics';
import { settingMagics } from './settings-magics';
import { tableMagics } from './table-magics';

export { MagicRegistry, helpMarkdown } from './registry';
export { splitCell } from './cell-splitter';

export function createRegistry(_kind: KernelKind): MagicRegistry {
  return new MagicRegistry([...coreMagics, ...tableMagics, ...settingMagics, ...sessionMagics]);
}
