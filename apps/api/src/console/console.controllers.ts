import { ConsoleAuthController } from './console-auth.controller';
import { ConsoleHomeController } from './console-home.controller';

/** The staff console's routes (server-rendered French pages; same services and permissions as the API). */
export const CONSOLE_CONTROLLERS = [ConsoleAuthController, ConsoleHomeController];
