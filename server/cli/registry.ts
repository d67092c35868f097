import type { CommandSpec } from './command';
import { backupCommand } from './commands/backup';
import { configApplyCommand } from './commands/config-apply';
import { configCheckCommand } from './commands/config-check';
import { configExportCommand } from './commands/config-export';
import { keysRotateCommand } from './commands/keys-rotate';
import { migrateCommand } from './commands/migrate';
import { usersDisableCommand, usersEnableCommand } from './commands/users-enable';
import { usersImportCommand } from './commands/users-import';
import { usersSignOutCommand } from './commands/users-sign-out';

export type Command = 'migrate' | 'config check' | 'config apply' | 'config export' | 'keys rotate' | 'users import' | 'users sign-out' | 'users disable' | 'users enable' | 'backup';

/** Every `foyer` command, one file each under ./commands. */
export const commands: Record<Command, CommandSpec> = {
  migrate: migrateCommand,
  'config check': configCheckCommand,
  'config apply': configApplyCommand,
  'config export': configExportCommand,
  'keys rotate': keysRotateCommand,
  'users import': usersImportCommand,
  'users sign-out': usersSignOutCommand,
  'users disable': usersDisableCommand,
  'users enable': usersEnableCommand,
  backup: backupCommand,
};
