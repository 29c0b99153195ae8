// Tests never read the developer's generated secrets nor print JSON logs unless asked.
require('reflect-metadata');
process.env.NODE_ENV = process.env.NODE_ENV || 'test';
process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'silent';
