import { LOGIN_MAX_DELAY_MS, loginDelayMs } from './auth.service';

describe('login delay per account', () => {
  it('is free for 3 failures, then doubles from 1 s, capped at 60 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 50, 5000].map(loginDelayMs)).toEqual([
      0, 0, 0, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000,
    ]);
    expect(LOGIN_MAX_DELAY_MS).toBe(60000);
  });
});
