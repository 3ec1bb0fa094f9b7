/** Logs go to stderr (never stdout: in stdio mode stdout carries only protocol). */
import { pino } from 'pino';

export type Logger = pino.Logger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export function createLogger(level: LogLevel = 'info', name?: string): Logger {
  return pino({ level, name, base: { pid: undefined, hostname: undefined } }, pino.destination({ fd: 2, sync: true }));
}
