import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, loadConfig } from '@carepact/config';
import { CliModule } from './cli.module';

/** A Nest context for commands that need the database (never for offline ones like `render`). */
export async function withContext<T>(work: (ctx: INestApplicationContext, config: AppConfig) => Promise<T>, config = loadConfig()): Promise<T> {
  const ctx = await NestFactory.createApplicationContext(CliModule.register(config), { logger: ['error'], abortOnError: false });
  try {
    return await work(ctx, config);
  } finally {
    await ctx.close();
  }
}
