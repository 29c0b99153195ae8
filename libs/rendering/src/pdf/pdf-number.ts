/** A number in a content stream: at most three decimals, no "-0". */
export const num = (n: number): string => String(Math.round(n * 1000) / 1000 || 0);
