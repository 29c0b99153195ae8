import { DynamicModule, INestApplicationContext, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, ConfigModule, loadConfig } from '@carepact/config';
import { DatabaseModule } from '@carepact/database';

@Module({})
class CliFeaturesModule {}

/**
 * A Nest context for commands that need the database (never for offline ones like `render`): the
 * whole CLI module, or — `features` given — the configuration, the database and those modules only,
 * so that a command such as audit:verify does not load every library first (issue 12, item 4).
 */
export async function withContext<T>(
  work: (ctx: INestApplicationContext, config: AppConfig) => Promise<T>,
  config = loadConfig(),
  features?: Type[],
): Promise<T> {
  const module: DynamicModule = features
    ? { module: CliFeaturesModule, imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot({ poolSize: 2 }), ...features] }
    : (await import('./cli.module')).CliModule.register(config);
  const ctx = await NestFactory.createApplicationContext(module, { logger: ['error'], abortOnError: false });
  try {
    return await work(ctx, config);
  } finally {
    await ctx.close();
  }
}
