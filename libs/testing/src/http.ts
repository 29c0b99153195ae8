import { INestApplication } from '@nestjs/common';
import request from 'supertest';

/** Logs in through the API and returns an agent that keeps the session cookie. */
export async function loginAgent(app: INestApplication, email: string, password: string) {
  const agent = request.agent(app.getHttpServer());
  const res = await agent.post('/api/auth/login').send({ email, password });
  if (res.status !== 200) throw new Error(`login failed for ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return agent;
}
